using System;
using System.Diagnostics;
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

/// <summary>The drain of issue #41, on scripted sockets: its schedule, its tracking, its deadline and its report.</summary>
public class WebSocketDrainTests
{
    // A connection whose loop runs and whose peer answers the drain's close: the app's endpoint, without a network.
    private static (ScriptedWebSocket Socket, WebSocketCloser Closer, Task Loop) Connection(TimeSpan? closeTimeout = null, bool answers = true)
    {
        var socket = new ScriptedWebSocket();
        if (answers)
        {
            socket.ThenCloseOnceWeSent(NetStatus.NormalClosure, null);
        }

        var closer = new WebSocketCloser(socket, new WebSocketCloseOptions { Timeout = closeTimeout ?? Patience });
        Task loop = Task.Run(async () =>
        {
            while ((await closer.ReceiveAsync(new ArraySegment<byte>(new byte[16]), CancellationToken.None)).MessageType != WebSocketMessageType.Close)
            {
            }
        });
        return (socket, closer, loop);
    }

    [Fact]
    public void Schedule_IsReproducibleFromItsSeed_AndSpreadOverTheWindow()
    {
        // The spread must come from the server (block/buzz#4542): each moment uniform in [0, window).
        var first = new TimeSpan[10_000];
        var second = new TimeSpan[10_000];
        WebSocketDrain.Schedule(first, TimeSpan.FromSeconds(2), new Random(7));
        WebSocketDrain.Schedule(second, TimeSpan.FromSeconds(2), new Random(7));

        second.Should().Equal(first);
        first.Should().OnlyContain(t => t >= TimeSpan.Zero && t < TimeSpan.FromSeconds(2));
        int[] buckets = [.. first.GroupBy(t => (int)(t.TotalMilliseconds / 200)).OrderBy(g => g.Key).Select(g => g.Count())];
        buckets.Should().HaveCount(10).And.OnlyContain(n => n > 850 && n < 1150, "each 200 ms holds about a tenth of the closes");
    }

    [Fact]
    public async Task Drain_ClosesEveryTrackedConnection_WithItsCode_AndReportsThemClean()
    {
        var drain = new WebSocketDrain(new WebSocketDrainOptions { Window = TimeSpan.FromMilliseconds(100), StatusDescription = "deploying", KeepResults = true, Random = new Random(1) });
        var connections = Enumerable.Range(0, 20).Select(_ => Connection()).ToArray();
        foreach (var c in connections)
        {
            drain.Track(c.Closer);
        }

        drain.Count.Should().Be(20);
        drain.IsDraining.Should().BeFalse();
        Task<WebSocketDrainReport> draining = drain.DrainAsync(CancellationToken.None);
        drain.IsDraining.Should().BeTrue();
        WebSocketDrainReport report = await Within(draining);
        await Within(Task.WhenAll(connections.Select(c => c.Loop)).ContinueWith(_ => 0, TaskScheduler.Default));

        report.Total.Should().Be(20);
        report.Clean.Should().Be(20);
        report.TimedOut.Should().Be(0);
        report.Aborted.Should().Be(0);
        report.Results.Should().HaveCount(20).And.OnlyContain(r => r.SentStatus == Status.ServiceRestart && r.Initiator == CloseInitiator.Local);
        foreach (var c in connections)
        {
            c.Socket.Sent.Should().Equal([((NetStatus)1012, "deploying")], "1012 by default: the IANA registry's reconnect advice");
        }

        drain.Count.Should().Be(0, "an ended connection leaves the set");
        report.ToString().Should().MatchRegex(@"^20 connections in \d+\.\d s: 20 clean \(0 closed by the client first\), 0 timed out, 0 aborted$");
        drain.DrainAsync(CancellationToken.None).Should().BeSameAs(draining);
    }

