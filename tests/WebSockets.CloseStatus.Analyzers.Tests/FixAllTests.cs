using System.Threading.Tasks;
using Xunit;
using static WebSockets.CloseStatus.Analyzers.Tests.Sources;
using static WebSockets.CloseStatus.Analyzers.Tests.Verify;

namespace WebSockets.CloseStatus.Analyzers.Tests;

/// <summary>
/// Every rule that has a fix, fixed by Fix All in document, project and solution scope, with several diagnostics in a
/// document and across two documents: one Fix All fixes every call the rule reports, whatever form its fix takes there.
/// </summary>
public sealed class FixAllTests
{
    private static readonly string s_long = new('a', 130);

    [Fact]
    public Task WSCS001_EveryEmpty_InTwoDocuments() =>
        FixAllAsync(
            [
                InMethod("""
                    await ws.CloseOutputAsync({|#0:NetStatus.Empty|}, null, ct);
                    await client.CloseAsync({|#1:NetStatus.Empty|}, "bye", ct);
                    """),
                InMethod("""
                    await ws.CloseAsync({|#2:NetStatus.Empty|}, "done", ct);
                    await client.CloseOutputAsync({|#3:NetStatus.Empty|}, reason, ct);
                    """, type: "D"),
            ],
            [Diagnostic("WSCS001").WithLocation(0), Diagnostic("WSCS001").WithLocation(1), Diagnostic("WSCS001").WithLocation(2), Diagnostic("WSCS001").WithLocation(3)],
            [
                InMethod("""
                    await ws.CloseOutputAsync(NetStatus.NormalClosure, null, ct);
                    await client.CloseAsync(NetStatus.NormalClosure, "bye", ct);
                    """),
                InMethod("""
                    await ws.CloseAsync(NetStatus.NormalClosure, "done", ct);
                    await client.CloseOutputAsync(NetStatus.NormalClosure, reason, ct);
                    """, type: "D"),
            ],
            fixAllIterations: 1,
            documentIterations: 2);

    // 1000 for a close, 1002 for a failure (RFC 6455 §7.1.7), in one Fix All: one key, the code that fits each call.
    [Fact]
    public Task WSCS003_EveryEmpty_WritersExtensionsAndFail_InTwoDocuments() =>
        FixAllAsync(
            [
                InMethod("""
                    ClosePayload.Create({|#0:CloseStatus.Empty|}, "bye");
                    handshake.Fail({|#1:CloseStatus.Empty|});
                    """),
                InMethod("""
                    await ws.CloseAsync({|#2:CloseStatus.Empty|}, null, ct);
                    await ws.CloseGracefullyAsync({|#3:CloseStatus.Empty|}, "bye", TimeSpan.FromSeconds(1), ct);
                    handshake.Fail({|#4:CloseStatus.Empty|});
                    """, type: "D"),
            ],
            [Diagnostic("WSCS003").WithLocation(0), Diagnostic("WSCS003").WithLocation(1), Diagnostic("WSCS003").WithLocation(2), Diagnostic("WSCS003").WithLocation(3), Diagnostic("WSCS003").WithLocation(4)],
            [
                InMethod("""
                    ClosePayload.Create(CloseStatus.NormalClosure, "bye");
                    handshake.Fail(CloseStatus.ProtocolError);
                    """),
                InMethod("""
                    await ws.CloseAsync(CloseStatus.NormalClosure, null, ct);
                    await ws.CloseGracefullyAsync(CloseStatus.NormalClosure, "bye", TimeSpan.FromSeconds(1), ct);
                    handshake.Fail(CloseStatus.ProtocolError);
                    """, type: "D"),
            ],
            fixAllIterations: 1,
            documentIterations: 2);

