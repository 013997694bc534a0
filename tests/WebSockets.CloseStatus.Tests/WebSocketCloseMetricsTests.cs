using System;
using System.Linq;
using System.Net.WebSockets;
using System.Threading;
using System.Threading.Tasks;
using FluentAssertions;
using WebSockets.CloseStatus.Internal;
using WebSockets.CloseStatus.Tests.TestData;
using Xunit;
using static WebSockets.CloseStatus.Tests.TestData.Connections;
using NetStatus = System.Net.WebSockets.WebSocketCloseStatus;
using Status = WebSockets.CloseStatus.WebSocketCloseStatus;

namespace WebSockets.CloseStatus.Tests;

/// <summary>The metrics tests run alone: a <see cref="MetricsRecorder"/> enables instruments for the whole process.</summary>
[CollectionDefinition(nameof(MetricsTestsRunAlone), DisableParallelization = true)]
public sealed class MetricsTestsRunAlone;

/// <summary>
/// <see cref="WebSocketCloseMetrics"/>: every close result the library produces is counted once, with its tags, from
/// <see cref="CloseHandshake"/> (at <see cref="CloseHandshake.ReportTransportClosed"/>), <see cref="WebSocketCloser"/> (when
/// <see cref="WebSocketCloser.Completion"/> completes) and <see cref="WebSocketDrain"/> (through its closers), in every
/// outcome; the duration only when closing started while the histogram was enabled.
/// </summary>
[Collection(nameof(MetricsTestsRunAlone))]
public sealed class WebSocketCloseMetricsTests
{
    private static readonly TimeSpan s_shortTimeout = TimeSpan.FromMilliseconds(100);

    private static void ShouldHaveTags(Measured measured, string code, string initiator, bool clean, string outcome, string role)
    {
        measured.Tags.Keys.Should().BeEquivalentTo(
            WebSocketCloseMetrics.CodeTagName,
            WebSocketCloseMetrics.InitiatorTagName,
            WebSocketCloseMetrics.CleanTagName,
            WebSocketCloseMetrics.OutcomeTagName,
            WebSocketCloseMetrics.RoleTagName);
        measured.Tag(WebSocketCloseMetrics.CodeTagName).Should().Be(code);
        measured.Tag(WebSocketCloseMetrics.InitiatorTagName).Should().Be(initiator);
        measured.Tags[WebSocketCloseMetrics.CleanTagName].Should().Be(clean);
        measured.Tag(WebSocketCloseMetrics.OutcomeTagName).Should().Be(outcome);
        measured.Tag(WebSocketCloseMetrics.RoleTagName).Should().Be(role);
    }

    // One close counted, and timed with the same tags.
    private static void ShouldHaveOne(MetricsRecorder metrics, string code, string initiator, bool clean, string outcome, string role, bool timed = true)
    {
        Measured closed = metrics.Closes.Should().ContainSingle().Subject;
        closed.Value.Should().Be(1);
        ShouldHaveTags(closed, code, initiator, clean, outcome, role);
        if (timed)
        {
            Measured duration = metrics.Durations.Should().ContainSingle().Subject;
            duration.Value.Should().BeInRange(0, Patience.TotalSeconds);
            ShouldHaveTags(duration, code, initiator, clean, outcome, role);
        }
        else
        {
            metrics.Durations.Should().BeEmpty();
        }
    }

    private static byte[] Payload(int code, string reason = "") => Hex.Payload(code, System.Text.Encoding.UTF8.GetBytes(reason));

    // ---- the names ----

