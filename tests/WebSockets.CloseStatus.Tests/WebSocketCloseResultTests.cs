using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
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
/// The bounded close and its result, state by state and peer behavior by behavior, on <see cref="ScriptedWebSocket"/>:
/// System.Net's state rules without a network, so the mutation run can afford them (RFC 6455 §7.1.4–§7.1.7). The same
/// cases against real peers are in <see cref="WebSocketExtensionsGracefulTests"/>.
/// </summary>
public sealed class WebSocketCloseResultTests
{
    private static readonly TimeSpan s_patience = Connections.Patience;
    private static readonly TimeSpan s_shortTimeout = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan s_timeoutBound = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Open_PeerReplies_SendsOnce_Clean_LocalStarted()
    {
        var socket = new ScriptedWebSocket().ThenClose(NetStatus.EndpointUnavailable, "bye too");

        WebSocketCloseResult result = await socket.CloseGracefullyAsync(Status.ServiceRestart, "restart", s_patience, CancellationToken.None);

        socket.Sent.Should().Equal(((NetStatus)1012, "restart"));
        socket.Receives.Should().Be(1);
        result.CloseStatus.Should().Be(Status.EndpointUnavailable);
        result.CloseStatusDescription.Should().Be("bye too");
        result.WasClean.Should().BeTrue();
        result.Initiator.Should().Be(CloseInitiator.Local);
        result.SentStatus.Should().Be(Status.ServiceRestart);
        result.TimedOut.Should().BeFalse();
        result.Aborted.Should().BeFalse();
        result.Exception.Should().BeNull();
        socket.State.Should().Be(WebSocketState.Closed);
    }

    [Fact]
    public async Task Open_DataThenClose_NoLoop_TheCloseDiscardsTheData_ThenClean()
    {
        // The doc: with no loop, the close receives itself and discards data until the peer's close.
        var socket = new ScriptedWebSocket()
            .ThenData(WebSocketMessageType.Text, (byte)'a', 3, endOfMessage: false)
            .ThenData(WebSocketMessageType.Text, (byte)'b', 2)
            .ThenData(WebSocketMessageType.Binary, 7, 4096)
            .ThenClose(NetStatus.NormalClosure, string.Empty);

        WebSocketCloseResult result = await socket.CloseGracefullyAsync(Status.NormalClosure, null, new WebSocketCloseOptions { Timeout = s_patience }, CancellationToken.None);

        socket.Receives.Should().Be(4);
        result.WasClean.Should().BeTrue();
        result.CloseStatusDescription.Should().BeEmpty();
        socket.Sent.Should().Equal((NetStatus.NormalClosure, (string?)null));
        socket.Disposed.Should().BeTrue("close frames went both ways: the socket is disposed, which ends TCP (§7.1.1)");
    }

    [Fact]
    public async Task Open_DataWithoutACallback_IsDropped_ThenClean()
    {
        var socket = new ScriptedWebSocket().ThenData(WebSocketMessageType.Text, 1, 10).ThenClose(NetStatus.NormalClosure, "ok");

        WebSocketCloseResult result = await socket.CloseGracefullyAsync(Status.NormalClosure, null, new WebSocketCloseOptions(), CancellationToken.None);

        socket.Receives.Should().Be(2);
        result.WasClean.Should().BeTrue();
    }

    [Fact]
    public async Task Open_PeerSilent_TimesOut_Aborts_1006_NotClean()
    {
        var socket = new ScriptedWebSocket();
        var clock = Stopwatch.StartNew();

        WebSocketCloseResult result = await socket.CloseGracefullyAsync(Status.PolicyViolation, "no", s_shortTimeout, CancellationToken.None);

        clock.Elapsed.Should().BeLessThan(s_timeoutBound);
        result.CloseStatus.Should().Be(Status.AbnormalClosure);
        result.CloseStatusDescription.Should().BeEmpty();
        result.WasClean.Should().BeFalse();
        result.TimedOut.Should().BeTrue();
        result.Aborted.Should().BeTrue();
        result.Exception.Should().BeNull();
        result.Initiator.Should().Be(CloseInitiator.Local);
        result.SentStatus.Should().Be(Status.PolicyViolation);
        result.ToString().Should().Be("1006 Abnormal Closure, not clean, timed out, aborted, started by Local, sent 1008");
        socket.State.Should().Be(WebSocketState.Aborted);
    }

