using System;
using System.Buffers;
using System.Diagnostics;
using System.IO.Pipelines;
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

/// <summary>The README's closing loop: against .NET's own WebSocket over real TCP in both roles, and against scripted peers in memory.</summary>
public partial class ReadmeTests
{
    private static readonly TimeSpan s_shortTimeout = TimeSpan.FromMilliseconds(200);

    /// <summary>Our pipes on one end of a loopback TCP connection, .NET's WebSocket on the other.</summary>
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

    private static DuplexPipe PipesOver(TcpClient tcp) => new(PipeReader.Create(tcp.GetStream()), PipeWriter.Create(tcp.GetStream()));

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

            var server = new CloseHandshake(WebSocketRole.Server);
            await ClosingSamples.ReadLoopAsync(server, PipesOver(serverTcp), TimeSpan.FromSeconds(5), cancel.Token);
            CloseHandshake client = await ClosingSamples.ClientClosesAsync(PipesOver(clientTcp), cancel.Token);
            await peerCloses.WaitAsync(cancel.Token);
            await peerAnswers.WaitAsync(cancel.Token);

            server.CloseStatus.Should().Be(WebSocketCloseStatus.EndpointUnavailable);
            server.CloseStatusDescription.Should().Be("bye");
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
        var peer = new ScriptedPeer(Frames.Unmasked(Hex.Payload(1001, [])));
        var client = new CloseHandshake(WebSocketRole.Client);
        client.WriteClose(new byte[CloseFrame.MaxLength], WebSocketCloseStatus.EndpointUnavailable, null, out _);
        var clock = Stopwatch.StartNew();

        await peer.RunAsync(client, s_shortTimeout);

