using System;
using System.Net.WebSockets;
using System.Threading;
using System.Threading.Tasks;
using FluentAssertions;
using WebSockets.CloseStatus.Tests.TestData;
using Xunit;
using static WebSockets.CloseStatus.Tests.TestData.Connections;
using NetStatus = System.Net.WebSockets.WebSocketCloseStatus;
using Status = WebSockets.CloseStatus.WebSocketCloseStatus;

namespace WebSockets.CloseStatus.Tests;

/// <summary>
/// What .NET's own <see cref="WebSocket"/> reports in each close scenario, measured beside what
/// <see cref="WebSocketExtensions.CloseGracefullyAsync(WebSocket, Status, string, TimeSpan, CancellationToken)"/> reports:
/// the README's table. If a runtime changes what it does, these fail and the table is out of date.
/// </summary>
public sealed class SystemNetCloseComparisonTests
{
    // How long .NET's CloseAsync is given before the measurement calls it a hang.
    private static readonly TimeSpan s_hang = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan s_timeout = TimeSpan.FromMilliseconds(500);

    [Fact]
    public async Task PeerNeverAnswers_DotNetCloseAsyncDoesNotEnd_OursEndsAfterTheTimeout()
    {
        using RawPair dotnet = await ToRawPeerAsync();
        Task close = dotnet.Client.CloseAsync(NetStatus.NormalClosure, "bye", CancellationToken.None);
        (await Task.WhenAny(close, Task.Delay(s_hang))).Should().NotBeSameAs(close, "CloseAsync waits for a reply that never comes");
        dotnet.Client.State.Should().Be(WebSocketState.CloseSent);
        dotnet.Client.Abort();

        using RawPair ours = await ToRawPeerAsync();
        WebSocketCloseResult result = await ours.Client.CloseGracefullyAsync(Status.NormalClosure, "bye", s_timeout, CancellationToken.None);
        result.CloseStatus.Should().Be(Status.AbnormalClosure);
        result.TimedOut.Should().BeTrue();
        result.WasClean.Should().BeFalse();
    }

    [Fact]
    public async Task PeerDropsTcpAfterOurClose_DotNetThrows_OursReports1006()
    {
        using RawPair dotnet = await ToRawPeerAsync();
        Task close = dotnet.Client.CloseAsync(NetStatus.NormalClosure, "bye", CancellationToken.None);
        await dotnet.Peer.ReadCloseAsync(Patience);
        dotnet.Peer.DropConnection();
        (await FluentActions.Awaiting(() => close.WaitAsync(Patience)).Should().ThrowAsync<WebSocketException>())
            .Which.Message.Should().Contain("without completing the close handshake");
        dotnet.Client.CloseStatus.Should().BeNull();

        using RawPair ours = await ToRawPeerAsync();
        Task<WebSocketCloseResult> closing = ours.Client.CloseGracefullyAsync(Status.NormalClosure, "bye", Patience, CancellationToken.None);
        await ours.Peer.ReadCloseAsync(Patience);
        ours.Peer.DropConnection();
        WebSocketCloseResult result = await Within(closing);
        result.CloseStatus.Should().Be(Status.AbnormalClosure);
        result.WasClean.Should().BeFalse();
        result.Exception.Should().BeOfType<WebSocketException>();
    }

    [Fact]
    public async Task ReplyAlreadyReceived_DotNetCloseAsyncThrows_OursReportsTheCleanClose()
    {
        // dotnet/corefx#9985: CloseOutputAsync, the reply arrives in the receive loop, then CloseAsync.
        using RawPair dotnet = await ToRawPeerAsync();
        await dotnet.Client.CloseOutputAsync(NetStatus.NormalClosure, "bye", CancellationToken.None);
        await dotnet.Peer.ReadCloseAsync(Patience);
        await dotnet.Peer.SendCloseAsync(1000, "ok");
        await ReceiveCloseAsync(dotnet.Client);
        dotnet.Client.State.Should().Be(WebSocketState.Closed);
        Exception? thrown = await Record(() => dotnet.Client.CloseAsync(NetStatus.NormalClosure, "bye", CancellationToken.None));
        thrown.Should().BeOfType<WebSocketException>().Which.Message.Should().Contain("invalid state ('Closed')");

        using RawPair ours = await ToRawPeerAsync();
        await ours.Client.CloseOutputAsync(Status.NormalClosure, "bye", CancellationToken.None);
        await ours.Peer.ReadCloseAsync(Patience);
        await ours.Peer.SendCloseAsync(1000, "ok");
        await ReceiveCloseAsync(ours.Client);
        WebSocketCloseResult result = await ours.Client.CloseGracefullyAsync(Status.NormalClosure, "bye", Patience, CancellationToken.None);
        result.WasClean.Should().BeTrue();
        result.CloseStatusDescription.Should().Be("ok");
        result.Initiator.Should().BeNull("a closer created on a Closed socket did not see who started");
    }

