using System;
using System.Diagnostics;
using System.IO.Pipelines;
using System.Linq;
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

/// <summary>
/// Issue #41's drain of a custom stack: the README's PipeReader loop, tracked through its <see cref="CloseHandshake"/>, serving
/// .NET's own WebSocket clients over loopback TCP.
/// </summary>
public partial class ReadmeTests
{
    private static readonly TimeSpan s_patience = TimeSpan.FromSeconds(20);

    /// <summary>A client that answers a close with its code and reason (RFC 6455 §5.5.1), and reports what it received.</summary>
    private static async Task<(SystemNetCloseStatus? Status, string? Reason, WebSocketState State)> AnswerAsync(WebSocket client)
    {
        var buffer = new byte[256];
        WebSocketReceiveResult result;
        do
        {
            result = await client.ReceiveAsync(buffer, CancellationToken.None);
        }
        while (result.MessageType != WebSocketMessageType.Close);

        await client.CloseOutputAsync(result.CloseStatus!.Value, result.CloseStatusDescription, CancellationToken.None);
        return (result.CloseStatus, result.CloseStatusDescription, client.State);
    }

    [Fact]
    public async Task DrainedLoop_ClosesEveryConnectionWithTheDrainsCode_AndReportsThemClean_Rfc6455_7_1_1()
    {
        const int Connections = 8;
        var shutdown = new WebSocketDrain(new WebSocketDrainOptions
        {
            Window = TimeSpan.FromMilliseconds(200),
            StatusDescription = "deploying: перезапуск 再见 👋",
            KeepResults = true,
            Random = new Random(3),
        });
        var pairs = await Task.WhenAll(Enumerable.Range(0, Connections).Select(_ => ConnectAsync(peerIsServer: false)));
        try
        {
            var handshakes = pairs.Select(_ => new CloseHandshake(WebSocketRole.Server)).ToArray();
            Task[] loops = [.. pairs.Select((p, i) => ClosingSamples.ServeTrackedAsync(shutdown, handshakes[i], PipesOver(p.Ours), TimeSpan.FromSeconds(5), CancellationToken.None))];
            var answers = pairs.Select(p => AnswerAsync(p.Peer)).ToArray();
            await WaitUntilAsync(() => shutdown.Count == Connections);

            var clock = Stopwatch.StartNew();
            WebSocketDrainReport report = await shutdown.DrainAsync(CancellationToken.None).WaitAsync(s_patience);
            clock.Stop();
            await Task.WhenAll(loops).WaitAsync(s_patience);

            report.Total.Should().Be(Connections);
            report.Clean.Should().Be(Connections, "each client answered the drain's close and the server closed TCP (§7.1.1)");
            report.Results.Should().OnlyContain(r => r.CloseStatus == WebSocketCloseStatus.ServiceRestart
                && r.CloseStatusDescription == "deploying: перезапуск 再见 👋"
                && r.SentStatus == WebSocketCloseStatus.ServiceRestart
                && r.Initiator == CloseInitiator.Local
                && r.WasClean && !r.Aborted && !r.TimedOut && r.Exception == null);
            foreach (var answer in answers)
            {
                (SystemNetCloseStatus? status, string? reason, WebSocketState state) = await answer.WaitAsync(s_patience);
                status.Should().Be((SystemNetCloseStatus)1012, "1012 by default: the registry's advice to reconnect after 5-30 s");
                reason.Should().Be("deploying: перезапуск 再见 👋");
                state.Should().Be(WebSocketState.Closed);
            }

            handshakes.Should().OnlyContain(h => h.State == CloseHandshakeState.Closed && h.WasClean);
            shutdown.Count.Should().Be(0, "each connection left the set when its registration was disposed");
            clock.Elapsed.Should().BeLessThan(s_patience);
        }
        finally
        {
            foreach (var (ours, theirs, peer) in pairs)
            {
                peer.Dispose();
                ours.Dispose();
                theirs.Dispose();
            }
        }
    }

    [Fact]
    public async Task DrainedLoop_AClientThatNeverAnswers_TimesOutAtTheLoopsTimer_AndIsCountedSo_Rfc6455_7_1_1()
    {
        var shutdown = new WebSocketDrain(new WebSocketDrainOptions { Window = TimeSpan.Zero, KeepResults = true });
        (TcpClient ours, TcpClient theirs, WebSocket peer) = await ConnectAsync(peerIsServer: false);
        using (ours)
        using (theirs)
        using (peer)
        {
            var handshake = new CloseHandshake(WebSocketRole.Server);
            Task loop = ClosingSamples.ServeTrackedAsync(shutdown, handshake, PipesOver(ours), s_shortTimeout, CancellationToken.None);
            await WaitUntilAsync(() => shutdown.Count == 1);

            WebSocketDrainReport report = await shutdown.DrainAsync(CancellationToken.None).WaitAsync(s_patience);
            await loop.WaitAsync(s_patience);

            report.TimedOut.Should().Be(1, "the client read nothing, so its close never came");
            report.Clean.Should().Be(0);
            WebSocketCloseResult result = report.Results.Single();
            result.TimedOut.Should().BeTrue();
            result.Aborted.Should().BeTrue();
            result.WasClean.Should().BeFalse();
            result.CloseStatus.Should().Be(WebSocketCloseStatus.AbnormalClosure, "no close arrived before TCP closed (§7.1.5)");
            result.SentStatus.Should().Be(WebSocketCloseStatus.ServiceRestart);
        }
    }

    [Fact]
    public async Task DrainedLoop_AStackThatIgnoresTheRequest_IsAbortedAtTheDeadline_AndTheDrainEndsThere()
    {
        // A loop that never hands the request on (no CancelPendingRead): only the deadline's token ends it.
        var shutdown = new WebSocketDrain(new WebSocketDrainOptions { Window = TimeSpan.Zero, Deadline = TimeSpan.FromMilliseconds(300), KeepResults = true });
        (TcpClient ours, TcpClient theirs, WebSocket peer) = await ConnectAsync(peerIsServer: false);
        using (ours)
        using (theirs)
        using (peer)
        {
            var handshake = new CloseHandshake(WebSocketRole.Server);
            var registration = shutdown.Track(handshake);
            Task loop = Task.Run(async () =>
            {
                using (registration)
                {
                    await ClosingSamples.ReadLoopAsync(handshake, PipesOver(ours), TimeSpan.FromSeconds(30), registration.AbortRequested);
                }
            });

            var clock = Stopwatch.StartNew();
            WebSocketDrainReport report = await shutdown.DrainAsync(CancellationToken.None).WaitAsync(s_patience);
            clock.Stop();

            report.Aborted.Should().Be(1);
            WebSocketCloseResult result = report.Results.Single();
            result.Aborted.Should().BeTrue();
            result.WasClean.Should().BeFalse();
            result.SentStatus.Should().BeNull("the stack never wrote the drain's close");
            clock.Elapsed.Should().BeGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(280)).And.BeLessThan(TimeSpan.FromSeconds(10), "the drain waits until its deadline, not longer");
            registration.AbortRequested.IsCancellationRequested.Should().BeTrue("the deadline asks the stack to abort");
            await loop.WaitAsync(s_patience);   // the loop's token was the deadline's: it closed TCP and returned
            handshake.State.Should().Be(CloseHandshakeState.Closed);
            handshake.CloseStatus.Should().Be(WebSocketCloseStatus.AbnormalClosure);
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            clock.Elapsed.Should().BeLessThan(s_patience, "the condition should have held by now");
            await Task.Delay(10);
        }
    }
}
