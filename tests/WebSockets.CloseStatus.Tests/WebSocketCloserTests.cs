using System;
using System.ComponentModel;
using System.IO;
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
/// <see cref="WebSocketCloser"/>'s contract (its XML docs) beside a receive loop, on <see cref="ScriptedWebSocket"/>: one
/// reader, the echo of a peer's close (RFC 6455 §5.5.1), the end of TCP once close frames went both ways (§7.1.1), the
/// deadline, the caller's token and the connection's own, misuse and programming errors. Real peers are in
/// <see cref="WebSocketExtensionsGracefulTests"/>.
/// </summary>
public sealed class WebSocketCloserTests
{
    private static readonly TimeSpan s_shortTimeout = TimeSpan.FromMilliseconds(100);

    private static WebSocketCloser CloserOf(WebSocket socket, TimeSpan? timeout = null) =>
        new(socket, new WebSocketCloseOptions { Timeout = timeout ?? Patience });

    private static Task<WebSocketReceiveResult> Receive(WebSocketCloser closer, CancellationToken cancellationToken = default) =>
        closer.ReceiveAsync(new ArraySegment<byte>(new byte[64]), cancellationToken);

    // A real NullReferenceException, as a bug in a WebSocket implementation or an app's code throws it.
    private static NullReferenceException ABug()
    {
        try
        {
            string? nothing = null;
            _ = nothing!.Length;
            throw new InvalidOperationException("unreachable");
        }
        catch (NullReferenceException e)
        {
            return e;
        }
    }

    // ---- the loop and the close ----

    [Fact]
    public async Task LoopRuns_CloseFromOutside_DoesNotReceive_TheLoopGetsThePeersClose_Clean_Disposed()
    {
        // Class doc: CloseAsync then only sends its close frame and waits for the loop to receive the peer's.
        var socket = new ScriptedWebSocket().ThenData(WebSocketMessageType.Text, 1, 5).ThenCloseOnceWeSent(NetStatus.EndpointUnavailable, "bye too");
        WebSocketCloser closer = CloserOf(socket);
        (await Receive(closer)).Count.Should().Be(5);
        Task<WebSocketReceiveResult> loop = Receive(closer);

        WebSocketCloseResult result = await Within(closer.CloseAsync(Status.ServiceRestart, "restart", CancellationToken.None));
        WebSocketReceiveResult last = await Within(loop);

        socket.Receives.Should().Be(2, "only the loop received");
        socket.Sent.Should().Equal(((NetStatus)1012, "restart"));
        last.MessageType.Should().Be(WebSocketMessageType.Close);
        last.CloseStatus.Should().Be(NetStatus.EndpointUnavailable);
        result.Should().BeSameAs(await closer.Completion);
        result.CloseStatus.Should().Be(Status.EndpointUnavailable);
        result.CloseStatusDescription.Should().Be("bye too");
        result.WasClean.Should().BeTrue();
        result.Initiator.Should().Be(CloseInitiator.Local);
        result.SentStatus.Should().Be(Status.ServiceRestart);
        result.TimedOut.Should().BeFalse();
        result.Aborted.Should().BeFalse();
        result.Exception.Should().BeNull();
        socket.Disposed.Should().BeTrue("close frames went both ways: disposing ends TCP (§7.1.1)");
    }

    [Fact]
    public async Task PeerClosesFirst_WhileTheLoopRuns_TheLoopEchoesThePeersCode_RemoteStarted()
    {
        // §5.5.1: the endpoint that receives a close first answers with a close, typically echoing the status code.
        var socket = new ScriptedWebSocket().ThenClose((NetStatus)4000, "app closing");
        WebSocketCloser closer = CloserOf(socket);

        WebSocketReceiveResult received = await Within(Receive(closer));
        WebSocketCloseResult result = await Within(closer.Completion);
        WebSocketCloseResult again = await closer.CloseAsync(Status.NormalClosure, "late", CancellationToken.None);

        received.MessageType.Should().Be(WebSocketMessageType.Close);
        socket.Sent.Should().Equal(((NetStatus)4000, (string?)null));
        result.Initiator.Should().Be(CloseInitiator.Remote);
        result.SentStatus.Should().Be((Status)4000);
        result.CloseStatus.Should().Be((Status)4000);
        result.WasClean.Should().BeTrue();
        socket.Disposed.Should().BeTrue();
        again.Should().BeSameAs(result, "a call after the loop answered the peer's close returns the first close's result");
        socket.Sent.Should().HaveCount(1);
    }