    [Fact]
    public void Names_FollowOpenTelemetry_AndTheInstrumentsCarryThem()
    {
        WebSocketCloseMetrics.MeterName.Should().Be("WebSockets.CloseStatus");
        WebSocketCloseMetrics.ClosesCounterName.Should().Be("websocket.closes");
        WebSocketCloseMetrics.DurationHistogramName.Should().Be("websocket.close.duration");
        WebSocketCloseMetrics.CodeTagName.Should().Be("websocket.close.code");
        WebSocketCloseMetrics.InitiatorTagName.Should().Be("websocket.close.initiator");
        WebSocketCloseMetrics.CleanTagName.Should().Be("websocket.close.clean");
        WebSocketCloseMetrics.OutcomeTagName.Should().Be("websocket.close.outcome");
        WebSocketCloseMetrics.RoleTagName.Should().Be("websocket.role");

        CloseMetrics.Closes.Meter.Name.Should().Be(WebSocketCloseMetrics.MeterName);
        CloseMetrics.Closes.Meter.Version.Should().Be(typeof(WebSocketCloseMetrics).Assembly.GetName().Version!.ToString(3));
        CloseMetrics.Closes.Name.Should().Be(WebSocketCloseMetrics.ClosesCounterName);
        CloseMetrics.Closes.Unit.Should().Be("{close}");
        CloseMetrics.Closes.Description.Should().Be("The number of WebSocket connections that ended.");
        CloseMetrics.Duration.Name.Should().Be(WebSocketCloseMetrics.DurationHistogramName);
        CloseMetrics.Duration.Unit.Should().Be("s");
        CloseMetrics.Duration.Description.Should().StartWith("The time from the start of a WebSocket connection's closing");
#if LIBRARY_NET10_0
        CloseMetrics.Duration.Advice!.HistogramBucketBoundaries.Should().Equal(0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10, 30);
#else
        CloseMetrics.Duration.Advice.Should().BeNull("System.Diagnostics.DiagnosticSource 6.0 has no advice: a view sets the buckets");
#endif
    }

    [Fact]
    public void CodeTag_RegisteredCodesByNumber_3xxx4xxxAndOtherAsOneValueEach()
    {
        for (int code = 0; code <= ushort.MaxValue; code++)
        {
            string expected = code switch
            {
                >= 1000 and <= 1015 => code.ToString(System.Globalization.CultureInfo.InvariantCulture),
                >= 3000 and < 4000 => "3xxx",
                >= 4000 and < 5000 => "4xxx",
                _ => "other",
            };
            CloseMetrics.CodeTag((Status)code).Should().Be(expected, "code {0}", code);
        }

        CloseMetrics.CodeTag(Status.NormalClosure).Should().BeSameAs(CloseMetrics.CodeTag(Status.NormalClosure), "tag values are cached");
        Enumerable.Range(0, 65536).Select(code => CloseMetrics.CodeTag((Status)code)).Distinct().Should().HaveCount(19, "cardinality stays bounded");
    }

    [Fact]
    public void OtherTags_HaveOneCachedValueEach()
    {
        CloseMetrics.InitiatorTag(CloseInitiator.Local).Should().Be("local");
        CloseMetrics.InitiatorTag(CloseInitiator.Remote).Should().Be("remote");
        CloseMetrics.InitiatorTag(CloseInitiator.None).Should().Be("none");
        CloseMetrics.InitiatorTag(null).Should().Be("unknown");
        CloseMetrics.OutcomeTag(CloseOutcome.Clean).Should().Be("clean");
        CloseMetrics.OutcomeTag(CloseOutcome.TimedOut).Should().Be("timed_out");
        CloseMetrics.OutcomeTag(CloseOutcome.Aborted).Should().Be("aborted");
        CloseMetrics.OutcomeTag(CloseOutcome.NoCloseFrame).Should().Be("no_close_frame");
    }

    // ---- CloseHandshake ----

    [Fact]
    public void Handshake_PeerClosesFirst_Clean_CountedWhenTheTransportCloses()
    {
        using var metrics = new MetricsRecorder();
        var handshake = new CloseHandshake(WebSocketRole.Server);
        handshake.ReceiveClose(Payload(1001, "bye"));
        handshake.WriteClose(new byte[CloseFrame.MaxLength], out _);
        metrics.Closes.Should().BeEmpty("the connection has not ended");

        handshake.ReportTransportClosed();

        ShouldHaveOne(metrics, "1001", "remote", clean: true, "clean", "server");
    }

