using System.Threading.Tasks;
using Xunit;
using static WebSockets.CloseStatus.Analyzers.Tests.Sources;
using static WebSockets.CloseStatus.Analyzers.Tests.Verify;

namespace WebSockets.CloseStatus.Analyzers.Tests;

/// <summary>The fixes write code that compiles, that the analyzer no longer reports, and that does what the rule asks.</summary>
public sealed class CodeFixTests
{
    private static readonly string s_long = new('a', 130);

    [Fact]
    public Task Empty_BecomesNormalClosure_OfTheSameEnum() =>
        CodeFixAsync(
            InMethod("""
                await ws.CloseOutputAsync({|#0:NetStatus.Empty|}, null, ct);
                handshake.Fail({|#1:CloseStatus.Empty|});
                """),
            [Diagnostic("WSCS001").WithLocation(0).WithArguments("1005 (Empty)", "1005 (Empty) stands for a close without a code, and CloseOutputAsync puts it on the wire as it is"),
             Diagnostic("WSCS003").WithLocation(1).WithArguments("1005 (Empty)", "1005 (Empty) stands for a close without a code; Fail")],
            InMethod("""
                await ws.CloseOutputAsync(NetStatus.NormalClosure, null, ct);
                handshake.Fail(CloseStatus.ProtocolError);
                """));

    // RFC 6455 §7.1.7: a failed connection is no normal closure, so the fix of Fail(Empty) must not say 1000.
    [Fact]
    public Task FailWithEmpty_BecomesAFailureCode_NotNormalClosure() =>
        CodeFixAsync(
            InMethod("""
                handshake.Fail({|#0:CloseStatus.Empty|});
                """),
            [Diagnostic("WSCS003").WithLocation(0).WithArguments("1005 (Empty)", "1005 (Empty) stands for a close without a code; Fail")],
            InMethod("""
                handshake.Fail(CloseStatus.ProtocolError);
                """));

    [Fact]
    public Task SystemNet_LongReason_BecomesTheLibrarysCloseWithTruncation() =>
        CodeFixAsync(
            InMethod($$"""
                await ws.CloseAsync(NetStatus.PolicyViolation, {|#0:"{{s_long}}"|}, ct);
                await ws.CloseOutputAsync((NetStatus)4001, {|#1:"{{s_long}}"|}, ct);
                """),
            [Diagnostic("WSCS002").WithLocation(0).WithArguments(130, "CloseAsync"), Diagnostic("WSCS002").WithLocation(1).WithArguments(130, "CloseOutputAsync")],
            InMethod($$"""
                await ws.CloseAsync(CloseStatus.PolicyViolation, "{{s_long}}", CloseReasonTruncation.TruncateWithEllipsis, ct);
                await ws.CloseOutputAsync(((NetStatus)4001).ToCloseStatus(), "{{s_long}}", CloseReasonTruncation.TruncateWithEllipsis, ct);
                """));

    [Fact]
    public Task Library_LongReason_GetsTruncation_ByOverloadOrByItsParameter() =>
        CodeFixAsync(
            InMethod($$"""
                CloseFrame.Write(writer, WebSocketRole.Server, CloseStatus.NormalClosure, {|#0:"{{s_long}}"|});
                ClosePayload.Create(CloseStatus.NormalClosure, {|#1:"{{s_long}}"|});
                ClosePayload.Create(CloseStatus.NormalClosure, {|#2:"{{s_long}}"|}, CloseReasonTruncation.None);
                handshake.WriteClose(buffer, CloseStatus.NormalClosure, {|#3:"{{s_long}}"|}, out _);
                """),
            [Diagnostic("WSCS002").WithLocation(0).WithArguments(130, "Write"), Diagnostic("WSCS002").WithLocation(1).WithArguments(130, "Create"),
             Diagnostic("WSCS002").WithLocation(2).WithArguments(130, "Create"), Diagnostic("WSCS002").WithLocation(3).WithArguments(130, "WriteClose")],
            InMethod($$"""
                CloseFrame.Write(writer, WebSocketRole.Server, CloseStatus.NormalClosure, "{{s_long}}", truncation: CloseReasonTruncation.TruncateWithEllipsis);
                ClosePayload.Create(CloseStatus.NormalClosure, "{{s_long}}", truncation: CloseReasonTruncation.TruncateWithEllipsis);
                ClosePayload.Create(CloseStatus.NormalClosure, "{{s_long}}", CloseReasonTruncation.TruncateWithEllipsis);
                handshake.WriteClose(buffer, CloseStatus.NormalClosure, "{{s_long}}", out _, truncation: CloseReasonTruncation.TruncateWithEllipsis);
                """));

    [Fact]
    public Task CloseAsyncWithoutTimeout_BecomesCloseGracefullyAsync() =>
        CodeFixAsync(
            InMethod("""
                await {|#0:ws.CloseAsync(NetStatus.NormalClosure, "bye", CancellationToken.None)|};
                await {|#1:client.CloseAsync(NetStatus.EndpointUnavailable, null, default)|}.ConfigureAwait(false);
                await {|#2:ws.CloseAsync(CloseStatus.ServiceRestart, reason, CancellationToken.None)|};
                """),
            [Diagnostic("WSCS005").WithLocation(0).WithArguments("CloseAsync"), Diagnostic("WSCS005").WithLocation(1).WithArguments("CloseAsync"),
             Diagnostic("WSCS005").WithLocation(2).WithArguments("CloseAsync")],
            InMethod("""
                await ws.CloseGracefullyAsync(CloseStatus.NormalClosure, "bye", TimeSpan.FromSeconds(5), CancellationToken.None);
                await client.CloseGracefullyAsync(CloseStatus.EndpointUnavailable, null, TimeSpan.FromSeconds(5), default).ConfigureAwait(false);
                await ws.CloseGracefullyAsync(CloseStatus.ServiceRestart, reason, TimeSpan.FromSeconds(5), CancellationToken.None);
                """));

    [Fact]
    public Task WithoutTheLibrarysNamespace_TheFixCallsTheExtensionStatically()
    {
        const string Before = """
            using System.Net.WebSockets;
            using System.Threading;
            using System.Threading.Tasks;

            class C
            {
                async Task M(WebSocket ws)
                {
                    await {|#0:ws.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None)|};
                }
            }
            """;
        const string After = """
            using System.Net.WebSockets;
            using System.Threading;
            using System.Threading.Tasks;

            class C
            {
                async Task M(WebSocket ws)
                {
                    await WebSockets.CloseStatus.WebSocketExtensions.CloseGracefullyAsync(ws, WebSockets.CloseStatus.WebSocketCloseStatus.NormalClosure, "bye", System.TimeSpan.FromSeconds(5), CancellationToken.None);
                }
            }
            """;
        return CodeFixAsync(Before, [Diagnostic("WSCS005").WithLocation(0).WithArguments("CloseAsync")], After);
    }
}