    [Fact]
    public async Task PeerClosesWithoutAStatus_TheEchoIsNormalClosure()
    {
        var socket = new ScriptedWebSocket().ThenCloseWithoutStatus();
        WebSocketCloser closer = CloserOf(socket);

        await Within(Receive(closer));
        WebSocketCloseResult result = await Within(closer.Completion);

        socket.Sent.Should().Equal((NetStatus.NormalClosure, (string?)null));
        result.SentStatus.Should().Be(Status.NormalClosure);
        result.Initiator.Should().Be(CloseInitiator.Remote);
    }

    [Fact]
    public async Task CloseWhileTheLoopsEchoIsBeingSent_SendsNothingMore_TheResultHasTheEcho()
    {
        // The one send per connection is the loop's echo; a close that starts while it is written must not finish
        // the connection before the echo is recorded (SentStatus is recorded after the send succeeded).
        var gate = new TaskCompletionSource();
        var socket = new ScriptedWebSocket { SendGate = gate.Task }.ThenClose(NetStatus.EndpointUnavailable, "going");
        WebSocketCloser closer = CloserOf(socket);
        Task<WebSocketReceiveResult> loop = Receive(closer);
        socket.State.Should().Be(WebSocketState.Closed, "the echo changed the state and is being written");

        Task<WebSocketCloseResult> closing = closer.CloseAsync(Status.NormalClosure, "mine", CancellationToken.None);
        gate.SetResult();
        WebSocketCloseResult result = await Within(closing);
        await Within(loop);

        socket.Sent.Should().Equal((NetStatus.EndpointUnavailable, (string?)null));
        result.SentStatus.Should().Be(Status.EndpointUnavailable);
        result.Initiator.Should().Be(CloseInitiator.Remote);
        result.WasClean.Should().BeTrue();
    }

    [Fact]
    public async Task LoopAfterTheConnectionEnded_AReceiveFails_ReturnsAClose_ResultUnchanged()
    {
        // ReceiveAsync's doc: any connection end returns a Close message instead of throwing.
        var socket = new ScriptedWebSocket().ThenData(WebSocketMessageType.Binary, 2, 3);
        WebSocketCloser closer = CloserOf(socket, s_shortTimeout);
        await Receive(closer);

        WebSocketCloseResult result = await Within(closer.CloseAsync(Status.NormalClosure, null, CancellationToken.None));
        WebSocketReceiveResult next = await Within(Receive(closer));

        result.TimedOut.Should().BeTrue("the loop was between receives: the deadline finished the close itself");
        result.Aborted.Should().BeTrue();
        next.MessageType.Should().Be(WebSocketMessageType.Close);
        next.Count.Should().Be(0);
        (await closer.Completion).Should().BeSameAs(result);
    }

    // ---- the deadline ----

    [Fact]
    public async Task Deadline_WithALoopReceiving_TheLoopGetsAClose_TimedOut_Aborted()
    {
        // CloseAsync's doc: a deadline (options.Timeout) aborts; ReceiveAsync's: a timeout returns a Close message.
        var socket = new ScriptedWebSocket();
        WebSocketCloser closer = CloserOf(socket, s_shortTimeout);
        Task<WebSocketReceiveResult> loop = Receive(closer);

        WebSocketCloseResult result = await Within(closer.CloseAsync(Status.PolicyViolation, "no", CancellationToken.None));
        WebSocketReceiveResult received = await Within(loop);

        received.MessageType.Should().Be(WebSocketMessageType.Close);
        received.Count.Should().Be(0);
        result.TimedOut.Should().BeTrue();
        result.Aborted.Should().BeTrue();
        result.WasClean.Should().BeFalse();
        result.CloseStatus.Should().Be(Status.AbnormalClosure);
        result.Exception.Should().BeNull("a timeout is said by TimedOut");
        result.SentStatus.Should().Be(Status.PolicyViolation);
        result.Initiator.Should().Be(CloseInitiator.Local);
        socket.Receives.Should().Be(1);
        socket.State.Should().Be(WebSocketState.Aborted);
    }