    [Fact]
    public void Handshake_ClientClosesFirst_Clean_LocalClient()
    {
        using var metrics = new MetricsRecorder();
        var handshake = new CloseHandshake(WebSocketRole.Client);
        handshake.WriteClose(new byte[CloseFrame.MaxLength], Status.NormalClosure, "bye", out _);
        handshake.ReceiveClose(Payload(1000));
        handshake.ReportTransportClosed();

        ShouldHaveOne(metrics, "1000", "local", clean: true, "clean", "client");
    }

    [Fact]
    public void Handshake_EmptyClose_Is1005()
    {
        using var metrics = new MetricsRecorder();
        var handshake = new CloseHandshake(WebSocketRole.Server);
        handshake.ReceiveClose([]);
        handshake.WriteClose(new byte[CloseFrame.MaxLength], out _);
        handshake.ReportTransportClosed();

        ShouldHaveOne(metrics, "1005", "remote", clean: true, "clean", "server");
    }

    [Fact]
    public void Handshake_TimedOut_1006Local()
    {
        using var metrics = new MetricsRecorder();
        var handshake = new CloseHandshake(WebSocketRole.Server);
        handshake.WriteClose(new byte[CloseFrame.MaxLength], Status.EndpointUnavailable, null, out _);
        handshake.ReportTimeout();
        handshake.ReportTransportClosed();

        ShouldHaveOne(metrics, "1006", "local", clean: false, "timed_out", "server");
    }

    [Fact]
    public void Handshake_ClientTimesOutWaitingForTcp_AfterBothCloses_IsStillClean()
    {
        // §7.1.1: the client closes TCP itself when the server does not; close frames went both ways, so it is clean.
        using var metrics = new MetricsRecorder();
        var handshake = new CloseHandshake(WebSocketRole.Client);
        handshake.WriteClose(new byte[CloseFrame.MaxLength], Status.NormalClosure, null, out _);
        handshake.ReceiveClose(Payload(1000));
        handshake.ReportTimeout();
        handshake.ReportTransportClosed();

        ShouldHaveOne(metrics, "1000", "local", clean: true, "clean", "client");
    }

    [Fact]
    public void Handshake_Failed_Aborted()
    {
        using var metrics = new MetricsRecorder();
        var handshake = new CloseHandshake(WebSocketRole.Server);
        handshake.Fail(Status.MessageTooBig, "too big");
        handshake.WriteClose(new byte[CloseFrame.MaxLength], out _);
        handshake.ReportTransportClosed();

        ShouldHaveOne(metrics, "1006", "local", clean: false, "aborted", "server");
    }

    [Fact]
    public void Handshake_FailedAfterThePeersClose_AbortedWithThePeersCode()
    {
        using var metrics = new MetricsRecorder();
        var handshake = new CloseHandshake(WebSocketRole.Client);
        handshake.ReceiveClose(Payload(4001, "go"));
        handshake.Fail(Status.InternalServerError);
        handshake.WriteClose(new byte[CloseFrame.MaxLength], out _);
        handshake.ReportTransportClosed();

        ShouldHaveOne(metrics, "4xxx", "remote", clean: false, "aborted", "client");
    }

    [Fact]
    public void Handshake_TransportClosesBeforeTheEcho_AbortedWithThePeersCode()
    {
        using var metrics = new MetricsRecorder();
        var handshake = new CloseHandshake(WebSocketRole.Server);
        handshake.ReceiveClose(Payload(3001));
        handshake.ReportTransportClosed();

        ShouldHaveOne(metrics, "3xxx", "remote", clean: false, "aborted", "server");
    }

