using System;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using FluentAssertions;
using WebSockets.CloseStatus.Tests.TestData;
using Xunit;
using NetStatus = System.Net.WebSockets.WebSocketCloseStatus;

namespace WebSockets.CloseStatus.Tests;

/// <summary>Issue #42: the byte relay's pump between .NET's own WebSockets over real TCP connections on 127.0.0.1: a client app, the relay, a backend app.</summary>
public class WebSocketStreamRelayTests
{
    private static readonly TimeSpan s_limit = TimeSpan.FromSeconds(10);

    /// <summary>A client app and a backend app, each a .NET WebSocket, connected through a relay; disposing ends everything.</summary>
    internal sealed class Proxied : IDisposable
    {
        private readonly TcpClient[] _tcp;

        private Proxied(TcpClient[] tcp, WebSocketCloseOptions? options)
        {
            _tcp = tcp;
            App = WebSocket.CreateFromStream(tcp[0].GetStream(), isServer: false, subProtocol: null, keepAliveInterval: Timeout.InfiniteTimeSpan);
            BackendStream = tcp[3].GetStream();
            Backend = WebSocket.CreateFromStream(BackendStream, isServer: true, subProtocol: null, keepAliveInterval: Timeout.InfiniteTimeSpan);
            Relay = new WebSocketStreamRelay(tcp[1].GetStream(), tcp[2].GetStream(), options);
        }

        public WebSocket App { get; }

        public WebSocket Backend { get; }

        public NetworkStream BackendStream { get; }

        public WebSocketStreamRelay Relay { get; }

        public static async Task<Proxied> ConnectAsync(WebSocketCloseOptions? options = null)
        {
            (TcpClient appSide, TcpClient proxyClientSide) = await PairAsync();
            (TcpClient proxyBackendSide, TcpClient backendSide) = await PairAsync();
            return new Proxied([appSide, proxyClientSide, proxyBackendSide, backendSide], options);
        }

        public void DropBackend() => _tcp[3].Client.Close(0);

        public void Dispose()
        {
            App.Dispose();
            Backend.Dispose();
            foreach (TcpClient tcp in _tcp)
            {
                tcp.Dispose();
            }
        }

        private static async Task<(TcpClient Connecting, TcpClient Accepted)> PairAsync()
        {
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            try
            {
                var connecting = new TcpClient { NoDelay = true };
                Task<TcpClient> accept = listener.AcceptTcpClientAsync();
                await connecting.ConnectAsync(IPAddress.Loopback, ((IPEndPoint)listener.LocalEndpoint).Port);
                TcpClient accepted = await accept;
                accepted.NoDelay = true;
                return (connecting, accepted);
            }
            finally
            {
                listener.Stop();
            }
        }
    }

    private static async Task<WebSocketReceiveResult> ReceiveAsync(WebSocket socket, byte[] buffer) =>
        await socket.ReceiveAsync(buffer, CancellationToken.None).WaitAsync(s_limit);

    [Fact]
    public async Task Rfc6455_5_4_Messages_GoBothWays_Fragmented_WithPings()
    {
        using Proxied proxied = await Proxied.ConnectAsync();
        Task<WebSocketRelayResult> run = proxied.Relay.RunAsync();
        byte[] big = Enumerable.Range(0, 100_000).Select(i => (byte)i).ToArray();
        await proxied.App.SendAsync(big.AsMemory(0, 40_000), WebSocketMessageType.Binary, endOfMessage: false, CancellationToken.None);
        await proxied.App.SendAsync(big.AsMemory(40_000), WebSocketMessageType.Binary, endOfMessage: true, CancellationToken.None);

        byte[] received = new byte[big.Length];
        int count = 0;
        ValueWebSocketReceiveResult part;
        do
        {
            part = await proxied.Backend.ReceiveAsync(received.AsMemory(count), CancellationToken.None).AsTask().WaitAsync(s_limit);
            count += part.Count;
        }
        while (!part.EndOfMessage);

        await proxied.Backend.SendAsync("ok"u8.ToArray(), WebSocketMessageType.Text, true, CancellationToken.None);
        count.Should().Be(big.Length);
        received.Should().Equal(big);
        byte[] reply = new byte[16];
        (await ReceiveAsync(proxied.App, reply)).Count.Should().Be(2);
        run.IsCompleted.Should().BeFalse();
    }