    [Fact]
    public async Task Deadline_LoopBetweenReceives_NothingInFlight_TheCloserFinishesItself()
    {
        var socket = new ScriptedWebSocket().ThenData(WebSocketMessageType.Text, 1, 1);
        WebSocketCloser closer = CloserOf(socket, s_shortTimeout);
        await Receive(closer); // the loop now handles its message and has no receive in flight

        WebSocketCloseResult result = await Within(closer.CloseAsync(Status.NormalClosure, null, CancellationToken.None));

        result.TimedOut.Should().BeTrue();
        result.Aborted.Should().BeTrue();
        socket.Receives.Should().Be(1, "the close does not receive while a loop owns the receives");
        closer.Completion.IsCompleted.Should().BeTrue();
    }

    [Fact]
    public async Task Deadline_AfterThePeersClose_WhileTheEchoHangs_Aborts()
    {
        // The echo's send is bounded too: the deadline starts when the loop starts answering.
        var socket = new ScriptedWebSocket { SendGate = new TaskCompletionSource().Task }.ThenClose(NetStatus.NormalClosure, null);
        WebSocketCloser closer = CloserOf(socket, s_shortTimeout);
        Task<WebSocketReceiveResult> loop = Receive(closer);

        WebSocketCloseResult result = await Within(closer.Completion);

        result.TimedOut.Should().BeTrue();
        result.SentStatus.Should().BeNull("the echo never completed");
        (await Within(loop)).MessageType.Should().Be(WebSocketMessageType.Close, "the abort failed the echo, and the loop still gets the peer's close");
    }

    // ---- tokens ----

    [Fact]
    public async Task CallersToken_CancelledBefore_AbortsAtOnce_NothingSent_TheLoopGetsAClose()
    {
        // The doc: a token cancelled before the connection ended, before the call too, aborts it; the result says so.
        var socket = new ScriptedWebSocket().ThenCloseOnceWeSent(NetStatus.NormalClosure, "ok");
        WebSocketCloser closer = CloserOf(socket);
        Task<WebSocketReceiveResult> loop = Receive(closer);

        WebSocketCloseResult result = await Within(closer.CloseAsync(Status.NormalClosure, null, new CancellationToken(canceled: true)));

        socket.Sent.Should().BeEmpty();
        result.Aborted.Should().BeTrue();
        result.WasClean.Should().BeFalse();
        result.SentStatus.Should().BeNull();
        result.Exception.Should().BeOfType<OperationCanceledException>().Which.Message.Should().Contain("token was cancelled");
        (await Within(loop)).MessageType.Should().Be(WebSocketMessageType.Close);
        (await Within(closer.CloseAsync(Status.NormalClosure, null, CancellationToken.None))).Should().BeSameAs(result);
    }

    [Fact]
    public async Task CallersToken_CancelledDuring_WithALoop_Aborted_OperationCanceled_TheLoopGetsAClose()
    {
        var socket = new ScriptedWebSocket();
        WebSocketCloser closer = CloserOf(socket);
        Task<WebSocketReceiveResult> loop = Receive(closer);
        using var cancel = new CancellationTokenSource();

        Task<WebSocketCloseResult> closing = closer.CloseAsync(Status.NormalClosure, null, cancel.Token);
        socket.Sent.Should().HaveCount(1);
        cancel.Cancel();
        WebSocketCloseResult result = await Within(closing);

        (await Within(loop)).MessageType.Should().Be(WebSocketMessageType.Close);
        result.Aborted.Should().BeTrue();
        result.WasClean.Should().BeFalse();
        result.TimedOut.Should().BeFalse();
        result.SentStatus.Should().Be(Status.NormalClosure);
        result.Exception.Should().BeOfType<OperationCanceledException>().Which.CancellationToken.Should().Be(cancel.Token);
        result.Exception!.Message.Should().Contain("cancellation token was cancelled");
    }