    [Fact]
    public void Handshake_MalformedClose_FailsTheConnection_AbortedAs1006()
    {
        using var metrics = new MetricsRecorder();
        var handshake = new CloseHandshake(WebSocketRole.Server);
        handshake.ReceiveClose([0x03]);
        handshake.WriteClose(new byte[CloseFrame.MaxLength], out _);
        handshake.ReportTransportClosed();

        ShouldHaveOne(metrics, "1006", "local", clean: false, "aborted", "server");
    }

    [Fact]
    public void Handshake_TransportClosesBeforeAnyClose_NoCloseFrame_NotTimed()
    {
        using var metrics = new MetricsRecorder();
        var handshake = new CloseHandshake(WebSocketRole.Client);
        handshake.ReportTransportClosed();

        ShouldHaveOne(metrics, "1006", "none", clean: false, "no_close_frame", "client", timed: false);
    }

    [Fact]
    public void Handshake_OurCloseThenTcpDrops_NoCloseFrame()
    {
        using var metrics = new MetricsRecorder();
        var handshake = new CloseHandshake(WebSocketRole.Server);
        handshake.WriteClose(new byte[CloseFrame.MaxLength], Status.ServiceRestart, "restart", out _);
        handshake.ReportTransportClosed();

        ShouldHaveOne(metrics, "1006", "local", clean: false, "no_close_frame", "server");
    }

    public static TheoryData<int, string> LenientCodes() => new()
    {
        { 1004, "1004" },
        { 1014, "1014" },
        { 1016, "other" },
        { 2999, "other" },
        { 3000, "3xxx" },
        { 3999, "3xxx" },
        { 4000, "4xxx" },
        { 4999, "4xxx" },
    };

    [Theory]
    [MemberData(nameof(LenientCodes))]
    public void Handshake_CodesAreBucketed(int code, string tag)
    {
        using var metrics = new MetricsRecorder();
        var handshake = new CloseHandshake(WebSocketRole.Server, ClosePayloadReadMode.Lenient);
        handshake.ReceiveClose(Payload(code));
        handshake.WriteClose(new byte[CloseFrame.MaxLength], out _);
        handshake.ReportTransportClosed();

        ShouldHaveOne(metrics, tag, "remote", clean: true, "clean", "server");
    }

    [Fact]
    public void Handshake_EachConnectionCountsOnce_ResetReadiesAnother()
    {
        using var metrics = new MetricsRecorder();
        var handshake = new CloseHandshake(WebSocketRole.Server);
        handshake.ReceiveClose(Payload(1000));
        handshake.WriteClose(new byte[CloseFrame.MaxLength], out _);
        handshake.ReportTransportClosed();
        handshake.ReportTransportClosed();
        _ = handshake.CloseStatus;
        _ = handshake.WasClean;
        metrics.Closes.Should().HaveCount(1, "a second report of the same end changes nothing");

        handshake.Reset();
        handshake.ReportTransportClosed();
        handshake.Reset();   // a connection reset before its end is not counted
        handshake.Reset();

        metrics.Closes.Should().HaveCount(2);
        ShouldHaveTags(metrics.Closes[1], "1006", "none", clean: false, "no_close_frame", "server");
        metrics.Durations.Should().HaveCount(1, "the second connection ended before closing started");
    }

    [Fact]
    public async Task Handshake_Duration_IsFromTheStartOfClosingToTheEnd()
    {
        using var metrics = new MetricsRecorder();
        var handshake = new CloseHandshake(WebSocketRole.Server);
        await Task.Delay(100);   // before closing: not timed
        handshake.WriteClose(new byte[CloseFrame.MaxLength], Status.NormalClosure, null, out _);
        await Task.Delay(200);
        handshake.ReceiveClose(Payload(1000));
        handshake.ReportTransportClosed();

        metrics.Durations.Should().ContainSingle().Which.Value.Should().BeInRange(0.15, 10);
    }