    [Fact]
    public async Task Timeout_OfInt32MaxValueMilliseconds_IsAccepted()
    {
        var socket = new ScriptedWebSocket().ThenClose(NetStatus.NormalClosure, "ok");

        WebSocketCloseResult result = await socket.CloseGracefullyAsync(Status.NormalClosure, null, TimeSpan.FromMilliseconds(int.MaxValue), CancellationToken.None);

        result.WasClean.Should().BeTrue();
    }

    [Fact]
    public async Task DataThenReceiveFails_TheFailureIsInTheResult_NotThrown()
    {
        var failure = new WebSocketException(WebSocketError.ConnectionClosedPrematurely);
        var socket = new ScriptedWebSocket().ThenData(WebSocketMessageType.Text, 1, 1).ThenFail(failure);

        WebSocketCloseResult result = await socket.CloseGracefullyAsync(Status.NormalClosure, null, new WebSocketCloseOptions(), CancellationToken.None);

        result.Exception.Should().BeSameAs(failure, "the peer's failure is a result");
        result.WasClean.Should().BeFalse();
        result.SentStatus.Should().Be(Status.NormalClosure);
    }

    [Fact]
    public async Task PeersCloseWithoutADescription_IsAnEmptyOne()
    {
        var socket = new ScriptedWebSocket().ThenClose(NetStatus.NormalClosure, null);

        WebSocketCloseResult result = await socket.CloseGracefullyAsync(Status.NormalClosure, null, s_patience, CancellationToken.None);

        result.CloseStatusDescription.Should().BeEmpty();
        result.ToString().Should().Be("1000 Normal Closure, clean, started by Local, sent 1000");
    }

    [Fact]
    public async Task NoContinuation_RunsOnTheCallersSynchronizationContext()
    {
        // A UI or classic ASP.NET caller that blocks on the close must not deadlock it: every await is ConfigureAwait(false).
        var replying = new ScriptedWebSocket { CompletesAsynchronously = true }.ThenData(WebSocketMessageType.Text, 1, 1).ThenClose(NetStatus.NormalClosure, "ok");
        var draining = new ScriptedWebSocket { CompletesAsynchronously = true }.ThenClose(NetStatus.NormalClosure, "ok");
        await draining.CloseOutputAsync(NetStatus.NormalClosure, null, CancellationToken.None); // CloseSent: the close only receives
        var looping = new ScriptedWebSocket { CompletesAsynchronously = true }.ThenCloseOnceWeSent(NetStatus.NormalClosure, "ok");
        var closer = new WebSocketCloser(looping, new WebSocketCloseOptions { Timeout = s_patience });

        (int posts, WebSocketCloseResult result) = await OnContextAsync(() => replying.CloseGracefullyAsync(Status.NormalClosure, null, s_patience, CancellationToken.None));
        (int drainPosts, WebSocketCloseResult drained) = await OnContextAsync(() => draining.CloseGracefullyAsync(Status.NormalClosure, null, s_patience, CancellationToken.None));
        (int loopPosts, Task<WebSocketReceiveResult> loop) = OnContextStart(() => closer.ReceiveAsync(new byte[16], CancellationToken.None));
        CountingSynchronizationContext loopContext = s_lastContext!;
        (int closePosts, WebSocketCloseResult closed) = await OnContextAsync(() => closer.CloseAsync(Status.NormalClosure, null, CancellationToken.None));
        await loop.WaitAsync(s_patience);

        result.WasClean.Should().BeTrue();
        posts.Should().Be(0);
        drained.WasClean.Should().BeTrue();
        drainPosts.Should().Be(0);
        closed.WasClean.Should().BeTrue();
        closePosts.Should().Be(0);
        loopContext.Posts.Should().Be(loopPosts).And.Be(0);
    }

