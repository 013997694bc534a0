using System;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using FluentAssertions;
using Xunit;
using static WebSockets.CloseStatus.Tests.TestData.Connections;
using Status = WebSockets.CloseStatus.WebSocketCloseStatus;

namespace WebSockets.CloseStatus.Tests;

/// <summary>
/// Issue #41's drain of custom stacks through <see cref="CloseHandshake"/>, without I/O: the stack is the test, which drives
/// the handshake when the registration's tokens fire. Over real connections: ReadmeTests.Drain.
/// </summary>
public class WebSocketDrainRegistrationTests
{
    private static readonly byte[] s_frame = new byte[CloseFrame.MaxLength];

    // The peer's close frame's payload: its code and reason, as a client's echo carries them (RFC 6455 §5.5.1).
    private static byte[] Echo(Status status, string? reason) => ClosePayload.Create(status, reason);

    // A stack that, at its turn, writes the drain's close, receives the peer's echo and closes TCP, all at once.
    private static WebSocketDrainRegistration TrackAnsweringStack(WebSocketDrain drain, CloseHandshake handshake, bool dispose = true)
    {
        WebSocketDrainRegistration registration = drain.Track(handshake);
        registration.CloseRequested.Register(() =>
        {
            handshake.WriteClose(s_frame, registration.CloseStatus, registration.StatusDescription, out _).Should().Be(CloseHandshakeAction.AwaitClose);
            handshake.ReceiveClose(Echo(registration.CloseStatus, registration.StatusDescription)).Should().Be(CloseHandshakeAction.CloseTransport, "a server closes TCP first (§7.1.1)");
            handshake.ReportTransportClosed();
            if (dispose)
            {
                registration.Dispose();
            }
        });
        return registration;
    }

    [Fact]
    public async Task Drain_AsksEachStackToClose_AndReportsTheHandshakesResults()
    {
        var drain = new WebSocketDrain(new WebSocketDrainOptions { Window = TimeSpan.FromMilliseconds(50), StatusDescription = "переезд", KeepResults = true, Random = new Random(5) });
        var handshakes = Enumerable.Range(0, 10).Select(_ => new CloseHandshake(WebSocketRole.Server)).ToArray();
        foreach (CloseHandshake handshake in handshakes)
        {
            TrackAnsweringStack(drain, handshake);
        }

        drain.Count.Should().Be(10);
        WebSocketDrainReport report = await Within(drain.DrainAsync(CancellationToken.None));

        report.Clean.Should().Be(10);
        report.Total.Should().Be(10);
        report.Results.Should().OnlyContain(r => r.CloseStatus == Status.ServiceRestart && r.CloseStatusDescription == "переезд"
            && r.WasClean && r.Initiator == CloseInitiator.Local && r.SentStatus == Status.ServiceRestart
            && !r.TimedOut && !r.Aborted && r.Exception == null);
        handshakes.Should().OnlyContain(h => h.SentStatus == Status.ServiceRestart && h.WasClean);
        drain.Count.Should().Be(0);
    }