    [Fact]
    public void Handshake_ReceivedThenFailed_TimedFromTheReceivedClose()
    {
        // The first event starts closing; the later ones do not move the start.
        using var metrics = new MetricsRecorder();
        var handshake = new CloseHandshake(WebSocketRole.Server);
        handshake.ReceiveClose(Payload(1000));
        Thread.Sleep(150);
        handshake.Fail(Status.PolicyViolation);
        handshake.WriteClose(new byte[CloseFrame.MaxLength], out _);
        handshake.ReportTransportClosed();

        metrics.Durations.Should().ContainSingle().Which.Value.Should().BeGreaterThan(0.1);
    }

    [Fact]
    public void Handshake_CounterOnly_CountsWithoutTiming()
    {
        using var metrics = new MetricsRecorder(counter: true, histogram: false);
        var handshake = new CloseHandshake(WebSocketRole.Server);
        handshake.ReceiveClose(Payload(1000));
        handshake.WriteClose(new byte[CloseFrame.MaxLength], out _);
        handshake.ReportTransportClosed();

        ShouldHaveOne(metrics, "1000", "remote", clean: true, "clean", "server", timed: false);
    }

    [Fact]
    public void Handshake_HistogramOnly_TimesWithoutCounting()
    {
        using var metrics = new MetricsRecorder(counter: false, histogram: true);
        var handshake = new CloseHandshake(WebSocketRole.Server);
        handshake.ReceiveClose(Payload(1000));
        handshake.WriteClose(new byte[CloseFrame.MaxLength], out _);
        handshake.ReportTransportClosed();

        metrics.Closes.Should().BeEmpty();
        ShouldHaveTags(metrics.Durations.Should().ContainSingle().Subject, "1000", "remote", clean: true, "clean", "server");
    }

    [Fact]
    public void Handshake_ListenerAttachedAfterClosingStarted_CountsButDoesNotTime()
    {
        var handshake = new CloseHandshake(WebSocketRole.Server);
        handshake.ReceiveClose(Payload(1000));   // no listener: no timestamp
        using var metrics = new MetricsRecorder();
        handshake.WriteClose(new byte[CloseFrame.MaxLength], out _);
        handshake.ReportTransportClosed();

        ShouldHaveOne(metrics, "1000", "remote", clean: true, "clean", "server", timed: false);
    }

    [Fact]
    public void Handshake_NoListener_NothingRecorded()
    {
        var handshake = new CloseHandshake(WebSocketRole.Server);
        handshake.ReceiveClose(Payload(1000));
        handshake.WriteClose(new byte[CloseFrame.MaxLength], out _);
        handshake.ReportTransportClosed();
        using var metrics = new MetricsRecorder();

        metrics.Closes.Should().BeEmpty();
        metrics.Durations.Should().BeEmpty();
        CloseMetrics.Timestamp().Should().NotBe(0, "a listener enables the histogram");
    }

    // ---- WebSocketCloser ----

    private static WebSocketCloser CloserOf(WebSocket socket, TimeSpan? timeout = null, WebSocketRole? role = null) =>
        new(socket, new WebSocketCloseOptions { Timeout = timeout ?? Patience, Role = role });

    private static Task<WebSocketReceiveResult> Receive(WebSocketCloser closer, CancellationToken cancellationToken = default) =>
        closer.ReceiveAsync(new ArraySegment<byte>(new byte[64]), cancellationToken);

    [Fact]
    public async Task Closer_LocalClose_Clean_CountedOnce_HoweverOftenTheResultIsRead()
    {
        using var metrics = new MetricsRecorder();
        var socket = new ScriptedWebSocket().ThenCloseOnceWeSent(NetStatus.NormalClosure, "ok");
        WebSocketCloser closer = CloserOf(socket);
        Task<WebSocketReceiveResult> loop = Receive(closer);

        WebSocketCloseResult result = await Within(closer.CloseAsync(Status.ServiceRestart, "restart", CancellationToken.None));
        await Within(loop);
        (await Within(closer.CloseAsync(Status.NormalClosure, null, CancellationToken.None))).Should().BeSameAs(result);
        (await closer.Completion).Should().BeSameAs(result);
        (await Within(socket.CloseGracefullyAsync(Status.NormalClosure, null, TimeSpan.FromSeconds(1), CancellationToken.None))).Should().BeSameAs(result);

        ShouldHaveOne(metrics, "1000", "local", clean: true, "clean", "server");
    }