    [Theory]
    [InlineData(4001, "Ж世😀éЖ世😀éЖ世😀éЖ世😀éЖ世😀éЖ世😀éЖ世😀éЖ世😀éЖ世😀éЖ世😀éЖ世😀éok")]
    [InlineData(1000, "")]
    [InlineData(1012, "restarting")]
    public async Task Rfc6455_7_1_1_TheClientsClose_GoesToTheBackend_AndTheReplyBack_BothClean(int code, string reason)
    {
        using Proxied proxied = await Proxied.ConnectAsync();
        Task<WebSocketRelayResult> run = proxied.Relay.RunAsync();
        Task closing = proxied.App.CloseAsync((NetStatus)code, reason, CancellationToken.None);
        WebSocketReceiveResult atBackend = await ReceiveAsync(proxied.Backend, new byte[16]);
        ((int?)atBackend.CloseStatus).Should().Be(code);
        atBackend.CloseStatusDescription.Should().Be(reason);
        await proxied.Backend.CloseOutputAsync((NetStatus)code, "echo", CancellationToken.None);
        await closing.WaitAsync(s_limit);
        ((int?)proxied.App.CloseStatus).Should().Be(code);
        proxied.App.CloseStatusDescription.Should().Be("echo");
        proxied.Backend.Dispose(); // the server ends TCP (§7.1.1)

        WebSocketRelayResult result = await run.WaitAsync(s_limit);
        result.Client.ToString().Should().StartWith($"{code} ").And.EndWith($"clean, started by Remote, sent {code}");
        result.Client.CloseStatusDescription.Should().Be(reason);
        result.Backend.ToString().Should().Be($"{code} {((WebSocketCloseStatus)code).GetDescription()} \"echo\", clean, started by Local, sent {code}");
        result.ToString().Should().Be("client: " + result.Client + "; backend: " + result.Backend);
    }

    [Fact]
    public async Task Rfc6455_7_1_5_TheBackendDroppingTcp_GivesTheClient1001_AndTheResults1006()
    {
        using Proxied proxied = await Proxied.ConnectAsync();
        Task<WebSocketRelayResult> run = proxied.Relay.RunAsync();
        proxied.DropBackend();
        WebSocketReceiveResult atApp = await ReceiveAsync(proxied.App, new byte[16]);
        atApp.CloseStatus.Should().Be(NetStatus.EndpointUnavailable);
        atApp.CloseStatusDescription.Should().Be("1006 Abnormal Closure on the other side");
        await proxied.App.CloseOutputAsync(NetStatus.EndpointUnavailable, null, CancellationToken.None);

        WebSocketRelayResult result = await run.WaitAsync(s_limit);
        result.Backend.CloseStatus.Should().Be(WebSocketCloseStatus.AbnormalClosure);
        result.Backend.WasClean.Should().BeFalse();
        result.Client.ToString().Should().Be("1001 Going Away, clean, started by Local, sent 1001");
    }

    [Fact]
    public async Task Rfc6455_7_1_2_TheProxysClose_GoesBothWays_AndBothRepliesEndIt_Clean()
    {
        using Proxied proxied = await Proxied.ConnectAsync();
        Task<WebSocketRelayResult> run = proxied.Relay.RunAsync();
        Task<WebSocketRelayResult> closing = proxied.Relay.CloseAsync(WebSocketCloseStatus.ServiceRestart, "restarting");

        WebSocketReceiveResult atApp = await ReceiveAsync(proxied.App, new byte[16]);
        WebSocketReceiveResult atBackend = await ReceiveAsync(proxied.Backend, new byte[16]);
        ((int?)atApp.CloseStatus).Should().Be(1012);
        atBackend.CloseStatusDescription.Should().Be("restarting");
        await proxied.App.CloseOutputAsync((NetStatus)1012, null, CancellationToken.None);
        await proxied.Backend.CloseOutputAsync((NetStatus)1012, "bye", CancellationToken.None);
        proxied.Backend.Dispose();

        WebSocketRelayResult result = await closing.WaitAsync(s_limit);
        (await run).Should().BeSameAs(result);
        proxied.Relay.Completion.Should().BeSameAs(run);
        result.Client.ToString().Should().Be("1012 Service Restart, clean, started by Local, sent 1012");
        result.Backend.ToString().Should().Be("1012 Service Restart \"bye\", clean, started by Local, sent 1012");
    }