    // Every form of the truncation fix under one key: this library's close for System.Net's, an overload, a parameter, options.
    [Fact]
    public Task WSCS002_EveryLongReason_EachInTheFormThatFits_InTwoDocuments() =>
        FixAllAsync(
            [
                InMethod($$"""
                    await ws.CloseAsync(NetStatus.PolicyViolation, {|#0:"{{s_long}}"|}, ct);
                    await ws.CloseOutputAsync(CloseStatus.PolicyViolation, {|#1:"{{s_long}}"|}, ct);
                    ClosePayload.Create(CloseStatus.NormalClosure, {|#2:"{{s_long}}"|});
                    """),
                InMethod($$"""
                    await WebSocketExtensions.CloseAsync(ws, CloseStatus.NormalClosure, {|#3:"{{s_long}}"|}, ct);
                    await ws.CloseAsync(CloseStatus.NormalClosure, {|#4:"{{s_long}}"|}, cancellationToken: ct);
                    await ws.CloseAsync({|#5:statusDescription: "{{s_long}}"|}, closeStatus: CloseStatus.NormalClosure, cancellationToken: ct);
                    await ws.CloseGracefullyAsync(CloseStatus.NormalClosure, {|#6:"{{s_long}}"|}, TimeSpan.FromSeconds(2), ct);
                    await ws.CloseGracefullyAsync(CloseStatus.NormalClosure, {|#7:"{{s_long}}"|}, new WebSocketCloseOptions { Timeout = TimeSpan.FromSeconds(2) }, ct);
                    await ws.CloseGracefullyAsync(CloseStatus.NormalClosure, {|#8:"{{s_long}}"|}, new WebSocketCloseOptions(), ct);
                    """, type: "D"),
            ],
            [Diagnostic("WSCS002").WithLocation(0), Diagnostic("WSCS002").WithLocation(1), Diagnostic("WSCS002").WithLocation(2), Diagnostic("WSCS002").WithLocation(3), Diagnostic("WSCS002").WithLocation(4),
             Diagnostic("WSCS002").WithLocation(5), Diagnostic("WSCS002").WithLocation(6), Diagnostic("WSCS002").WithLocation(7), Diagnostic("WSCS002").WithLocation(8)],
            [
                InMethod($$"""
                    await ws.CloseAsync(CloseStatus.PolicyViolation, "{{s_long}}", CloseReasonTruncation.TruncateWithEllipsis, ct);
                    await ws.CloseOutputAsync(CloseStatus.PolicyViolation, "{{s_long}}", CloseReasonTruncation.TruncateWithEllipsis, ct);
                    ClosePayload.Create(CloseStatus.NormalClosure, "{{s_long}}", truncation: CloseReasonTruncation.TruncateWithEllipsis);
                    """),
                InMethod($$"""
                    await WebSocketExtensions.CloseAsync(ws, CloseStatus.NormalClosure, "{{s_long}}", CloseReasonTruncation.TruncateWithEllipsis, ct);
                    await ws.CloseAsync(CloseStatus.NormalClosure, "{{s_long}}", CloseReasonTruncation.TruncateWithEllipsis, cancellationToken: ct);
                    await ws.CloseAsync(statusDescription: "{{s_long}}", closeStatus: CloseStatus.NormalClosure, cancellationToken: ct, truncation: CloseReasonTruncation.TruncateWithEllipsis);
                    await ws.CloseGracefullyAsync(CloseStatus.NormalClosure, "{{s_long}}", new WebSocketCloseOptions { Timeout = TimeSpan.FromSeconds(2), Truncation = CloseReasonTruncation.TruncateWithEllipsis }, ct);
                    await ws.CloseGracefullyAsync(CloseStatus.NormalClosure, "{{s_long}}", new WebSocketCloseOptions { Timeout = TimeSpan.FromSeconds(2), Truncation = CloseReasonTruncation.TruncateWithEllipsis }, ct);
                    await ws.CloseGracefullyAsync(CloseStatus.NormalClosure, "{{s_long}}", new WebSocketCloseOptions() { Truncation = CloseReasonTruncation.TruncateWithEllipsis }, ct);
                    """, type: "D"),
            ],
            fixAllIterations: 1,
            documentIterations: 2);

