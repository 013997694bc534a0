using System;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Threading;
using System.Threading.Tasks;
using FluentAssertions;
using ReadmeSamples;
using WebSockets.CloseStatus.Tests.TestData;
using Xunit;
using SystemNetCloseStatus = System.Net.WebSockets.WebSocketCloseStatus;

namespace WebSockets.CloseStatus.Tests.Readme;

/// <summary>The README's closing loop against .NET's own WebSocket over real TCP, in both roles.</summary>
public partial class ReadmeTests
{
    /// <summary>Our raw stream on one end of a loopback TCP connection, .NET's WebSocket on the other.</summary>
    private static async Task<(TcpClient Ours, TcpClient Theirs, WebSocket Peer)> ConnectAsync(bool peerIsServer)
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            var ours = new TcpClient();
            Task<TcpClient> accept = listener.AcceptTcpClientAsync();
            await ours.ConnectAsync(IPAddress.Loopback, ((IPEndPoint)listener.LocalEndpoint).Port);
            TcpClient theirs = await accept;
            return (ours, theirs, WebSocket.CreateFromStream(theirs.GetStream(), peerIsServer, null, Timeout.InfiniteTimeSpan));
        }
        finally
        {
            listener.Stop();
        }
    }

    [Fact]
    public async Task ClosingLoop_BothRoles_AgainstDotNet_Rfc6455_7_1()
    {
        (TcpClient serverTcp, TcpClient dotnetClientTcp, WebSocket dotnetClient) = await ConnectAsync(peerIsServer: false);
        (TcpClient clientTcp, TcpClient dotnetServerTcp, WebSocket dotnetServer) = await ConnectAsync(peerIsServer: true);
        using (serverTcp)
        using (dotnetClientTcp)
        using (clientTcp)
        using (dotnetServerTcp)
        {
            using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            Task peerCloses = dotnetClient.CloseAsync(SystemNetCloseStatus.EndpointUnavailable, "bye", cancel.Token);
            Task peerAnswers = AnswerAndCloseTcpAsync(dotnetServer, dotnetServerTcp, cancel.Token);

            (CloseHandshake server, CloseHandshake client) = await ClosingSamples.UseAsync(
                serverTcp.GetStream(), new StreamFrameReader(serverTcp.GetStream()), clientTcp.GetStream(), new StreamFrameReader(clientTcp.GetStream()), cancel.Token);
            await peerCloses.WaitAsync(cancel.Token);
            await peerAnswers.WaitAsync(cancel.Token);

            server.CloseStatus.Should().Be(WebSocketCloseStatus.EndpointUnavailable);
            server.GetCloseReason().Should().Be("bye");
            server.WasClean.Should().BeTrue();
            server.Initiator.Should().Be(CloseInitiator.Remote);
            dotnetClient.CloseStatus.Should().Be(SystemNetCloseStatus.EndpointUnavailable, "the loop echoed the status");
            dotnetClient.State.Should().Be(WebSocketState.Closed);

            client.CloseStatus.Should().Be(WebSocketCloseStatus.NormalClosure);
            client.WasClean.Should().BeTrue("the server closed TCP after the handshake");
            client.Initiator.Should().Be(CloseInitiator.Local);
            dotnetServer.CloseStatus.Should().Be(SystemNetCloseStatus.NormalClosure);
            dotnetServer.CloseStatusDescription.Should().Be("bye");
        }
    }

    private static async Task AnswerAndCloseTcpAsync(WebSocket server, TcpClient tcp, CancellationToken ct)
    {
        WebSocketReceiveResult result = await server.ReceiveAsync(new byte[256], ct);
        result.MessageType.Should().Be(WebSocketMessageType.Close);
        await server.CloseOutputAsync(result.CloseStatus!.Value, result.CloseStatusDescription, ct);
        tcp.Close(); // a server closes TCP once the handshake is done (RFC 6455 §7.1.1)
    }

    [Fact]
    public async Task ClosingLoop_ClientWhoseServerKeepsTcpOpen_ClosesItAfterItsTimer_Rfc6455_7_1_1()
    {
        byte[] serverClose = Frames.Unmasked(Hex.Payload(1001, []));
        var frames = new ScriptedFrames(serverClose);
        var client = new CloseHandshake(WebSocketRole.Client);
        client.WriteClose(new byte[CloseFrame.MaxLength], WebSocketCloseStatus.EndpointUnavailable);
        using var stream = new MemoryStream();

        await ClosingSamples.CloseLoopAsync(client, stream, frames, CancellationToken.None);

        frames.Timeouts.Should().Equal(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5));
        client.WasClean.Should().BeTrue();
        client.CloseStatus.Should().Be(WebSocketCloseStatus.EndpointUnavailable);
        stream.CanWrite.Should().BeFalse("the client closed TCP itself");
    }

    [Fact]
    public async Task ClosingLoop_ClientWhoseServerSendsMoreAfterItsClose_DiscardsIt_AndDoesNotThrow_Rfc6455_5_5_1()
    {
        // A hostile or buggy server: its close, a second close, a malformed close, a text frame, then it keeps TCP open.
        byte[][] script =
        [
            Frames.Unmasked(Hex.Payload(1001, [])),
            Frames.Unmasked(Hex.Payload(1000, [0x61])),
            Frames.Unmasked([0x03, 0xE8, 0xFF]),
            [0x81, 0x01, 0x61],
        ];
        var frames = new ScriptedFrames(script);
        var client = new CloseHandshake(WebSocketRole.Client);
        client.WriteClose(new byte[CloseFrame.MaxLength], WebSocketCloseStatus.NormalClosure);
        using var stream = new MemoryStream();

        await ClosingSamples.CloseLoopAsync(client, stream, frames, CancellationToken.None);

        frames.Timeouts.Should().HaveCount(script.Length + 1, "every frame was read, then the client's timer ran out");
        client.CloseStatus.Should().Be(WebSocketCloseStatus.EndpointUnavailable, "the first close is the one that counts (§7.1.5)");
        client.FailureStatus.Should().BeNull("bytes after the peer's close are discarded, not judged");
        client.WasClean.Should().BeTrue();
        stream.CanWrite.Should().BeFalse("the client closed TCP itself");
    }

    [Fact]
    public async Task ClosingLoop_AfterFail_Sends1007_AndClosesTcpWithoutWaiting_Rfc6455_7_1_7()
    {
        var server = new CloseHandshake(WebSocketRole.Server);
        var frames = new ScriptedFrames();
        using var stream = new MemoryStream();

        ClosingSamples.FailOnBadText(server);
        await ClosingSamples.CloseLoopAsync(server, stream, frames, CancellationToken.None);

        stream.ToArray().Should().Equal(0x88, 0x02, 0x03, 0xEF);
        frames.Timeouts.Should().BeEmpty("nothing is read after a failure");
        server.CloseStatus.Should().Be(WebSocketCloseStatus.AbnormalClosure);
        server.WasClean.Should().BeFalse();
    }

    /// <summary>Hands out the given frames, then times out; records each timeout it was given.</summary>
    private sealed class ScriptedFrames(params byte[][] frames) : IFrameReader
    {
        private int _next;

        public System.Collections.Generic.List<TimeSpan> Timeouts { get; } = [];

        public Task<byte[]?> ReadFrameAsync(TimeSpan timeout, CancellationToken ct)
        {
            Timeouts.Add(timeout);
            return _next < frames.Length ? Task.FromResult<byte[]?>(frames[_next++]) : throw new TimeoutException();
        }

        public void Deliver(byte[] frame) => throw new InvalidOperationException("no data frame was scripted");
    }
}