    [Fact]
    public async Task ConnectionsThatEnd_LeaveTheSet_AndNothingIsClosedTwice()
    {
        var drain = new WebSocketDrain(new WebSocketDrainOptions { Window = TimeSpan.Zero });
        var socket = new ScriptedWebSocket().ThenClose(NetStatus.NormalClosure, "bye");
        var closer = new WebSocketCloser(socket);
        drain.Track(closer);
        drain.Track(closer);
        drain.Count.Should().Be(1);

        (await Within(closer.ReceiveAsync(new ArraySegment<byte>(new byte[8]), CancellationToken.None))).MessageType.Should().Be(WebSocketMessageType.Close);
        (await Within(closer.Completion)).WasClean.Should().BeTrue();

        drain.Count.Should().Be(0);
        WebSocketDrainReport report = await Within(drain.DrainAsync(CancellationToken.None));
        report.Total.Should().Be(0);
        socket.Sent.Should().Equal((NetStatus.NormalClosure, (string?)null));
    }

    [Fact]
    public async Task ConnectionsThatEndAroundTheirClosers_AreDropped_WhenTheSetDoubles_AndAtTheDrain()
    {
        // An app that reads through a WebSocketStream owning the socket, or through the socket itself, ends a connection
        // without its closer seeing it: the set must not keep those for the server's lifetime.
        var drain = new WebSocketDrain(new WebSocketDrainOptions { Window = TimeSpan.Zero });
        var aroundTheirClosers = Enumerable.Range(0, 60).Select(_ => new ScriptedWebSocket()).ToArray();
        foreach (ScriptedWebSocket socket in aroundTheirClosers)
        {
            drain.Track(new WebSocketCloser(socket));
        }

        var live = Enumerable.Range(0, 3).Select(_ => Connection()).ToArray();
        foreach (var c in live)
        {
            drain.Track(c.Closer);
        }

        foreach (ScriptedWebSocket socket in aroundTheirClosers)
        {
            socket.Abort();
        }

        drain.Count.Should().Be(63, "nothing has looked at the sockets yet");
        var last = Connection();
        drain.Track(last.Closer);
        drain.Count.Should().Be(4, "the 64th connection made the set drop ended sockets: the 3 live ones and itself remain");

        var late = new ScriptedWebSocket();
        drain.Track(new WebSocketCloser(late));
        late.Abort();
        WebSocketDrainReport report = await Within(drain.DrainAsync(CancellationToken.None));

        report.Total.Should().Be(4, "the drain drops what ended before it closes the rest");
        report.Clean.Should().Be(4);
        late.Sent.Should().BeEmpty("an ended connection is not closed again");
        aroundTheirClosers.Should().OnlyContain(socket => socket.Sent.Count == 0);
    }

    [Fact]
    public void TrackingAndUntracking_AllocateNothing_OnceTheSetHasGrown()
    {
        // The same end (the peer closes, the closer answers, all synchronously) with and without Track before it: what
        // the two allocate differs by what Track and the untrack allocate, a hash set slot reused once the set has grown.
        var drain = new WebSocketDrain();
        byte[] buffer = new byte[16];
        static WebSocketCloser[] Make(int count) =>
            [.. Enumerable.Range(0, count).Select(_ => new WebSocketCloser(new ScriptedWebSocket().ThenClose(NetStatus.NormalClosure, "bye")))];
        long End(WebSocketCloser[] closers, bool track)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            foreach (WebSocketCloser closer in closers)
            {
                if (track)
                {
                    drain.Track(closer);
                }

                closer.ReceiveAsync(new ArraySegment<byte>(buffer), CancellationToken.None).GetAwaiter().GetResult();
            }

            return GC.GetAllocatedBytesForCurrentThread() - before;
        }

        foreach (WebSocketCloser closer in Make(100))
        {
            drain.Track(closer);   // open connections, as a server has: the set grows to hold them and the 50 below
        }

        End(Make(50), track: true);
        End(Make(50), track: false);
        WebSocketCloser[] tracked = Make(50), untracked = Make(50);

        long trackedBytes = End(tracked, track: true);
        long untrackedBytes = End(untracked, track: false);