    [Fact]
    public async Task Closer_PeerClosesFirst_Clean_Remote()
    {
        using var metrics = new MetricsRecorder();
        var socket = new ScriptedWebSocket().ThenClose(NetStatus.EndpointUnavailable, "bye");
        WebSocketCloser closer = CloserOf(socket);

        (await Within(Receive(closer))).MessageType.Should().Be(WebSocketMessageType.Close);
        await Within(closer.Completion);

        ShouldHaveOne(metrics, "1001", "remote", clean: true, "clean", "server");
    }

    [Fact]
    public async Task Closer_SilentPeer_TimedOut()
    {
        using var metrics = new MetricsRecorder();
        var socket = new ScriptedWebSocket();
        WebSocketCloser closer = CloserOf(socket, s_shortTimeout, WebSocketRole.Client);

        WebSocketCloseResult result = await Within(closer.CloseAsync(Status.NormalClosure, null, CancellationToken.None));

        result.TimedOut.Should().BeTrue();
        ShouldHaveOne(metrics, "1006", "local", clean: false, "timed_out", "client");
        metrics.Durations[0].Value.Should().BeGreaterThanOrEqualTo(0.05, "timed from the close to the timeout's abort");
    }

    [Fact]
    public async Task Closer_CancelledClose_Aborted()
    {
        using var metrics = new MetricsRecorder();
        var socket = new ScriptedWebSocket();
        WebSocketCloser closer = CloserOf(socket);
        using var cancel = new CancellationTokenSource();

        Task<WebSocketCloseResult> closing = closer.CloseAsync(Status.NormalClosure, null, cancel.Token);
        await cancel.CancelAsync();
        WebSocketCloseResult result = await Within(closing);

        result.Aborted.Should().BeTrue();
        ShouldHaveOne(metrics, "1006", "local", clean: false, "aborted", "server");
    }

    [Fact]
    public async Task Closer_PeersCloseThenTheEchoFails_AbortedWithThePeersCode()
    {
        using var metrics = new MetricsRecorder();
        var socket = new ScriptedWebSocket().ThenClose(NetStatus.PolicyViolation, "no");
        socket.SendFailure = new WebSocketException(WebSocketError.ConnectionClosedPrematurely);
        WebSocketCloser closer = CloserOf(socket);

        await Within(Receive(closer));
        WebSocketCloseResult result = await Within(closer.Completion);

        result.WasClean.Should().BeFalse();
        result.Aborted.Should().BeTrue();
        ShouldHaveOne(metrics, "1008", "remote", clean: false, "aborted", "server");
    }

    [Fact]
    public async Task Closer_PeerDropsTcp_NoCloseFrame_NotTimed()
    {
        using var metrics = new MetricsRecorder();
        var socket = new ScriptedWebSocket().ThenFail(new WebSocketException(WebSocketError.ConnectionClosedPrematurely));
        WebSocketCloser closer = CloserOf(socket);

        await Within(Receive(closer));
        WebSocketCloseResult result = await Within(closer.Completion);

        result.Initiator.Should().Be(CloseInitiator.None);
        ShouldHaveOne(metrics, "1006", "none", clean: false, "no_close_frame", "server", timed: false);
    }

    [Fact]
    public async Task Closer_PeerDropsTcpAfterOurClose_NoCloseFrame_Local()
    {
        using var metrics = new MetricsRecorder();
        var socket = new ScriptedWebSocket().ThenFail(new WebSocketException(WebSocketError.ConnectionClosedPrematurely));
        WebSocketCloser closer = CloserOf(socket, role: WebSocketRole.Client);

        await Within(closer.CloseAsync(Status.NormalClosure, null, CancellationToken.None));

        ShouldHaveOne(metrics, "1006", "local", clean: false, "no_close_frame", "client");
    }

