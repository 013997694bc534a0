using System;
using System.Net.WebSockets;
using System.Threading;
using System.Threading.Tasks;
using FluentAssertions;
using WebSockets.CloseStatus.Tests.TestData;
using Xunit;
using NetStatus = System.Net.WebSockets.WebSocketCloseStatus;

namespace WebSockets.CloseStatus.Tests;

/// <summary>Issue #42: a terminating proxy on System.Net relays one side's close to the other; .NET's own WebSockets over TCP on 127.0.0.1.</summary>
public class WebSocketExtensionsRelayTests
{
    private static readonly TimeSpan s_limit = TimeSpan.FromSeconds(10);

    private static WebSocketCloseResult Result(WebSocketCloseStatus status, string reason) =>
        new(status, reason, wasClean: true, CloseInitiator.Remote, timedOut: false, aborted: false, sentStatus: null, exception: null);

    /// <summary>Relays <paramref name="source"/> on the server of a fresh pair and returns what its client received.</summary>
    private static async Task<WebSocketReceiveResult> RelayedAsync(Func<WebSocket, Task> relay)
    {
        using SocketPair destination = await SocketPair.ConnectAsync();
        Task<WebSocketReceiveResult> received = destination.Client.ReceiveAsync(new byte[16], CancellationToken.None);
        await relay(destination.Server);
        return await received.WaitAsync(s_limit);
    }

    [Theory]
    [InlineData(1000, "bye", 1000, "bye")]
    [InlineData(1014, "upstream", 1014, "upstream")]
    [InlineData(4404, "not found", 4404, "not found")]
    [InlineData(1006, "", 1001, "1006 Abnormal Closure on the other side")]
    [InlineData(1015, "", 1008, "1015 TLS handshake failure on the other side")]
    [InlineData(1004, "x", 1002, "malformed close on the other side")]
    [InlineData(1005, "", 1000, "")]
    public async Task Rfc6455_7_4_RelayCloseAsync_FromAResult_SendsTheMappedClose(int code, string reason, int expectedCode, string expectedReason)
    {
        WebSocketReceiveResult received = await RelayedAsync(server => server.RelayCloseAsync(Result((WebSocketCloseStatus)code, reason), CancellationToken.None));
        ((int?)received.CloseStatus).Should().Be(expectedCode);
        received.CloseStatusDescription.Should().Be(expectedReason);
    }

    [Fact]
    public async Task RelayCloseAsync_ALongReason_IsCutWithoutSplittingACharacter()
    {
        string reason = string.Concat(System.Linq.Enumerable.Repeat("世界😀", 20));
        WebSocketReceiveResult received = await RelayedAsync(server => server.RelayCloseAsync(Result(WebSocketCloseStatus.InternalServerError, reason), CancellationToken.None));
        received.CloseStatusDescription.Should().Be(CloseRelay.GetReason(WebSocketCloseStatus.InternalServerError, reason)).And.EndWith("…");
    }

    [Fact]
    public async Task Rfc6455_7_1_5_RelayCloseAsync_FromASocket_ItsCloseOr1006()
    {
        using SocketPair source = await SocketPair.ConnectAsync();
        Task<WebSocketReceiveResult> atServer = source.Server.ReceiveAsync(new byte[16], CancellationToken.None);
        await source.Client.CloseOutputAsync(WebSocketCloseStatus.TryAgainLater, "later", CancellationToken.None);
        await atServer.WaitAsync(s_limit);
        WebSocketReceiveResult received = await RelayedAsync(server => server.RelayCloseAsync(source.Server, CancellationToken.None));
        ((int?)received.CloseStatus).Should().Be(1013);
        received.CloseStatusDescription.Should().Be("later");

        using SocketPair dropped = await SocketPair.ConnectAsync();
        dropped.Server.Abort();
        received = await RelayedAsync(server => server.RelayCloseAsync(dropped.Server, CancellationToken.None));
        received.CloseStatus.Should().Be(NetStatus.EndpointUnavailable);
        received.CloseStatusDescription.Should().Be("1006 Abnormal Closure on the other side");
    }