    [Fact]
    public Task WSCS005_EveryUnboundedClose_KeepingATruncation_InTwoDocuments() =>
        FixAllAsync(
            [
                InMethod("""
                    await {|#0:ws.CloseAsync(NetStatus.NormalClosure, "bye", CancellationToken.None)|};
                    await {|#1:client.CloseAsync(NetStatus.EndpointUnavailable, null, default)|}.ConfigureAwait(false);
                    """),
                InMethod("""
                    await {|#2:ws.CloseAsync(CloseStatus.ServiceRestart, reason, CloseReasonTruncation.Truncate, CancellationToken.None)|};
                    await {|#3:WebSocketExtensions.CloseAsync(ws, CloseStatus.NormalClosure, reason, default)|};
                    """, type: "D"),
            ],
            [Diagnostic("WSCS005").WithLocation(0), Diagnostic("WSCS005").WithLocation(1), Diagnostic("WSCS005").WithLocation(2), Diagnostic("WSCS005").WithLocation(3)],
            [
                InMethod("""
                    await ws.CloseGracefullyAsync(CloseStatus.NormalClosure, "bye", TimeSpan.FromSeconds(5), CancellationToken.None);
                    await client.CloseGracefullyAsync(CloseStatus.EndpointUnavailable, null, TimeSpan.FromSeconds(5), default).ConfigureAwait(false);
                    """),
                InMethod("""
                    await ws.CloseGracefullyAsync(CloseStatus.ServiceRestart, reason, new WebSocketCloseOptions { Timeout = TimeSpan.FromSeconds(5), Truncation = CloseReasonTruncation.Truncate }, CancellationToken.None);
                    await WebSocketExtensions.CloseGracefullyAsync(ws, CloseStatus.NormalClosure, reason, TimeSpan.FromSeconds(5), default);
                    """, type: "D"),
            ],
            fixAllIterations: 1,
            documentIterations: 2);

    // Several rules on the same calls, in one Fix All over all of them (as the testing framework runs it): each call's first
    // fix in the first run, the fixes that would have overlapped it in a second; no fix leaves its call with a mistake of
    // another rule (System.Net's 1005 becomes 1000 on its way into this library's close).
    [Fact]
    public Task SeveralRules_OnTheSameCalls_InTwoRuns() =>
        FixAllAsync(
            [
                InMethod($$"""
                    await ws.CloseOutputAsync({|#0:NetStatus.Empty|}, {|#1:"{{s_long}}"|}, ct);
                    await {|#2:ws.CloseAsync(NetStatus.NormalClosure, {|#3:"{{s_long}}"|}, CancellationToken.None)|};
                    await {|#4:ws.CloseAsync({|#5:NetStatus.Empty|}, "bye", default)|};
                    handshake.Fail({|#6:CloseStatus.Empty|});
                    await ws.CloseAsync({|#7:CloseStatus.Empty|}, {|#8:"{{s_long}}"|}, ct);
                    """),
            ],
            [Diagnostic("WSCS001").WithLocation(0), Diagnostic("WSCS002").WithLocation(1), Diagnostic("WSCS005").WithLocation(2), Diagnostic("WSCS002").WithLocation(3),
             Diagnostic("WSCS005").WithLocation(4), Diagnostic("WSCS001").WithLocation(5), Diagnostic("WSCS003").WithLocation(6), Diagnostic("WSCS003").WithLocation(7),
             Diagnostic("WSCS002").WithLocation(8)],
            [
                InMethod($$"""
                    await ws.CloseOutputAsync(CloseStatus.NormalClosure, "{{s_long}}", CloseReasonTruncation.TruncateWithEllipsis, ct);
                    await ws.CloseGracefullyAsync(CloseStatus.NormalClosure, "{{s_long}}", new WebSocketCloseOptions { Timeout = TimeSpan.FromSeconds(5), Truncation = CloseReasonTruncation.TruncateWithEllipsis }, CancellationToken.None);
                    await ws.CloseGracefullyAsync(CloseStatus.NormalClosure, "bye", TimeSpan.FromSeconds(5), default);
                    handshake.Fail(CloseStatus.ProtocolError);
                    await ws.CloseAsync(CloseStatus.NormalClosure, "{{s_long}}", CloseReasonTruncation.TruncateWithEllipsis, ct);
                    """),
            ],
            fixAllIterations: 2,
            documentIterations: 2);
}