    [Fact]
    public async Task CallersToken_CancelledAfterTheEnd_ChangesNothing()
    {
        var socket = new ScriptedWebSocket().ThenCloseOnceWeSent(NetStatus.NormalClosure, "ok");
        WebSocketCloser closer = CloserOf(socket);
        Task<WebSocketReceiveResult> loop = Receive(closer);
        using var cancel = new CancellationTokenSource();

        WebSocketCloseResult result = await Within(closer.CloseAsync(Status.NormalClosure, null, cancel.Token));
        await Within(loop);
        cancel.Cancel();

        result.WasClean.Should().BeTrue();
        result.Exception.Should().BeNull();
        (await closer.Completion).Should().BeSameAs(result);
        socket.State.Should().Be(WebSocketState.Closed);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task CallersToken_CancelledAsTheCallStarts_AbortsAtOnce_NothingSentByTheCloser(bool systemNetSentFirst)
    {
        // A token cancelled between the check and the registration runs its callback at once: the close aborts. With
        // System.Net's own close already sent (CloseSent) nothing is in flight, so the callback finishes the close itself.
        var socket = new ScriptedWebSocket();
        if (systemNetSentFirst)
        {
            await socket.CloseOutputAsync(NetStatus.NormalClosure, "mine", CancellationToken.None);
        }

        WebSocketCloser closer = CloserOf(socket);
        using var cancel = new CancellationTokenSource();
        socket.OnStateRead = () =>
        {
            socket.OnStateRead = null;
            cancel.Cancel();
        };

        WebSocketCloseResult result = await Within(closer.CloseAsync(Status.EndpointUnavailable, null, cancel.Token));

        socket.Sent.Should().HaveCount(systemNetSentFirst ? 1 : 0);
        socket.State.Should().Be(WebSocketState.Aborted);
        result.Aborted.Should().BeTrue();
        result.SentStatus.Should().BeNull();
        result.Initiator.Should().Be(CloseInitiator.Local);
        result.Exception.Should().BeOfType<OperationCanceledException>().Which.CancellationToken.Should().Be(cancel.Token);
        closer.Completion.IsCompleted.Should().BeTrue();
    }

    [Fact]
    public async Task RequestAbortedToken_CancelledByTheCleanEnd_IsNotTheCallerCancelling()
    {
        // Issue #38: RequestAborted is cancelled when the connection ends; that must not turn a clean close into a cancellation.
        var socket = new ScriptedWebSocket().ThenCloseOnceWeSent(NetStatus.NormalClosure, "ok");
        WebSocketCloser closer = CloserOf(socket);
        Task<WebSocketReceiveResult> loop = Receive(closer, socket.RequestAborted);

        WebSocketCloseResult result = await Within(closer.CloseAsync(Status.EndpointUnavailable, null, socket.RequestAborted));
        await Within(loop);

        socket.RequestAborted.IsCancellationRequested.Should().BeTrue("disposing the socket ended the connection");
        result.WasClean.Should().BeTrue();
        result.Exception.Should().BeNull();
        result.Aborted.Should().BeFalse();
    }

    [Fact]
    public async Task RequestAbortedToken_CancelledByTheDeadlinesAbort_TimedOut_NoCancellation()
    {
        var socket = new ScriptedWebSocket();
        WebSocketCloser closer = CloserOf(socket, s_shortTimeout);
        Task<WebSocketReceiveResult> loop = Receive(closer, socket.RequestAborted);

        WebSocketCloseResult result = await Within(closer.CloseAsync(Status.NormalClosure, null, socket.RequestAborted));

        (await Within(loop)).MessageType.Should().Be(WebSocketMessageType.Close);
        result.TimedOut.Should().BeTrue();
        result.Exception.Should().BeNull();
    }

    [Fact]
    public async Task RequestAbortedToken_CancelledByThePeerDroppingTcp_TheFailure_NotACancellation()
    {
        var failure = new WebSocketException(WebSocketError.ConnectionClosedPrematurely);
        var gate = new TaskCompletionSource();
        var socket = new ScriptedWebSocket().ThenCloseWhen(gate.Task, NetStatus.NormalClosure, null);
        WebSocketCloser closer = CloserOf(socket);
        Task<WebSocketReceiveResult> loop = Receive(closer, socket.RequestAborted);
        Task<WebSocketCloseResult> closing = closer.CloseAsync(Status.NormalClosure, null, socket.RequestAborted);

        socket.Abort(); // the peer dropped TCP: the connection's token is cancelled, the receive fails
        WebSocketCloseResult result = await Within(closing);
        await Within(loop);

        result.Aborted.Should().BeTrue();
        result.TimedOut.Should().BeFalse();
        result.Exception.Should().BeOfType<WebSocketException>("the socket's own end, not the caller cancelling");
    }

    [Fact]
    public async Task LoopsOwnToken_Cancelled_TheReceiveReturnsAClose_AbortedNotThrown()
    {
        // ReceiveAsync's doc: as in System.Net, cancelling a receive aborts the connection; the loop gets a Close message.
        var socket = new ScriptedWebSocket();
        WebSocketCloser closer = CloserOf(socket);
        using var cancel = new CancellationTokenSource();
        Task<WebSocketReceiveResult> loop = Receive(closer, cancel.Token);

        cancel.Cancel();
        WebSocketReceiveResult received = await Within(loop);
        WebSocketCloseResult result = await Within(closer.Completion);

        received.MessageType.Should().Be(WebSocketMessageType.Close);
        result.Aborted.Should().BeTrue();
        result.Initiator.Should().Be(CloseInitiator.None);
        result.Exception.Should().BeAssignableTo<OperationCanceledException>();
    }

    // ---- misuse: InvalidOperationException at once ----

    [Fact]
    public async Task TwoConcurrentReceives_TheSecondThrows_NamingTheReason()
    {
        var socket = new ScriptedWebSocket();
        WebSocketCloser closer = CloserOf(socket);
        Task<WebSocketReceiveResult> loop = Receive(closer);

        FluentActions.Invoking(() => { _ = Receive(closer); }).Should().Throw<InvalidOperationException>().WithMessage("*another receive is in flight*");

        socket.Receives.Should().Be(1);
        loop.IsCompleted.Should().BeFalse();
        socket.Abort();
        (await Within(loop)).MessageType.Should().Be(WebSocketMessageType.Close);
    }

    [Fact]
    public async Task ReceiveAfterAnOwnerlessCloseBegan_WaitsForTheEnd_ThenGetsTheCloseMessage()
    {
        // The doc: a loop that starts after a close without a loop began gets the close message once the connection ended.
        var socket = new ScriptedWebSocket();
        WebSocketCloser closer = CloserOf(socket);
        Task<WebSocketCloseResult> closing = closer.CloseAsync(Status.NormalClosure, null, CancellationToken.None);

        Task<WebSocketReceiveResult> late = Receive(closer);
        late.IsCompleted.Should().BeFalse("the close owns the one receive until the connection ends");
        int receives = socket.Receives;

        socket.Abort();
        (await Within(closing)).Aborted.Should().BeTrue();
        WebSocketReceiveResult end = await Within(late);
        end.MessageType.Should().Be(WebSocketMessageType.Close);
        end.CloseStatus.Should().Be((NetStatus)1006, "no close frame arrived (RFC 6455 §7.1.5)");
        socket.Receives.Should().Be(receives, "the late loop read nothing itself");
    }

    [Fact]
    public void ASecondCloserForTheSameSocket_Throws_ItWouldReadBesideTheFirst()
    {
        var socket = new ScriptedWebSocket();
        WebSocketCloser first = CloserOf(socket);

        FluentActions.Invoking(() => new WebSocketCloser(socket)).Should().Throw<InvalidOperationException>().WithMessage("*already has a WebSocketCloser*Close through the first*");
        first.WebSocket.Should().BeSameAs(socket);
    }

    [Fact]
    public async Task ReceiveAfterTheCloseMessage_Throws_NamingTheReason()
    {
        var socket = new ScriptedWebSocket().ThenClose(NetStatus.NormalClosure, "ok");
        WebSocketCloser closer = CloserOf(socket);
        await Receive(closer);

        FluentActions.Invoking(() => { _ = Receive(closer); }).Should().Throw<InvalidOperationException>().WithMessage("*already received the close message*");
        socket.Receives.Should().Be(1);
    }

    // ---- SendAsync: no data after this endpoint's close frame (RFC 6455 §5.5.1) ----

    [Fact]
    public async Task Send_WhileOpen_Sends_AfterTheCloseBegan_SendsNothing()
    {
        var socket = new ScriptedWebSocket();
        WebSocketCloser closer = CloserOf(socket);
        Task<WebSocketReceiveResult> loop = Receive(closer);

        (await closer.SendAsync(new ArraySegment<byte>(new byte[7]), WebSocketMessageType.Binary, true, CancellationToken.None)).Should().BeTrue();
        Task<WebSocketCloseResult> closing = closer.CloseAsync(Status.ServiceRestart, null, CancellationToken.None);
        bool afterClose = await closer.SendAsync(new ArraySegment<byte>(new byte[3]), WebSocketMessageType.Text, true, CancellationToken.None);

        afterClose.Should().BeFalse("the close frame went out: no data may follow it");
        socket.DataSent.Should().Equal(7);
        socket.Abort();
        await Within(closing);
        (await closer.SendAsync(new ArraySegment<byte>(new byte[1]), WebSocketMessageType.Text, true, CancellationToken.None)).Should().BeFalse("the connection has ended");
        (await Within(loop)).MessageType.Should().Be(WebSocketMessageType.Close);
    }

    [Fact]
    public async Task Send_TheConnectionFails_False_NotThrown()
    {
        var socket = new ScriptedWebSocket { SendFailure = new WebSocketException(WebSocketError.ConnectionClosedPrematurely) };
        WebSocketCloser closer = CloserOf(socket);

        (await closer.SendAsync(new ArraySegment<byte>(new byte[2]), WebSocketMessageType.Binary, true, CancellationToken.None)).Should().BeFalse();
        socket.State.Should().Be(WebSocketState.Aborted);
    }

    [Fact]
    public async Task Send_RefusedBecauseTheCloseWentOutMeanwhile_False_OtherwiseTheRefusalPropagates()
    {
        // System.Net refuses a send that meets a close in flight with InvalidOperationException: a race, not a bug.
        var socket = new ScriptedWebSocket();
        WebSocketCloser closer = CloserOf(socket);
        socket.OnSend = () =>
        {
            _ = closer.CloseAsync(Status.NormalClosure, null, CancellationToken.None);
            socket.SendFailure = new InvalidOperationException("a send is in flight");
            socket.OnSend = null;
        };

        (await closer.SendAsync(new ArraySegment<byte>(new byte[2]), WebSocketMessageType.Binary, true, CancellationToken.None)).Should().BeFalse();

        var other = new ScriptedWebSocket { SendFailure = new InvalidOperationException("a bug") };
        await FluentActions.Awaiting(() => CloserOf(other).SendAsync(new ArraySegment<byte>(new byte[2]), WebSocketMessageType.Binary, true, CancellationToken.None))
            .Should().ThrowAsync<InvalidOperationException>().WithMessage("a bug");
        socket.Abort();
    }

    // ---- programming errors propagate; connection ends become results ----

    [Fact]
    public async Task ProgrammingError_InTheLoopsReceive_Propagates()
    {
        var socket = new ScriptedWebSocket().ThenThrow(ABug());
        WebSocketCloser closer = CloserOf(socket);

        await FluentActions.Awaiting(() => Receive(closer)).Should().ThrowAsync<NullReferenceException>();
        closer.Completion.IsCompleted.Should().BeFalse("a bug is not how the connection ended");
    }

    [Fact]
    public async Task ProgrammingError_InTheClosesOwnReceive_Propagates()
    {
        var socket = new ScriptedWebSocket().ThenThrow(ABug());

        await FluentActions.Awaiting(() => socket.CloseGracefullyAsync(Status.NormalClosure, null, Patience, CancellationToken.None))
            .Should().ThrowAsync<NullReferenceException>();
    }

    [Fact]
    public async Task CancellationOnAnOpenSocket_NotTheConnectionsEnd_Propagates()
    {
        var socket = new ScriptedWebSocket().ThenThrow(new OperationCanceledException("not ours"));
        WebSocketCloser closer = CloserOf(socket);

        await FluentActions.Awaiting(() => Receive(closer)).Should().ThrowAsync<OperationCanceledException>().WithMessage("not ours");
    }

    [Fact]
    public async Task ProgrammingError_InTheSend_Propagates_TheDeadlineStillEndsTheConnection()
    {
        var socket = new ScriptedWebSocket { SendFailure = ABug() };
        WebSocketCloser closer = CloserOf(socket, s_shortTimeout);

        await FluentActions.Awaiting(() => closer.CloseAsync(Status.NormalClosure, null, CancellationToken.None))
            .Should().ThrowAsync<NullReferenceException>();
        WebSocketCloseResult result = await Within(closer.Completion);

        result.TimedOut.Should().BeTrue("Completion completes, never faulted, once the connection ended");
        result.SentStatus.Should().BeNull();
    }

    public static TheoryData<Exception> ConnectionEnds() => new()
    {
        new WebSocketException(WebSocketError.ConnectionClosedPrematurely),
        new IOException("reset"),
        new ObjectDisposedException("socket"),
        new Win32Exception(10054),
        new OperationCanceledException("Aborted"),
    };

    [Theory]
    [MemberData(nameof(ConnectionEnds))]
    public async Task ConnectionEnd_InTheLoopsReceive_AClose_TheExceptionInTheResult(Exception failure)
    {
        // Class doc: whatever ends the connection (the peer or the network) completes Completion with the result.
        var socket = new ScriptedWebSocket().ThenFail(failure);
        WebSocketCloser closer = CloserOf(socket);

        WebSocketReceiveResult received = await Within(Receive(closer));
        WebSocketCloseResult result = await Within(closer.Completion);

        received.MessageType.Should().Be(WebSocketMessageType.Close);
        received.Count.Should().Be(0);
        result.Exception.Should().BeSameAs(failure);
        result.Aborted.Should().BeTrue();
        result.Initiator.Should().Be(CloseInitiator.None);
        result.CloseStatus.Should().Be(Status.AbnormalClosure);
    }

    [Fact]
    public async Task SendFails_SentStatusNotRecorded_TheFailureInTheResult()
    {
        var failure = new WebSocketException(WebSocketError.ConnectionClosedPrematurely);
        var socket = new ScriptedWebSocket { SendFailure = failure };

        WebSocketCloseResult result = await Within(socket.CloseGracefullyAsync(Status.ServiceRestart, null, Patience, CancellationToken.None));

        result.SentStatus.Should().BeNull("recorded only after the send succeeded");
        result.Exception.Should().BeSameAs(failure);
        result.Aborted.Should().BeTrue();
        result.WasClean.Should().BeFalse();
    }

    [Fact]
    public async Task EchoFails_SentStatusNotRecorded_TheLoopStillGetsItsClose()
    {
        var failure = new IOException("reset");
        var socket = new ScriptedWebSocket { SendFailure = failure }.ThenClose(NetStatus.NormalClosure, "bye");
        WebSocketCloser closer = CloserOf(socket);

        WebSocketReceiveResult received = await Within(Receive(closer));
        WebSocketCloseResult result = await Within(closer.Completion);

        received.MessageType.Should().Be(WebSocketMessageType.Close);
        result.SentStatus.Should().BeNull();
        result.Exception.Should().BeSameAs(failure);
        result.Initiator.Should().Be(CloseInitiator.Remote);
        result.WasClean.Should().BeFalse();
    }

    [Fact]
    public async Task ClosedByTheLoopsReceive_WithoutAClose_CloseAsyncAfter_NoIO_TheSameResult()
    {
        var socket = new ScriptedWebSocket().ThenFail(new IOException("reset"));
        WebSocketCloser closer = CloserOf(socket);
        await Receive(closer);

        WebSocketCloseResult result = await closer.CloseAsync(Status.NormalClosure, null, CancellationToken.None);

        socket.Sent.Should().BeEmpty();
        result.Should().BeSameAs(await closer.Completion);
    }

    [Fact]
    public async Task Race_LoopAndClose_Repeated_OneSend_SentStatusAndInitiatorAgree()
    {
        // Issue #38: what is remembered is recorded after the send and cannot name the wrong initiator under a concurrent loop.
        for (int i = 0; i < 200; i++)
        {
            var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var socket = new ScriptedWebSocket { CompletesAsynchronously = i % 2 == 0 }.ThenCloseWhen(go.Task, NetStatus.EndpointUnavailable, "peer");
            WebSocketCloser closer = CloserOf(socket);
            Task<WebSocketReceiveResult> loop = Receive(closer);

            Task<WebSocketCloseResult> closing = Task.Run(() => closer.CloseAsync(Status.ServiceRestart, null, CancellationToken.None));
            go.SetResult();
            WebSocketCloseResult result = await Within(closing);
            await Within(loop);

            socket.Sent.Should().ContainSingle("one close frame per connection");
            result.SentStatus.Should().Be(socket.Sent[0].Status.ToCloseStatus());
            // Who started is who came first as this endpoint saw it when it decided to close. A frame sent while the socket
            // was still Open went before the peer's close, so we started; the loop's echo answers the peer, who started.
            // A close of ours sent once the peer's had arrived was decided either before it came or after: both are right.
            if (socket.SentWhile[0] == WebSocketState.Open)
            {
                result.Initiator.Should().Be(CloseInitiator.Local);
            }
            else if (result.SentStatus == Status.EndpointUnavailable)
            {
                result.Initiator.Should().Be(CloseInitiator.Remote);
            }
            else
            {
                result.Initiator.Should().BeOneOf(CloseInitiator.Local, CloseInitiator.Remote);
            }
            result.WasClean.Should().BeTrue();
        }
    }
}