        clock.Elapsed.Should().BeGreaterThanOrEqualTo(s_shortTimeout - TimeSpan.FromMilliseconds(20), "the client waited for the server to close TCP");
        client.WasClean.Should().BeTrue();
        client.CloseStatus.Should().Be(WebSocketCloseStatus.EndpointUnavailable);
        (await peer.SentUntilClosedAsync()).Should().BeEmpty("the client closed TCP itself, and sent nothing more");
    }

    [Fact]
    public async Task ClosingLoop_ClientWhoseServerSendsMoreAfterItsClose_DiscardsIt_AndDoesNotThrow_Rfc6455_5_5_1()
    {
        // A hostile or buggy server: its close, a second close, a malformed close, a text frame, then it keeps TCP open.
        var peer = new ScriptedPeer(
            Frames.Unmasked(Hex.Payload(1001, [])),
            Frames.Unmasked(Hex.Payload(1000, [0x61])),
            Frames.Unmasked([0x03, 0xE8, 0xFF]),
            [0x81, 0x01, 0xFF]);
        var client = new CloseHandshake(WebSocketRole.Client);
        client.WriteClose(new byte[CloseFrame.MaxLength], WebSocketCloseStatus.NormalClosure, null, out _);

        await peer.RunAsync(client, s_shortTimeout);

        client.CloseStatus.Should().Be(WebSocketCloseStatus.EndpointUnavailable, "the first close is the one that counts (§7.1.5)");
        client.FailureStatus.Should().BeNull("bytes after the peer's close are discarded, not judged");
        client.WasClean.Should().BeTrue();
        (await peer.SentUntilClosedAsync()).Should().BeEmpty("the client closed TCP itself after its timer, and sent nothing more");
    }

    [Fact]
    public async Task ClosingLoop_TextThatIsNotUtf8_Fails_Sends1007WithTheReason_AndClosesTcpAtOnce_Rfc6455_7_1_7()
    {
        var peer = new ScriptedPeer(MaskedText([0x61, 0xC0, 0x80]));
        var server = new CloseHandshake(WebSocketRole.Server);

        await peer.RunAsync(server, TimeSpan.FromSeconds(30));

        byte[] sent = await peer.SentUntilClosedAsync(); // a failed connection closes TCP without waiting
        sent.Should().Equal([0x88, 0x13, 0x03, 0xEF, .. "text is not UTF-8"u8.ToArray()]);
        server.FailureStatus.Should().Be(WebSocketCloseStatus.InvalidPayloadData);
        server.CloseStatus.Should().Be(WebSocketCloseStatus.AbnormalClosure);
        server.WasClean.Should().BeFalse();
    }

    [Fact]
    public async Task ClosingLoop_ServerReadsDataThenAClose_ThatArriveInPieces_AndEchoesIt_Rfc6455_5_5_1()
    {
        byte[] text = MaskedText("héllo"u8.ToArray());
        byte[] close = SystemNetPeer.MaskedCloseFrame(Hex.Payload(1013, "busy"u8.ToArray()));
        var peer = new ScriptedPeer();
        var server = new CloseHandshake(WebSocketRole.Server);
        Task loop = peer.RunAsync(server, TimeSpan.FromSeconds(30));

        foreach (byte b in (byte[])[.. text, .. close])
        {
            await peer.WriteAsync([b]);
        }

        await loop.WaitAsync(TimeSpan.FromSeconds(10));
        byte[] sent = await peer.SentUntilClosedAsync(); // a server closes TCP once close frames went both ways (§7.1.1)
        sent.Should().Equal(0x88, 0x02, 0x03, 0xF5);
        server.CloseStatus.Should().Be(WebSocketCloseStatus.TryAgainLater);
        server.CloseStatusDescription.Should().Be("busy");
        server.WasClean.Should().BeTrue();
    }

    [Fact]
    public async Task ClosingLoop_PeerDropsTcp_Is1006_AndNotClean_Rfc6455_7_1_4()
    {
        var peer = new ScriptedPeer([0x88, 0x82, 1, 2]); // half a close, then the end of the stream
        var server = new CloseHandshake(WebSocketRole.Server);
        peer.EndOfStream();

        await peer.RunAsync(server, TimeSpan.FromSeconds(30));

        server.CloseStatus.Should().Be(WebSocketCloseStatus.AbnormalClosure);
        server.WasClean.Should().BeFalse();
        server.IsCloseSent.Should().BeFalse();
        (await peer.SentUntilClosedAsync()).Should().BeEmpty("our side of TCP closes too, with nothing sent");
    }

    /// <summary>A client's text frame, masked.</summary>
    private static byte[] MaskedText(byte[] payload)
    {
        byte[] frame = SystemNetPeer.MaskedCloseFrame(payload);
        frame[0] = 0x81;
        return frame;
    }

    /// <summary>An <see cref="IDuplexPipe"/>, as a transport hands one out.</summary>
    private sealed record DuplexPipe(PipeReader Input, PipeWriter Output) : IDuplexPipe;

    /// <summary>A peer in memory: writes the given frames to the loop, and collects what the loop sends until it closes its side.</summary>
    private sealed class ScriptedPeer
    {
        private readonly Pipe _toLoop = new();
        private readonly Pipe _fromLoop = new();

        public ScriptedPeer(params byte[][] frames)
        {
            foreach (byte[] frame in frames)
            {
                _toLoop.Writer.Write(frame);
            }

            _toLoop.Writer.FlushAsync().AsTask().Wait();
        }

        public Task RunAsync(CloseHandshake handshake, TimeSpan timeout) =>
            ClosingSamples.ReadLoopAsync(handshake, new DuplexPipe(_toLoop.Reader, _fromLoop.Writer), timeout, CancellationToken.None);

        public async Task WriteAsync(byte[] bytes) => await _toLoop.Writer.WriteAsync(bytes);

        public void EndOfStream() => _toLoop.Writer.Complete();

        /// <summary>Everything the loop sent, once it closed its side of the transport; a <see cref="TimeoutException"/> if it does not.</summary>
        public async Task<byte[]> SentUntilClosedAsync()
        {
            ReadResult read = await _fromLoop.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));
            while (!read.IsCompleted)
            {
                _fromLoop.Reader.AdvanceTo(read.Buffer.Start, read.Buffer.End);
                read = await _fromLoop.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));
            }

            return read.Buffer.ToArray();
        }
    }
}