    [Fact]
    public async Task Closer_ForASocketThatEndedUnseen_InitiatorUnknown()
    {
        using var metrics = new MetricsRecorder();
        var socket = new ScriptedWebSocket().ThenClose(NetStatus.InternalServerError, null);
        await socket.ReceiveAsync(new byte[8], CancellationToken.None);
        await socket.CloseOutputAsync(NetStatus.InternalServerError, null, CancellationToken.None);
        WebSocketCloser closer = CloserOf(socket);

        WebSocketCloseResult result = await Within(closer.CloseAsync(Status.NormalClosure, null, CancellationToken.None));

        result.Initiator.Should().BeNull();
        ShouldHaveOne(metrics, "1011", "unknown", clean: true, "clean", "server", timed: false);
    }

    [Fact]
    public async Task Closer_ClientWebSocket_IsAClient_TheServersCloserAServer()
    {
        var serverDone = new TaskCompletionSource<WebSocketCloseResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using KestrelServer server = await KestrelServer.StartAsync(async socket =>
        {
            var closer = new WebSocketCloser(socket);
            while ((await Receive(closer)).MessageType != WebSocketMessageType.Close)
            {
            }

            serverDone.SetResult(await closer.Completion);
        });
        using var metrics = new MetricsRecorder();
        using ClientWebSocket client = await ConnectAsync(server.Uri);

        WebSocketCloseResult result = await Within(client.CloseGracefullyAsync(Status.NormalClosure, "done", Patience, CancellationToken.None));
        await Within(serverDone.Task);

        result.WasClean.Should().BeTrue();
        ShouldHaveOne(metrics, "1000", "local", clean: true, "clean", "client");   // the server's close is another flow's
    }

    [Fact]
    public void Options_Role_NullOrDefined()
    {
        var options = new WebSocketCloseOptions();
        options.Role.Should().BeNull();
        options.Role = WebSocketRole.Client;
        options.Role.Should().Be(WebSocketRole.Client);
        options.Role = WebSocketRole.Server;
        options.Role.Should().Be(WebSocketRole.Server);
        options.Role = null;
        options.Role.Should().BeNull();

        foreach (WebSocketRole undefined in new[] { default, (WebSocketRole)3 })
        {
            Action set = () => options.Role = undefined;
            set.Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("value");
        }
    }

    [Fact]
    public async Task Closer_RoleFromOptions_OverridesTheSocketsType()
    {
        using var metrics = new MetricsRecorder();
        var socket = new ScriptedWebSocket().ThenCloseOnceWeSent(NetStatus.NormalClosure, null);
        WebSocketCloser closer = CloserOf(socket, role: WebSocketRole.Client);

        await Within(closer.CloseAsync(Status.NormalClosure, null, CancellationToken.None));

        ShouldHaveOne(metrics, "1000", "local", clean: true, "clean", "client");
    }

    // ---- WebSocketDrain ----

    [Fact]
    public async Task Drain_EachConnectionCountsOnce_ThroughItsCloser()
    {
        using var metrics = new MetricsRecorder();
        var drain = new WebSocketDrain(new WebSocketDrainOptions { Window = TimeSpan.FromMilliseconds(50), Random = new Random(2) });
        var loops = new Task[4];
        for (int i = 0; i < loops.Length; i++)
        {
            var socket = new ScriptedWebSocket().ThenCloseOnceWeSent((NetStatus)1012, null);
            var closer = new WebSocketCloser(socket);
            drain.Track(closer);
            loops[i] = Task.Run(async () =>
            {
                while ((await Receive(closer)).MessageType != WebSocketMessageType.Close)
                {
                }
            });
        }

        WebSocketDrainReport report = await Within(drain.DrainAsync(CancellationToken.None));
        await Within(Task.WhenAll(loops).ContinueWith(_ => 0, TaskScheduler.Default));

        report.Clean.Should().Be(4);
        metrics.Closes.Should().HaveCount(4);
        metrics.Durations.Should().HaveCount(4);
        foreach (Measured closed in metrics.Closes)
        {
            ShouldHaveTags(closed, "1012", "local", clean: true, "clean", "server");
        }
    }