    [Fact]
    public async Task Rfc6455_7_1_1_ASilentBackend_IsEndedAfterTheTimeout()
    {
        using Proxied proxied = await Proxied.ConnectAsync(new WebSocketCloseOptions { Timeout = TimeSpan.FromMilliseconds(300) });
        Task<WebSocketRelayResult> run = proxied.Relay.RunAsync();
        Task<WebSocketRelayResult> closing = proxied.Relay.CloseAsync(WebSocketCloseStatus.EndpointUnavailable, null);
        await ReceiveAsync(proxied.App, new byte[16]);
        await proxied.App.CloseOutputAsync(NetStatus.EndpointUnavailable, null, CancellationToken.None);

        WebSocketRelayResult result = await closing.WaitAsync(s_limit);
        result.Backend.TimedOut.Should().BeTrue();
        result.Backend.ToString().Should().Be("1006 Abnormal Closure, not clean, timed out, aborted, started by Local, sent 1001");
        result.Client.WasClean.Should().BeTrue();
        (await run).Should().BeSameAs(result);
    }

    [Fact]
    public async Task Cancellation_EndsBothSides_WithoutACloseFrame()
    {
        using Proxied proxied = await Proxied.ConnectAsync();
        using var cancel = new CancellationTokenSource();
        Task<WebSocketRelayResult> run = proxied.Relay.RunAsync(cancel.Token);
        cancel.Cancel();
        WebSocketRelayResult result = await run.WaitAsync(s_limit);
        result.Client.Exception.Should().BeOfType<OperationCanceledException>();
        result.Backend.Aborted.Should().BeTrue();
        result.Client.SentStatus.Should().BeNull();
        await FluentActions.Awaiting(() => ReceiveAsync(proxied.App, new byte[16])).Should().ThrowAsync<WebSocketException>();
    }

    [Fact]
    public async Task CloseAsync_Cancelled_EndsBothSides()
    {
        using Proxied proxied = await Proxied.ConnectAsync();
        Task<WebSocketRelayResult> run = proxied.Relay.RunAsync();
        using var cancel = new CancellationTokenSource();
        Task<WebSocketRelayResult> closing = proxied.Relay.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", cancel.Token);
        cancel.Cancel();
        WebSocketRelayResult result = await closing.WaitAsync(s_limit);
        result.Client.Aborted.Should().BeTrue();
        result.Backend.Exception.Should().BeOfType<OperationCanceledException>();
    }

    [Fact]
    public async Task CallerMistakes_Throw_NamingTheArgument()
    {
        using Proxied proxied = await Proxied.ConnectAsync();
        var stream = new MemoryStream();
        FluentActions.Invoking(() => new WebSocketStreamRelay(null!, stream)).Should().Throw<ArgumentNullException>().WithParameterName("client");
        FluentActions.Invoking(() => new WebSocketStreamRelay(stream, null!)).Should().Throw<ArgumentNullException>().WithParameterName("backend");
        FluentActions.Invoking(() => new WebSocketStreamRelay(stream, stream)).Should().Throw<ArgumentException>().WithParameterName("backend");
        FluentActions.Invoking(() => new WebSocketStreamRelay(new MemoryStream([], writable: false), stream))
            .Should().Throw<ArgumentException>().WithParameterName("client").WithMessage("*CanWrite False*");
        FluentActions.Invoking(() => new WebSocketStreamRelay(stream, new UnreadableStream()))
            .Should().Throw<ArgumentException>().WithParameterName("backend").WithMessage("*CanRead False*");

        // Thrown before the task, as a shutdown callback drops it: the mistake is not left in an unobserved task.
        FluentActions.Invoking(() => { _ = proxied.Relay.CloseAsync(WebSocketCloseStatus.AbnormalClosure, null); })
            .Should().Throw<ArgumentOutOfRangeException>().WithParameterName("closeStatus").WithMessage("*1006*");
        FluentActions.Invoking(() => { _ = proxied.Relay.CloseAsync(WebSocketCloseStatus.Empty, "why"); })
            .Should().Throw<ArgumentOutOfRangeException>().WithParameterName("closeStatus");
        FluentActions.Invoking(() => { _ = proxied.Relay.CloseAsync(WebSocketCloseStatus.NormalClosure, new string('a', 124)); })
            .Should().Throw<ArgumentException>().WithParameterName("statusDescription").WithMessage("*124*");

        _ = proxied.Relay.RunAsync();
        FluentActions.Invoking(() => { _ = proxied.Relay.RunAsync(); }).Should().Throw<InvalidOperationException>();
    }