    [Fact]
    public async Task PeerSendsAnEmptyClose_DotNetReports1000_SoDoesTheResult()
    {
        using RawPair pair = await ToRawPeerAsync();
        Task<WebSocketCloseResult> closing = pair.Client.CloseGracefullyAsync(Status.NormalClosure, null, Patience, CancellationToken.None);
        await pair.Peer.ReadCloseAsync(Patience);
        await pair.Peer.SendFrameAsync(0x8, []);
        WebSocketCloseResult result = await Within(closing);

        pair.Client.CloseStatus.Should().Be(NetStatus.NormalClosure, "System.Net reports a close without a code as 1000, not 1005 (RFC 6455 §7.1.5)");
        result.CloseStatus.Should().Be(Status.NormalClosure, "the result can know no more than System.Net says");
        result.WasClean.Should().BeTrue();
    }

    [Fact]
    public async Task ClosingWithEmpty_DotNetSends1005OnTheWire_OursThrowsBeforeAnyIO()
    {
        using RawPair dotnet = await ToRawPeerAsync();
        await dotnet.Client.CloseOutputAsync(NetStatus.Empty, null, CancellationToken.None);
        RawPeer.Frame? sent = await dotnet.Peer.ReadCloseAsync(Patience);
        sent!.CloseCode.Should().Be(1005, "a code RFC 6455 §7.4.1 says must not be sent");

        using RawPair ours = await ToRawPeerAsync();
        FluentActions.Invoking(() => { _ = ours.Client.CloseGracefullyAsync(Status.Empty, null, Patience, CancellationToken.None); })
            .Should().Throw<ArgumentOutOfRangeException>();
        ours.Client.State.Should().Be(WebSocketState.Open);
    }

    [Fact]
    public async Task DataAfterOurClose_BothDiscardIt_OursReportsTheCleanClose()
    {
        using RawPair dotnet = await ToRawPeerAsync();
        Task close = dotnet.Client.CloseAsync(NetStatus.NormalClosure, null, CancellationToken.None);
        await dotnet.Peer.ReadCloseAsync(Patience);
        await dotnet.Peer.SendTextAsync("late");
        await dotnet.Peer.SendCloseAsync(1000, string.Empty);
        dotnet.Peer.DropConnection();
        await close.WaitAsync(Patience);
        dotnet.Client.State.Should().Be(WebSocketState.Closed, "CloseAsync dropped the message without a word");

        using RawPair ours = await ToRawPeerAsync();
        Task<WebSocketCloseResult> closing = ours.Client.CloseGracefullyAsync(Status.NormalClosure, null, new WebSocketCloseOptions(), CancellationToken.None);
        await ours.Peer.ReadCloseAsync(Patience);
        await ours.Peer.SendTextAsync("late");
        await ours.Peer.SendCloseAsync(1000, string.Empty);
        ours.Peer.DropConnection();
        WebSocketCloseResult result = await Within(closing);
        result.WasClean.Should().BeTrue("data after our close is discarded (the closer without a loop drops it)");
        result.CloseStatus.Should().Be(Status.NormalClosure);
    }

    [Fact]
    public async Task KeepAliveTimeout_DotNetThrowsWithNoStatus_OursReturnsAClose_1006Aborted()
    {
        using RawPair pair = await ToRawPeerAsync(options =>
        {
            options.KeepAliveInterval = TimeSpan.FromMilliseconds(100);
            options.KeepAliveTimeout = TimeSpan.FromMilliseconds(300);
        });
        Task<RawPeer.Frame?> reading = pair.Peer.ReadCloseAsync(Patience);

        Exception? thrown = await Record(() => ReceiveCloseAsync(pair.Client));

        thrown.Should().BeAssignableTo<OperationCanceledException>("a receive fails with \"Aborted\", the keep-alive timeout inside");
        pair.Client.CloseStatus.Should().BeNull();
        pair.Client.State.Should().Be(WebSocketState.Aborted);

        // Ours: the loop reads through the closer, whose receive returns a Close message instead of throwing.
        using RawPair ours = await ToRawPeerAsync(options =>
        {
            options.KeepAliveInterval = TimeSpan.FromMilliseconds(100);
            options.KeepAliveTimeout = TimeSpan.FromMilliseconds(300);
        });
        Task<RawPeer.Frame?> oursReading = ours.Peer.ReadCloseAsync(Patience);
        var closer = new WebSocketCloser(ours.Client);
        WebSocketReceiveResult received = await Within(closer.ReceiveAsync(new byte[256], CancellationToken.None));
        WebSocketCloseResult result = await Within(closer.Completion);

        received.MessageType.Should().Be(WebSocketMessageType.Close);
        received.Count.Should().Be(0);
        result.CloseStatus.Should().Be(Status.AbnormalClosure);
        result.Aborted.Should().BeTrue();
        result.TimedOut.Should().BeFalse("only the close's own deadline is a timeout; the keep-alive recognition was removed");
        result.Exception.Should().BeAssignableTo<OperationCanceledException>();
        await reading;
        await oursReading;
    }

    private static async Task<Exception?> Record(Func<Task> action)
    {
        try
        {
            await action().WaitAsync(Patience);
            return null;
        }
        catch (Exception e) when (e is not TimeoutException)
        {
            return e;
        }
    }
}