    private static CountingSynchronizationContext? s_lastContext;

    private static async Task<(int Posts, T Result)> OnContextAsync<T>(Func<Task<T>> start)
    {
        (_, Task<T> task) = OnContextStart(start);
        T result = await task.WaitAsync(Connections.Patience);
        return (s_lastContext!.Posts, result);
    }

    private static (int Posts, Task<T> Task) OnContextStart<T>(Func<Task<T>> start)
    {
        var context = new CountingSynchronizationContext();
        s_lastContext = context;
        SynchronizationContext? previous = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(context);
        try
        {
            return (context.Posts, start());
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(previous);
        }
    }

    [Fact]
    public async Task Open_ReceiveFails_TheExceptionInTheResult_NotTimedOut()
    {
        var failure = new WebSocketException(WebSocketError.ConnectionClosedPrematurely);
        var socket = new ScriptedWebSocket().ThenFail(failure);

        WebSocketCloseResult result = await socket.CloseGracefullyAsync(Status.NormalClosure, null, s_patience, CancellationToken.None);

        result.Exception.Should().BeSameAs(failure);
        result.CloseStatus.Should().Be(Status.AbnormalClosure);
        result.WasClean.Should().BeFalse();
        result.TimedOut.Should().BeFalse();
        result.Aborted.Should().BeTrue();
    }

    [Fact]
    public async Task Open_KeepAliveShapedFailure_NotTimedOut_OnlyAborted()
    {
        // The keep-alive-timeout recognition was removed: only the close's own deadline sets TimedOut.
        var keepAlive = new OperationCanceledException("Aborted", new AggregateException(new WebSocketException(WebSocketError.Faulted)));
        var socket = new ScriptedWebSocket().ThenFail(keepAlive);

        WebSocketCloseResult result = await socket.CloseGracefullyAsync(Status.NormalClosure, null, s_patience, CancellationToken.None);

        result.TimedOut.Should().BeFalse();
        result.Aborted.Should().BeTrue();
        result.Exception.Should().BeSameAs(keepAlive, "a cancellation on an aborted socket is the connection's end");
    }

    [Fact]
    public async Task CloseReceived_RepliesOnly_NoReceive_RemoteStarted_Clean()
    {
        var socket = new ScriptedWebSocket().ThenClose(NetStatus.InternalServerError, "oops");
        await socket.ReceiveAsync(new byte[16], CancellationToken.None);

        WebSocketCloseResult result = await socket.CloseGracefullyAsync(Status.InternalServerError, null, s_patience, CancellationToken.None);

        socket.Receives.Should().Be(1, "only the receive that took the peer's close");
        socket.Sent.Should().Equal((NetStatus.InternalServerError, (string?)null));
        result.Initiator.Should().Be(CloseInitiator.Remote);
        result.WasClean.Should().BeTrue();
        result.CloseStatus.Should().Be(Status.InternalServerError);
        result.CloseStatusDescription.Should().Be("oops");
        result.SentStatus.Should().Be(Status.InternalServerError);
    }

    [Fact]
    public async Task CloseSent_BySystemNetsOwnClose_OnlyWaits_LocalStarted_NothingRecorded()
    {
        var socket = new ScriptedWebSocket().ThenClose(NetStatus.NormalClosure, "ok");
        await socket.CloseOutputAsync(NetStatus.NormalClosure, "mine", CancellationToken.None);

        WebSocketCloseResult result = await socket.CloseGracefullyAsync(Status.EndpointUnavailable, "ignored", s_patience, CancellationToken.None);

        socket.Sent.Should().HaveCount(1, "a close frame went out already");
        result.Initiator.Should().Be(CloseInitiator.Local);
        result.SentStatus.Should().BeNull();
        result.WasClean.Should().BeTrue();
    }