    [Fact]
    public async Task CloseAsync_TruncatesAsTheOptionsSay()
    {
        using Proxied proxied = await Proxied.ConnectAsync(new WebSocketCloseOptions { Truncation = CloseReasonTruncation.TruncateWithEllipsis });
        _ = proxied.Relay.RunAsync();
        string reason = string.Concat(Enumerable.Repeat("Привет ", 30));
        _ = proxied.Relay.CloseAsync(WebSocketCloseStatus.EndpointUnavailable, reason);
        WebSocketReceiveResult atApp = await ReceiveAsync(proxied.App, new byte[16]);
        atApp.CloseStatusDescription.Should().Be(ClosePayload.TruncateReason(reason, CloseReasonTruncation.TruncateWithEllipsis));
        Encoding.UTF8.GetByteCount(atApp.CloseStatusDescription!).Should().BeLessThanOrEqualTo(123);
    }

    private sealed class UnreadableStream : MemoryStream
    {
        public override bool CanRead => false;
    }

    /// <summary>The relay over scripted streams: every read and write as the test says, for the paths real sockets do not take on cue.</summary>
    private static (ScriptedStream Client, ScriptedStream Backend, WebSocketStreamRelay Relay) Scripted(TimeSpan? timeout = null)
    {
        var client = new ScriptedStream();
        var backend = new ScriptedStream();
        return (client, backend, new WebSocketStreamRelay(client, backend, new WebSocketCloseOptions { Timeout = timeout ?? TimeSpan.FromSeconds(5) }));
    }

    private static byte[] MaskedClose(int code, string reason = "") => [0x88, (byte)(0x80 | (2 + Encoding.UTF8.GetByteCount(reason))), 0, 0, 0, 0, (byte)(code >> 8), (byte)code, .. Encoding.UTF8.GetBytes(reason)];

    private static byte[] Close(int code) => [0x88, 2, (byte)(code >> 8), (byte)code];

    [Fact]
    public async Task Rfc6455_5_2_AHeaderCutAtTheBuffersEnd_IsKeptAndCompleted()
    {
        (ScriptedStream client, ScriptedStream backend, WebSocketStreamRelay relay) = Scripted();
        Task<WebSocketRelayResult> run = relay.RunAsync();
        // 16,384 bytes, the pump's buffer: a frame of 16,377 (a 16-bit length, a key, 16,369 bytes) and 7 of a masked close's 11.
        byte[] data = [0x82, 0xFE, 0x3F, 0xF1, 0, 0, 0, 0, .. new byte[16_369]];
        data.Length.Should().Be(16_377);
        byte[] close = MaskedClose(1000, "bye");
        client.Send([.. data, .. close[..7]]);
        client.Send(close[7..]);
        (await backend.WrittenAsync(data.Length + close.Length)).Should().Equal([.. data, .. close]);

        backend.Send(Close(1000));
        (await client.WrittenAsync(4)).Should().Equal(Close(1000));
        backend.End();
        WebSocketRelayResult result = await run.WaitAsync(s_limit);
        result.Client.ToString().Should().Be("1000 Normal Closure \"bye\", clean, started by Remote, sent 1000");
        client.IsDisposed.Should().BeTrue("the proxy ends the client's TCP after the handshake (§7.1.1)");
    }

    [Fact]
    public async Task AWriteThatFails_EndsThatSide_AndTheOtherGets1001()
    {
        (ScriptedStream client, ScriptedStream backend, WebSocketStreamRelay relay) = Scripted();
        Task<WebSocketRelayResult> run = relay.RunAsync();
        backend.FailWrites = true;
        client.Send([0x82, 0x81, 0, 0, 0, 0, 7]);
        byte[] toClient = await client.WrittenAsync(2);
        toClient[2..4].Should().Equal(new byte[] { 0x03, 0xE9 });
        client.Send(MaskedClose(1001));
        WebSocketRelayResult result = await run.WaitAsync(s_limit);
        result.Backend.Exception.Should().BeOfType<IOException>();
        result.Backend.WasClean.Should().BeFalse();
        result.Client.ToString().Should().Be("1001 Going Away, clean, started by Local, sent 1001");
    }