        tracked.Should().OnlyContain(c => c.Completion.IsCompleted && c.Completion.Result.WasClean);
        drain.Count.Should().Be(100, "the 50 that ended left the set");
        trackedBytes.Should().Be(untrackedBytes, "Track and the untrack allocate nothing");
    }

    [Fact]
    public async Task SilentClients_TimeOutAtTheirCloser_TheDeadlineAbortsTheRest()
    {
        // A client that stops reading is aborted at its closer's timeout; what waits past the deadline is aborted there.
        var drain = new WebSocketDrain(new WebSocketDrainOptions { Window = TimeSpan.FromSeconds(30), Deadline = TimeSpan.FromMilliseconds(300), Random = new Random(3) });
        var silent = Connection(TimeSpan.FromMilliseconds(50), answers: false);
        var waiting = Enumerable.Range(0, 5).Select(_ => Connection()).ToArray();
        drain.Track(silent.Closer);
        foreach (var c in waiting)
        {
            drain.Track(c.Closer);
        }

        // With a 30 s window nearly every close is still waiting for its moment at the 300 ms deadline.
        var timer = Stopwatch.StartNew();
        WebSocketDrainReport report = await Within(drain.DrainAsync(CancellationToken.None));

        timer.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(5), "the deadline of 300 ms bounds the drain");
        report.Total.Should().Be(6);
        (report.TimedOut + report.Aborted).Should().Be(6 - report.Clean);
        waiting.Should().OnlyContain(c => c.Socket.State == WebSocketState.Aborted || c.Socket.State == WebSocketState.Closed);
        report.Aborted.Should().BeGreaterThan(0, "closes that had not begun by the deadline are aborted there");
    }

    [Fact]
    public async Task ASilentClient_TimesOutAtItsCloser_AndIsCountedSo()
    {
        var drain = new WebSocketDrain(new WebSocketDrainOptions { Window = TimeSpan.Zero, KeepResults = true });
        var silent = Connection(TimeSpan.FromMilliseconds(50), answers: false);
        var answering = Connection();
        drain.Track(silent.Closer);
        drain.Track(answering.Closer);

        WebSocketDrainReport report = await Within(drain.DrainAsync(CancellationToken.None));

        (report.Clean, report.TimedOut, report.Aborted).Should().Be((1, 1, 0));
        report.Results.Should().ContainSingle(r => r.TimedOut).Which.CloseStatus.Should().Be(Status.AbnormalClosure);
    }

    [Fact]
    public async Task Drain_CancelledByItsToken_AbortsWhatIsOpen()
    {
        var drain = new WebSocketDrain(new WebSocketDrainOptions { Window = TimeSpan.FromSeconds(30) });
        var connections = Enumerable.Range(0, 3).Select(_ => Connection()).ToArray();
        foreach (var c in connections)
        {
            drain.Track(c.Closer);
        }

        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
        WebSocketDrainReport report = await Within(drain.DrainAsync(cancel.Token));

        report.Aborted.Should().Be(3);
        connections.Should().OnlyContain(c => c.Socket.Sent.Count == 0 && c.Socket.State == WebSocketState.Aborted);
    }

    [Fact]
    public async Task AConnectionTrackedWhileDraining_IsClosedAtOnce_AndCounted()
    {
        var drain = new WebSocketDrain(new WebSocketDrainOptions { Window = TimeSpan.FromMilliseconds(300) });
        var early = Connection();
        drain.Track(early.Closer);
        Task<WebSocketDrainReport> draining = drain.DrainAsync(CancellationToken.None);

        var late = Connection();
        drain.Track(late.Closer);
        WebSocketDrainReport report = await Within(draining);

        report.Total.Should().Be(2);
        report.Clean.Should().Be(2);
        late.Socket.Sent.Should().Equal(((NetStatus)1012, (string?)null));
    }

    [Fact]
    public async Task AConnectionTrackedAsTheLastOneEnds_IsWaitedFor_NotLeftOut()
    {
        // The newcomer's close begins just as the drain's last connection ends: the drain must count it by then, or it
        // reports without it and the server stops with that connection open.
        var drain = new WebSocketDrain(new WebSocketDrainOptions { Window = TimeSpan.Zero, KeepResults = true });
        var last = new CloseHandshake(WebSocketRole.Server);
        WebSocketDrainRegistration registration = drain.Track(last);
        Task<WebSocketDrainReport> draining = drain.DrainAsync(CancellationToken.None);
        var late = Connection();
        int tracker = Environment.CurrentManagedThreadId;
        bool armed = false, finishedWithoutIt = false;
        late.Socket.OnStateRead = () =>
        {
            if (armed && Environment.CurrentManagedThreadId == tracker)
            {
                armed = false; // the newcomer's close reads its state: end the last connection here
                last.WriteClose(new byte[CloseFrame.MaxLength], registration.CloseStatus, null, out _);
                last.ReceiveClose(ClosePayload.Create(registration.CloseStatus, null));
                last.ReportTransportClosed();
                finishedWithoutIt = draining.Wait(TimeSpan.FromMilliseconds(500));
            }
        };

        armed = true;
        drain.Track(late.Closer);
        armed.Should().BeFalse("the drain closed the newcomer at once, and that close read its state");
        WebSocketDrainReport report = await Within(draining);

        finishedWithoutIt.Should().BeFalse("the newcomer was open when the last connection ended");
        report.Clean.Should().Be(2);
        late.Socket.Sent.Should().Equal(((NetStatus)1012, (string?)null));
    }

    [Fact]
    public void Report_CountsEachOutcome_AndSaysSoInOneLine()
    {
        var report = new WebSocketDrainReport(clean: 5, remoteFirst: 2, timedOut: 3, aborted: 7, TimeSpan.FromMilliseconds(2345), []);

        report.Total.Should().Be(15);
        report.ToString().Should().Be("15 connections in 2.3 s: 5 clean (2 closed by the client first), 3 timed out, 7 aborted");
        report.Results.Should().BeEmpty();
        new WebSocketDrainReport(clean: 1, remoteFirst: 0, timedOut: 0, aborted: 0, TimeSpan.Zero, []).ToString()
            .Should().Be("1 connection in 0.0 s: 1 clean (0 closed by the client first), 0 timed out, 0 aborted");
        new WebSocketDrainReport(clean: 0, remoteFirst: 0, timedOut: 0, aborted: 0, TimeSpan.Zero, []).ToString()
            .Should().StartWith("0 connections in ");
    }

    [Fact]
    public void Options_AcceptTheLongestTimesTaskDelayWaits()
    {
        TimeSpan longest = TimeSpan.FromMilliseconds(int.MaxValue);
        var options = new WebSocketDrainOptions { Window = longest, Deadline = longest };

        (options.Window, options.Deadline).Should().Be((longest, longest));
        FluentActions.Invoking(() => options.Window = longest + TimeSpan.FromMilliseconds(1)).Should().Throw<ArgumentOutOfRangeException>();
        options.Window = TimeSpan.Zero;
        options.Window.Should().Be(TimeSpan.Zero);
    }

    [Fact]
    public void Mistakes_Throw_WithWhatWasWrong()
    {
        var closer = new WebSocketCloser(new ScriptedWebSocket());
        new WebSocketDrain().Track(closer);

        FluentActions.Invoking(() => new WebSocketDrain().Track(closer)).Should().Throw<InvalidOperationException>().WithMessage("*Another WebSocketDrain*");
        FluentActions.Invoking(() => new WebSocketDrain().Track((WebSocketCloser)null!)).Should().Throw<ArgumentNullException>().WithParameterName("closer");
        var options = new WebSocketDrainOptions();
        FluentActions.Invoking(() => options.CloseStatus = Status.Empty).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*1005*");
        FluentActions.Invoking(() => options.Window = TimeSpan.FromSeconds(-1)).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*-1000 ms*");
        FluentActions.Invoking(() => options.Deadline = TimeSpan.Zero).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*0 ms*");
        FluentActions.Invoking(() => options.Deadline = TimeSpan.FromMilliseconds(int.MaxValue + 1.0)).Should().Throw<ArgumentOutOfRangeException>();
        (options.CloseStatus, options.Window, options.Deadline, options.KeepResults, options.Random, options.StatusDescription)
            .Should().Be((Status.ServiceRestart, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(25), false, (Random?)null, (string?)null));
        options.CloseStatus = Status.EndpointUnavailable;
        options.CloseStatus.Should().Be(Status.EndpointUnavailable);
    }
}