    [Fact]
    public async Task RelayCloseAsync_ADestinationWithACloser_ClosesThroughIt_BoundedWithItsResult()
    {
        // A terminating proxy's loops read through closers: the relayed close must be the closer's own, with its timeout.
        using SocketPair answering = await SocketPair.ConnectAsync();
        var closer = new WebSocketCloser(answering.Server);
        Task loop = ReceiveUntilCloseAsync(closer);
        Task<WebSocketReceiveResult> atClient = answering.Client.ReceiveAsync(new byte[64], CancellationToken.None);
        Task relayed = answering.Server.RelayCloseAsync(Result((WebSocketCloseStatus)4001, "upstream left"), CancellationToken.None);
        WebSocketReceiveResult received = await atClient.WaitAsync(s_limit);
        ((int?)received.CloseStatus).Should().Be(4001);
        await answering.Client.CloseOutputAsync(received.CloseStatus!.Value, null, CancellationToken.None);
        await relayed.WaitAsync(s_limit);
        await loop.WaitAsync(s_limit);
        WebSocketCloseResult result = await closer.Completion;
        result.ToString().Should().Be("4001 Private use (4000–4999), clean, started by Local, sent 4001");

        using SocketPair silent = await SocketPair.ConnectAsync();
        var bounded = new WebSocketCloser(silent.Server, new WebSocketCloseOptions { Timeout = TimeSpan.FromMilliseconds(200) });
        Task silentLoop = ReceiveUntilCloseAsync(bounded);
        await silent.Server.RelayCloseAsync(Result(WebSocketCloseStatus.Empty, ""), CancellationToken.None).WaitAsync(s_limit);
        WebSocketCloseResult timedOut = await bounded.Completion.WaitAsync(s_limit);
        timedOut.TimedOut.Should().BeTrue("a peer that never answers is cut at the closer's timeout, not waited for");
        timedOut.SentStatus.Should().Be(WebSocketCloseStatus.NormalClosure, "1005 goes on as 1000, which System.Net can send");
        await silentLoop.WaitAsync(s_limit);
    }

    private static async Task ReceiveUntilCloseAsync(WebSocketCloser closer)
    {
        while ((await closer.ReceiveAsync(new ArraySegment<byte>(new byte[64]), CancellationToken.None)).MessageType != WebSocketMessageType.Close)
        {
        }
    }

    [Fact]
    public async Task RelayCloseAsync_ADestinationThatSentItsCloseOrEnded_SendsNothing()
    {
        using SocketPair destination = await SocketPair.ConnectAsync();
        await destination.Server.CloseOutputAsync(NetStatus.NormalClosure, null, CancellationToken.None);
        Task relayed = destination.Server.RelayCloseAsync(Result(WebSocketCloseStatus.ServiceRestart, ""), CancellationToken.None);
        relayed.IsCompletedSuccessfully.Should().BeTrue();
        destination.Server.Abort();
        destination.Server.RelayCloseAsync(Result(WebSocketCloseStatus.ServiceRestart, ""), CancellationToken.None).IsCompletedSuccessfully.Should().BeTrue();
    }

    [Fact]
    public async Task RelayCloseAsync_CallerMistakes_Throw()
    {
        using SocketPair pair = await SocketPair.ConnectAsync();
        FluentActions.Invoking(() => { _ = ((WebSocket)null!).RelayCloseAsync(Result(WebSocketCloseStatus.NormalClosure, ""), CancellationToken.None); })
            .Should().Throw<ArgumentNullException>().WithParameterName("destination");
        FluentActions.Invoking(() => { _ = pair.Server.RelayCloseAsync((WebSocketCloseResult)null!, CancellationToken.None); })
            .Should().Throw<ArgumentNullException>().WithParameterName("source");
        FluentActions.Invoking(() => { _ = pair.Server.RelayCloseAsync((WebSocket)null!, CancellationToken.None); })
            .Should().Throw<ArgumentNullException>().WithParameterName("source");
        FluentActions.Invoking(() => { _ = ((WebSocket)null!).RelayCloseAsync(pair.Client, CancellationToken.None); })
            .Should().Throw<ArgumentNullException>().WithParameterName("destination");
        FluentActions.Invoking(() => { _ = pair.Server.RelayCloseAsync(pair.Client, CancellationToken.None); })
            .Should().Throw<ArgumentException>().WithParameterName("source").WithMessage("*Open*");
    }
}