    [Fact]
    public async Task TheProxysClose_ToASideWhoseWritesFail_EndsIt()
    {
        (ScriptedStream client, ScriptedStream backend, WebSocketStreamRelay relay) = Scripted();
        Task<WebSocketRelayResult> run = relay.RunAsync();
        client.FailWrites = true;
        Task<WebSocketRelayResult> closing = relay.CloseAsync(WebSocketCloseStatus.ServiceRestart, null);
        (await backend.WrittenAsync(8)).Length.Should().Be(8, "a masked 1012");
        backend.Send(Close(1012));
        backend.End();
        WebSocketRelayResult result = await closing.WaitAsync(s_limit);
        result.Client.Exception.Should().BeOfType<IOException>();
        result.Client.SentStatus.Should().Be(WebSocketCloseStatus.ServiceRestart, "it was written, though the write failed");
        result.Client.WasClean.Should().BeFalse();
        result.Backend.WasClean.Should().BeTrue();
        (await run).Should().BeSameAs(result);
    }

    [Fact]
    public async Task ASideThatEnds_WhileTheOthersWritesFail_EndsBoth()
    {
        (ScriptedStream client, ScriptedStream backend, WebSocketStreamRelay relay) = Scripted();
        Task<WebSocketRelayResult> run = relay.RunAsync();
        client.FailWrites = true;
        backend.Fail(new IOException("reset"));
        WebSocketRelayResult result = await run.WaitAsync(s_limit);
        result.Backend.Exception.Should().NotBeNull();
        result.Client.Exception.Should().BeOfType<IOException>();
        result.Client.WasClean.Should().BeFalse();
    }

    [Fact]
    public async Task AStreamThatThrowsOnDispose_IsReported_AndTheRelayEnds()
    {
        (ScriptedStream client, ScriptedStream backend, WebSocketStreamRelay relay) = Scripted();
        backend.ThrowOnDispose = true;
        Task<WebSocketRelayResult> run = relay.RunAsync();
        backend.End();
        (await client.WrittenAsync(2))[..4].Should().Equal(new byte[] { 0x88, 41, 0x03, 0xE9 });
        client.Send(MaskedClose(1001));
        WebSocketRelayResult result = await run.WaitAsync(s_limit);
        result.Backend.Exception!.Message.Should().Contain("dispose");
    }

    [Fact]
    public async Task Rfc6455_7_1_1_ASideThatDoesNotRead_IsEndedAfterTheTimeout_EvenWithAWriteToItPending()
    {
        (ScriptedStream client, ScriptedStream backend, WebSocketStreamRelay relay) = Scripted(TimeSpan.FromMilliseconds(200));
        Task<WebSocketRelayResult> run = relay.RunAsync();
        backend.HangWrites = true;
        client.Send([0x82, 0x81, 0, 0, 0, 0, 7]);   // its forwarding hangs
        await Task.Delay(50);
        Task<WebSocketRelayResult> closing = relay.CloseAsync(WebSocketCloseStatus.EndpointUnavailable, "bye");
        (await client.WrittenAsync(7)).Should().Equal(new byte[] { 0x88, 5, 0x03, 0xE9, (byte)'b', (byte)'y', (byte)'e' });
        WebSocketRelayResult result = await closing.WaitAsync(s_limit);
        result.Client.TimedOut.Should().BeTrue("the client never answered");
        result.Backend.WasClean.Should().BeFalse("the proxy's close never got past the hanging write");
        result.Backend.Aborted.Should().BeTrue();
        (await run).Should().BeSameAs(result);
    }

    [Fact]
    public async Task ASideEnding_WhileAWriteToTheOtherHangs_EndsTheOtherAfterTheTimeout()
    {
        (ScriptedStream client, ScriptedStream backend, WebSocketStreamRelay relay) = Scripted(TimeSpan.FromMilliseconds(200));
        Task<WebSocketRelayResult> run = relay.RunAsync();
        backend.HangWrites = true;
        client.Send([0x82, 0x81, 0, 0, 0, 0, 7]);   // its forwarding to the backend hangs
        await Task.Delay(50);
        client.FailWrites = true;
        backend.Send([0x82, 1, 7]);                   // its forwarding to the client fails: the client's side ends
        WebSocketRelayResult result = await run.WaitAsync(s_limit);
        result.Client.Exception.Should().BeOfType<IOException>();
        result.Client.WasClean.Should().BeFalse();
        result.Backend.WasClean.Should().BeFalse();
        backend.IsDisposed.Should().BeTrue();
    }
}