    [Fact]
    public async Task Drain_AConnectionThatTimesOut_CountsOnceAsTimedOut()
    {
        using var metrics = new MetricsRecorder();
        var drain = new WebSocketDrain(new WebSocketDrainOptions { Window = TimeSpan.Zero });
        var closer = new WebSocketCloser(new ScriptedWebSocket(), new WebSocketCloseOptions { Timeout = s_shortTimeout });
        drain.Track(closer);

        WebSocketDrainReport report = await Within(drain.DrainAsync(CancellationToken.None));

        report.TimedOut.Should().Be(1);
        ShouldHaveOne(metrics, "1006", "local", clean: false, "timed_out", "server");
    }

    // ---- The relay ----

    [Fact]
    public async Task Relay_TheProxysClose_CountsEachLegOnce_WithTheProxysRoleOnIt()
    {
        using var metrics = new MetricsRecorder();
        using WebSocketStreamRelayTests.Proxied proxied = await WebSocketStreamRelayTests.Proxied.ConnectAsync();
        Task<WebSocketRelayResult> run = proxied.Relay.RunAsync();
        Task<WebSocketRelayResult> closing = proxied.Relay.CloseAsync(Status.ServiceRestart, "restarting");

        var buffer = new byte[16];
        (await Within(proxied.App.ReceiveAsync(buffer, CancellationToken.None))).MessageType.Should().Be(WebSocketMessageType.Close);
        (await Within(proxied.Backend.ReceiveAsync(buffer, CancellationToken.None))).MessageType.Should().Be(WebSocketMessageType.Close);
        await proxied.App.CloseOutputAsync((NetStatus)1012, null, CancellationToken.None);
        await proxied.Backend.CloseOutputAsync((NetStatus)4001, null, CancellationToken.None);
        proxied.Backend.Dispose();
        WebSocketRelayResult result = await Within(closing);
        await Within(run);

        result.Client.WasClean.Should().BeTrue();
        Measured[] closes = metrics.Closes;
        closes.Should().HaveCount(2, "one per leg");
        ShouldHaveTags(closes.Single(m => m.Tag(WebSocketCloseMetrics.RoleTagName) == "server"), "1012", "local", clean: true, "clean", "server");
        ShouldHaveTags(closes.Single(m => m.Tag(WebSocketCloseMetrics.RoleTagName) == "client"), "4xxx", "local", clean: true, "clean", "client");
        metrics.Durations.Should().BeEmpty("the relay's legs are counted, not timed");
    }

    [Fact]
    public async Task Relay_ABackendThatDropsTcp_CountsNoCloseFrameOnItsLeg()
    {
        using var metrics = new MetricsRecorder();
        using WebSocketStreamRelayTests.Proxied proxied = await WebSocketStreamRelayTests.Proxied.ConnectAsync();
        Task<WebSocketRelayResult> run = proxied.Relay.RunAsync();

        proxied.DropBackend();
        var buffer = new byte[64];
        (await Within(proxied.App.ReceiveAsync(buffer, CancellationToken.None))).MessageType.Should().Be(WebSocketMessageType.Close);
        await proxied.App.CloseOutputAsync((NetStatus)1001, null, CancellationToken.None);
        await Within(run);

        Measured[] closes = metrics.Closes;
        closes.Should().HaveCount(2);
        ShouldHaveTags(closes.Single(m => m.Tag(WebSocketCloseMetrics.RoleTagName) == "client"), "1006", "none", clean: false, "no_close_frame", "client");
        ShouldHaveTags(closes.Single(m => m.Tag(WebSocketCloseMetrics.RoleTagName) == "server"), "1001", "local", clean: true, "clean", "server");
    }
}