    [Theory]
    [InlineData(WebSocketState.Closed)]
    [InlineData(WebSocketState.Aborted)]
    public async Task Ended_NoIO_AbnormalClosure_WhenNoCloseArrived(WebSocketState ended)
    {
        var socket = new ScriptedWebSocket(ended);

        WebSocketCloseResult result = await socket.CloseGracefullyAsync(Status.NormalClosure, "bye", s_patience, CancellationToken.None);

        socket.Sent.Should().BeEmpty();
        socket.Receives.Should().Be(0);
        socket.State.Should().Be(ended);
        result.CloseStatus.Should().Be(Status.AbnormalClosure);
        result.WasClean.Should().BeFalse();
        result.TimedOut.Should().BeFalse();
        result.Aborted.Should().Be(ended == WebSocketState.Aborted);
        result.Initiator.Should().Be(CloseInitiator.None);
        result.SentStatus.Should().BeNull();
    }

    [Theory]
    [InlineData(WebSocketState.None)]
    [InlineData(WebSocketState.Connecting)]
    public async Task NotConnected_Aborted_NoIO(WebSocketState notConnected)
    {
        var socket = new ScriptedWebSocket(notConnected);

        WebSocketCloseResult result = await socket.CloseGracefullyAsync(Status.NormalClosure, null, s_patience, CancellationToken.None);

        socket.Sent.Should().BeEmpty();
        socket.State.Should().Be(WebSocketState.Closed, "ended, as ClientWebSocket's Abort ends one that never connected");
        result.Aborted.Should().BeFalse("there was no connection to abort");
        result.CloseStatus.Should().Be(Status.AbnormalClosure);
        result.Initiator.Should().Be(CloseInitiator.None);
        result.TimedOut.Should().BeFalse();
    }

    [Fact]
    public async Task CancelledBefore_AbortsWithoutSending_TheResultSaysSo()
    {
        // The doc: a token cancelled before the call aborts the connection, sends nothing, and throws nothing.
        var socket = new ScriptedWebSocket();

        WebSocketCloseResult result = await Within(socket.CloseGracefullyAsync(Status.NormalClosure, null, s_patience, new CancellationToken(canceled: true)));

        socket.Sent.Should().BeEmpty();
        socket.State.Should().Be(WebSocketState.Aborted);
        result.Aborted.Should().BeTrue();
        result.SentStatus.Should().BeNull();
        result.Exception.Should().BeOfType<OperationCanceledException>();
    }

    [Fact]
    public async Task CancelledBefore_ALaterCloseOnTheSameSocket_ReturnsTheSameResult()
    {
        var socket = new ScriptedWebSocket().ThenClose(NetStatus.NormalClosure, "ok");
        var closer = new WebSocketCloser(socket, new WebSocketCloseOptions { Timeout = s_patience });
        var cancelled = new CancellationToken(canceled: true);

        WebSocketCloseResult first = await Within(closer.CloseAsync(Status.EndpointUnavailable, null, cancelled));
        WebSocketCloseResult again = await Within(closer.CloseAsync(Status.TryAgainLater, null, CancellationToken.None));
        WebSocketCloseResult graceful = await Within(socket.CloseGracefullyAsync(Status.EndpointUnavailable, null, new WebSocketCloseOptions(), CancellationToken.None));

        socket.Sent.Should().BeEmpty();
        again.Should().BeSameAs(first);
        graceful.Should().BeSameAs(first, "CloseGracefullyAsync closes through the socket's closer");
    }