    [Fact]
    public async Task AStackThatClosesButDoesNotDispose_IsReportedFromItsHandshake_WithoutWaitingForTheDeadline()
    {
        var drain = new WebSocketDrain(new WebSocketDrainOptions { Window = TimeSpan.Zero, Deadline = TimeSpan.FromSeconds(30), KeepResults = true });
        var handshake = new CloseHandshake(WebSocketRole.Server);
        TrackAnsweringStack(drain, handshake, dispose: false);
        var clock = Stopwatch.StartNew();

        WebSocketDrainReport report = await Within(drain.DrainAsync(CancellationToken.None));

        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(10), "a closed handshake has ended, disposed or not");
        report.Clean.Should().Be(1);
        report.Results.Single().CloseStatus.Should().Be(Status.ServiceRestart);
    }

    [Fact]
    public async Task AStackThatClosesLater_WithoutDisposing_EndsItsWaitWhenItReportsTheTransportClosed()
    {
        // The newcomer's trial: a stack that forgot Dispose held the drain until its deadline.
        var drain = new WebSocketDrain(new WebSocketDrainOptions { Window = TimeSpan.Zero, Deadline = TimeSpan.FromSeconds(60), KeepResults = true });
        var handshake = new CloseHandshake(WebSocketRole.Server);
        WebSocketDrainRegistration registration = drain.Track(handshake);
        Task stack = Task.Run(async () =>
        {
            await Task.Delay(Timeout.Infinite, registration.CloseRequested).ContinueWith(_ => { }, TaskScheduler.Default);
            await Task.Delay(50);   // the close goes out, the echo comes back
            handshake.WriteClose(s_frame, registration.CloseStatus, null, out _);
            handshake.ReceiveClose(Echo(registration.CloseStatus, null));
            handshake.ReportTransportClosed();
        });
        var clock = Stopwatch.StartNew();

        WebSocketDrainReport report = await Within(drain.DrainAsync(CancellationToken.None));
        await Within(stack.ContinueWith(_ => 0, TaskScheduler.Default));

        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(30), "the transport's end ends the wait, not the deadline");
        report.Clean.Should().Be(1);
        drain.Count.Should().Be(0);
        drain.Track(handshake).Dispose();   // untracked by the transport's end: a pooled handshake may be tracked again
    }

    [Fact]
    public async Task APeerThatClosesFirst_WithinTheWindow_EndsItsWait_AndCountsAsRemoteFirst()
    {
        var drain = new WebSocketDrain(new WebSocketDrainOptions { Window = TimeSpan.FromSeconds(60), Deadline = TimeSpan.FromSeconds(90), KeepResults = true, Random = new Random(1) });
        var handshake = new CloseHandshake(WebSocketRole.Server);
        WebSocketDrainRegistration registration = drain.Track(handshake);
        Task<WebSocketDrainReport> draining = drain.DrainAsync(CancellationToken.None);

        // Before its moment, the client leaves on its own: its close, our echo, TCP closed, the registration disposed.
        handshake.ReceiveClose(Echo(Status.EndpointUnavailable, "tab closed")).Should().Be(CloseHandshakeAction.SendClose);
        handshake.WriteClose(s_frame, out _).Should().Be(CloseHandshakeAction.CloseTransport);
        handshake.ReportTransportClosed();
        registration.Dispose();
        WebSocketDrainReport report = await Within(draining);

        registration.CloseRequested.IsCancellationRequested.Should().BeFalse("the connection ended before its turn");
        report.Clean.Should().Be(1);
        report.RemoteFirst.Should().Be(1);
        WebSocketCloseResult result = report.Results.Single();
        result.Initiator.Should().Be(CloseInitiator.Remote);
        result.CloseStatus.Should().Be(Status.EndpointUnavailable);
        result.CloseStatusDescription.Should().Be("tab closed");
        result.SentStatus.Should().Be(Status.EndpointUnavailable, "the echo repeats the peer's code (§5.5.1)");
    }

    [Fact]
    public async Task ConnectionsThatEndedBeforeTheDrain_AreNotInIt_DisposedOrNot()
    {
        var drain = new WebSocketDrain(new WebSocketDrainOptions { Window = TimeSpan.Zero });
        var disposed = new CloseHandshake(WebSocketRole.Server);
        var undisposed = new CloseHandshake(WebSocketRole.Server);
        WebSocketDrainRegistration first = drain.Track(disposed);
        WebSocketDrainRegistration second = drain.Track(undisposed);
        disposed.ReportTransportClosed();
        first.Dispose();
        drain.Count.Should().Be(1);
        undisposed.ReportTransportClosed();   // a stack that never disposes: the transport's end is enough

        drain.Count.Should().Be(0);
        WebSocketDrainReport report = await Within(drain.DrainAsync(CancellationToken.None));

        report.Total.Should().Be(0);
        drain.Count.Should().Be(0);
        second.CloseRequested.IsCancellationRequested.Should().BeFalse();
    }

    [Fact]
    public async Task AConnectionTrackedWhileDraining_IsAskedToCloseAtOnce_AndCounted()
    {
        var drain = new WebSocketDrain(new WebSocketDrainOptions { Window = TimeSpan.FromMilliseconds(300), KeepResults = true });
        var early = new CloseHandshake(WebSocketRole.Server);
        TrackAnsweringStack(drain, early);
        Task<WebSocketDrainReport> draining = drain.DrainAsync(CancellationToken.None);

        var late = new CloseHandshake(WebSocketRole.Server);
        WebSocketDrainRegistration registration = drain.Track(late);
        registration.CloseRequested.IsCancellationRequested.Should().BeTrue("the drain has begun, so the newcomer's turn is now");
        late.WriteClose(s_frame, registration.CloseStatus, registration.StatusDescription, out _);
        late.ReceiveClose(Echo(Status.ServiceRestart, null));
        late.ReportTransportClosed();
        registration.Dispose();

        WebSocketDrainReport report = await Within(draining);
        report.Clean.Should().Be(2);
        report.Results.Should().HaveCount(2);
    }

    [Fact]
    public async Task AStackWhoseCallbackThrows_IsAbortedAtTheDeadline_WithWhatItThrew()
    {
        var drain = new WebSocketDrain(new WebSocketDrainOptions { Window = TimeSpan.Zero, Deadline = TimeSpan.FromMilliseconds(100), KeepResults = true });
        var handshake = new CloseHandshake(WebSocketRole.Server);
        WebSocketDrainRegistration registration = drain.Track(handshake);
        var thrown = new InvalidOperationException("the stack's loop is gone");
        registration.CloseRequested.Register(() => throw thrown);

        WebSocketDrainReport report = await Within(drain.DrainAsync(CancellationToken.None));

        report.Aborted.Should().Be(1);
        WebSocketCloseResult result = report.Results.Single();
        result.Exception.Should().BeSameAs(thrown);
        result.CloseStatus.Should().Be(Status.AbnormalClosure);
        result.WasClean.Should().BeFalse();
        registration.AbortRequested.IsCancellationRequested.Should().BeTrue();
    }

    [Fact]
    public async Task AStackThatNeverEnds_IsReportedAbortedAtTheDeadline_AndToldToAbort()
    {
        var drain = new WebSocketDrain(new WebSocketDrainOptions { Window = TimeSpan.Zero, Deadline = TimeSpan.FromMilliseconds(100), KeepResults = true });
        var handshake = new CloseHandshake(WebSocketRole.Server);
        WebSocketDrainRegistration registration = drain.Track(handshake);
        registration.AbortRequested.IsCancellationRequested.Should().BeFalse();

        WebSocketDrainReport report = await Within(drain.DrainAsync(CancellationToken.None));

        report.Aborted.Should().Be(1);
        WebSocketCloseResult result = report.Results.Single();
        result.Exception.Should().BeOfType<OperationCanceledException>().Which.Message.Should().Contain("deadline");
        result.Initiator.Should().BeNull("the stack owns the handshake, so whether it had started closing is unknown");
        result.Aborted.Should().BeTrue();
        result.TimedOut.Should().BeFalse("the stack's own timer did not run out; the drain's deadline did");
        registration.CloseRequested.IsCancellationRequested.Should().BeTrue();
        registration.AbortRequested.IsCancellationRequested.Should().BeTrue();
        handshake.State.Should().Be(CloseHandshakeState.Open, "the drain never touches the handshake");
    }

    [Fact]
    public async Task AStackWhoseTimerRanOut_IsCountedAsTimedOut()
    {
        var drain = new WebSocketDrain(new WebSocketDrainOptions { Window = TimeSpan.Zero, KeepResults = true });
        var handshake = new CloseHandshake(WebSocketRole.Server);
        WebSocketDrainRegistration registration = drain.Track(handshake);
        registration.CloseRequested.Register(() =>
        {
            handshake.WriteClose(s_frame, registration.CloseStatus, null, out _);
            handshake.ReportTimeout().Should().Be(CloseHandshakeAction.CloseTransport);
            handshake.ReportTransportClosed();
            registration.Dispose();
        });

        WebSocketDrainReport report = await Within(drain.DrainAsync(CancellationToken.None));

        report.TimedOut.Should().Be(1);
        WebSocketCloseResult result = report.Results.Single();
        result.TimedOut.Should().BeTrue();
        result.Aborted.Should().BeTrue();
        result.CloseStatus.Should().Be(Status.AbnormalClosure, "no close arrived before TCP closed (§7.1.5)");
        result.SentStatus.Should().Be(Status.ServiceRestart);
    }

    [Fact]
    public async Task TheDrainsToken_AsksEveryStackToAbort()
    {
        var drain = new WebSocketDrain(new WebSocketDrainOptions { Window = TimeSpan.FromSeconds(60), Deadline = TimeSpan.FromSeconds(90), KeepResults = true });
        var handshake = new CloseHandshake(WebSocketRole.Server);
        WebSocketDrainRegistration registration = drain.Track(handshake);
        using var cancel = new CancellationTokenSource();

        Task<WebSocketDrainReport> draining = drain.DrainAsync(cancel.Token);
        registration.AbortRequested.IsCancellationRequested.Should().BeFalse();
        cancel.Cancel();
        WebSocketDrainReport report = await Within(draining);

        registration.AbortRequested.IsCancellationRequested.Should().BeTrue();
        report.Aborted.Should().Be(1);
    }

    [Fact]
    public void TrackingAHandshake_AllocatesItsRegistrationAndTokenSourceOnly_OnceTheSetHasGrown()
    {
        var drain = new WebSocketDrain();
        for (int i = 0; i < 100; i++)
        {
            drain.Track(new CloseHandshake(WebSocketRole.Server));   // open connections: the set grows to hold them and one more
        }

        var handshake = new CloseHandshake(WebSocketRole.Server);
        long bytes = TestData.Allocations.Measure(() =>
        {
            for (int i = 0; i < 100; i++)
            {
                drain.Track(handshake).Dispose();
            }
        });

        drain.Count.Should().Be(100);
        // The registration (8 fields, 80 B on x64) and its CancellationTokenSource (48 B on x64): nothing per set slot.
        (bytes / 100).Should().Be(128, "a track and its dispose allocate the registration and its token source, and no set slot");
    }

    [Fact]
    public async Task Tracking_FollowsTheHandshakesLife_AndSaysWhatItCloses()
    {
        var drain = new WebSocketDrain(new WebSocketDrainOptions { CloseStatus = Status.EndpointUnavailable, StatusDescription = "bye" });
        var other = new WebSocketDrain();
        var handshake = new CloseHandshake(WebSocketRole.Client);

        WebSocketDrainRegistration registration = drain.Track(handshake);
        registration.CloseStatus.Should().Be(Status.EndpointUnavailable);
        registration.StatusDescription.Should().Be("bye");
        drain.Count.Should().Be(1);

        FluentActions.Invoking(() => drain.Track(handshake)).Should().Throw<InvalidOperationException>().WithMessage("*tracks this handshake already*transport closed*disposed*");
        FluentActions.Invoking(() => other.Track(handshake)).Should().Throw<InvalidOperationException>("one drain closes a connection");
        other.Count.Should().Be(0);

        registration.Dispose();
        registration.Dispose();
        drain.Count.Should().Be(0);

        drain.Track(handshake).Dispose();   // disposed, it may be tracked again (a pooled connection)
        other.Track(handshake);
        other.Count.Should().Be(1);

        var closed = new CloseHandshake(WebSocketRole.Server);
        closed.ReportTransportClosed();
        WebSocketDrainRegistration none = drain.Track(closed);
        drain.Count.Should().Be(0, "a connection that has ended is not tracked");
        drain.Track(closed).Dispose();   // nor remembered: it may be tracked again
        (await Within(drain.DrainAsync(CancellationToken.None))).Total.Should().Be(0);
        none.CloseRequested.IsCancellationRequested.Should().BeFalse("the drain never asks an untracked connection to close");
        none.Dispose();

        FluentActions.Invoking(() => drain.Track((CloseHandshake)null!)).Should().Throw<ArgumentNullException>().WithParameterName("handshake");
    }
}