    [Fact]
    public async Task CancelledDuring_NoLoop_AbortedResult_WithTheCallersCancellation()
    {
        // The doc: cancelled while closing, the connection is aborted and the result says so.
        var socket = new ScriptedWebSocket();
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));

        WebSocketCloseResult result = await Within(socket.CloseGracefullyAsync(Status.NormalClosure, null, s_patience, cancel.Token));

        socket.State.Should().Be(WebSocketState.Aborted);
        result.Aborted.Should().BeTrue();
        result.WasClean.Should().BeFalse();
        result.TimedOut.Should().BeFalse();
        result.SentStatus.Should().Be(Status.NormalClosure);
        result.Exception.Should().BeOfType<OperationCanceledException>()
            .Which.CancellationToken.Should().Be(cancel.Token);
        result.Exception!.Message.Should().Contain("close's cancellation token was cancelled");
    }

    [Fact]
    public async Task Truncation_FromTheOptions_CutsTheReasonSent()
    {
        var socket = new ScriptedWebSocket().ThenClose(NetStatus.NormalClosure, string.Empty);
        string reason = string.Concat(Enumerable.Repeat("中", 50)); // 150 bytes in UTF-8
        var options = new WebSocketCloseOptions { Truncation = CloseReasonTruncation.Truncate };

        await socket.CloseGracefullyAsync(Status.NormalClosure, reason, options, CancellationToken.None);

        socket.Sent.Single().Description.Should().Be(new string('中', 41), "41 CJK characters are 123 bytes");
    }

    [Fact]
    public async Task SystemNetsOwnCloseOutput_ThenTheLoopThroughACloser_InitiatorUnknown()
    {
        // Result doc: Initiator is null when System.Net's own close methods closed it, whose order this library did not see.
        var socket = new ScriptedWebSocket().ThenClose(NetStatus.NormalClosure, "ok");
        await socket.CloseOutputAsync(NetStatus.NormalClosure, null, CancellationToken.None);
        var closer = new WebSocketCloser(socket);

        WebSocketReceiveResult received = await closer.ReceiveAsync(new byte[16], CancellationToken.None);
        WebSocketCloseResult result = await Within(closer.Completion);

        received.MessageType.Should().Be(WebSocketMessageType.Close);
        result.Initiator.Should().BeNull();
        result.WasClean.Should().BeTrue();
        result.SentStatus.Should().BeNull();
        result.ToString().Should().Be("1000 Normal Closure \"ok\", clean, started by unknown");
    }

    [Fact]
    public async Task DisposedBeforeTheEnd_NoIO_AbnormalClosure()
    {
        var socket = new ScriptedWebSocket();
        socket.Dispose();

        WebSocketCloseResult result = await socket.CloseGracefullyAsync(Status.NormalClosure, null, s_patience, CancellationToken.None);

        socket.Sent.Should().BeEmpty();
        result.CloseStatus.Should().Be(Status.AbnormalClosure);
        result.WasClean.Should().BeFalse();
        result.Aborted.Should().BeFalse();
        result.ToString().Should().Be("1006 Abnormal Closure, not clean, started by None");
    }

    // ---- caller mistakes throw before any I/O ----

    [Fact]
    public void CallerMistakes_ThrowArgumentExceptionsWithTheNumbers()
    {
        using var client = new ClientWebSocket();
        var options = new WebSocketCloseOptions();

        FluentActions.Invoking(() => { _ = WebSocketExtensions.CloseGracefullyAsync(null!, Status.NormalClosure, null, s_patience, default); })
            .Should().Throw<ArgumentNullException>().WithParameterName("webSocket");
        FluentActions.Invoking(() => { _ = WebSocketExtensions.CloseGracefullyAsync(null!, Status.NormalClosure, null, options, default); })
            .Should().Throw<ArgumentNullException>().WithParameterName("webSocket");
        FluentActions.Invoking(() => { _ = client.CloseGracefullyAsync(Status.NormalClosure, null, (WebSocketCloseOptions)null!, default); })
            .Should().Throw<ArgumentNullException>().WithParameterName("options");
        FluentActions.Invoking(() => { _ = client.CloseGracefullyAsync(Status.Empty, null, s_patience, default); })
            .Should().Throw<ArgumentOutOfRangeException>().WithParameterName("closeStatus").WithMessage("*1005*System.Net*");
        FluentActions.Invoking(() => { _ = client.CloseGracefullyAsync(Status.AbnormalClosure, null, options, default); })
            .Should().Throw<ArgumentOutOfRangeException>().WithParameterName("closeStatus").WithMessage("1006*");
        FluentActions.Invoking(() => { _ = client.CloseGracefullyAsync(Status.NormalClosure, new string('a', 124), s_patience, default); })
            .Should().Throw<ArgumentException>().WithParameterName("statusDescription").WithMessage("*124 bytes*");
        FluentActions.Invoking(() => { _ = client.CloseGracefullyAsync(Status.NormalClosure, null, TimeSpan.Zero, default); })
            .Should().Throw<ArgumentOutOfRangeException>().WithParameterName("timeout").WithMessage("*it was 0 ms*");
        FluentActions.Invoking(() => { _ = client.CloseGracefullyAsync(Status.NormalClosure, null, Timeout.InfiniteTimeSpan, default); })
            .Should().Throw<ArgumentOutOfRangeException>().WithParameterName("timeout").WithMessage("*it was -1 ms*");
        FluentActions.Invoking(() => { _ = client.CloseGracefullyAsync(Status.NormalClosure, null, TimeSpan.FromMilliseconds(int.MaxValue + 1.0), default); })
            .Should().Throw<ArgumentOutOfRangeException>().WithParameterName("timeout").WithMessage("*2147483648 ms*");
        FluentActions.Invoking(() => new WebSocketCloser(null!))
            .Should().Throw<ArgumentNullException>().WithParameterName("webSocket");
        var closer = new WebSocketCloser(client);
        FluentActions.Invoking(() => { _ = closer.CloseAsync(Status.Empty, null, default); })
            .Should().Throw<ArgumentOutOfRangeException>().WithParameterName("closeStatus");
        FluentActions.Invoking(() => { _ = closer.CloseAsync(Status.NormalClosure, "\uD800", default); })
            .Should().Throw<ArgumentException>().WithParameterName("statusDescription");
        closer.Completion.IsCompleted.Should().BeFalse("a mistake starts nothing");
        client.State.Should().Be(WebSocketState.None, "a mistake changes nothing");
    }

    [Fact]
    public void Options_Defaults_AndTheirEdges()
    {
        var options = new WebSocketCloseOptions();

        options.Timeout.Should().Be(TimeSpan.FromSeconds(5)).And.Be(WebSocketCloseOptions.DefaultTimeout);
        options.Truncation.Should().Be(CloseReasonTruncation.None);

        options.Timeout = TimeSpan.FromTicks(1);
        options.Timeout.Should().Be(TimeSpan.FromTicks(1));
        options.Timeout = TimeSpan.FromMilliseconds(int.MaxValue);
        options.Timeout.Should().Be(TimeSpan.FromMilliseconds(int.MaxValue));
        FluentActions.Invoking(() => options.Timeout = TimeSpan.Zero).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*it was 0 ms*");
        FluentActions.Invoking(() => options.Timeout = TimeSpan.FromMilliseconds(int.MaxValue + 1.0)).Should().Throw<ArgumentOutOfRangeException>();
        options.Timeout.Should().Be(TimeSpan.FromMilliseconds(int.MaxValue), "a refused value changes nothing");

        foreach (CloseReasonTruncation truncation in Enum.GetValues<CloseReasonTruncation>())
        {
            options.Truncation = truncation;
            options.Truncation.Should().Be(truncation);
        }

        FluentActions.Invoking(() => options.Truncation = (CloseReasonTruncation)3).Should().Throw<ArgumentOutOfRangeException>().WithMessage("3 is not a defined*");
        FluentActions.Invoking(() => options.Truncation = (CloseReasonTruncation)(-1)).Should().Throw<ArgumentOutOfRangeException>();
    }
}
