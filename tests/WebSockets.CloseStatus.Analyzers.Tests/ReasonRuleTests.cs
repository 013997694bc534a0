using System.Linq;
using System.Threading.Tasks;
using Xunit;
using static WebSockets.CloseStatus.Analyzers.Tests.Sources;
using static WebSockets.CloseStatus.Analyzers.Tests.Verify;

namespace WebSockets.CloseStatus.Analyzers.Tests;

/// <summary>WSCS002: a constant reason over 123 bytes in UTF-8 (RFC 6455 §5.5: a control frame's payload is at most 125 bytes).</summary>
public sealed class ReasonRuleTests
{
    private static readonly string s_long = new('a', 130);

    public static TheoryData<string, int> Reasons() => new()
    {
        { new string('a', 123), 123 },
        { new string('a', 124), 124 },
        { string.Concat(Enumerable.Repeat("ё", 61)), 122 },   // 2-byte Cyrillic
        { string.Concat(Enumerable.Repeat("ё", 62)), 124 },
        { string.Concat(Enumerable.Repeat("中", 41)), 123 },  // 3-byte CJK
        { string.Concat(Enumerable.Repeat("中", 42)), 126 },
        { string.Concat(Enumerable.Repeat("😀", 30)), 120 }, // 4-byte emoji, a surrogate pair each
        { string.Concat(Enumerable.Repeat("😀", 31)), 124 },
    };

    [Theory]
    [MemberData(nameof(Reasons))]
    public Task SystemNet_ReportedFrom124Bytes_CountedInUtf8(string text, int bytes) =>
        bytes > 123
            ? AnalyzerAsync(
                InMethod($$"""await ws.CloseOutputAsync(NetStatus.NormalClosure, {|#0:"{{text}}"|}, ct);"""),
                Diagnostic("WSCS002").WithLocation(0).WithArguments(bytes, "CloseOutputAsync"))
            : AnalyzerAsync(InMethod($$"""await ws.CloseOutputAsync(NetStatus.NormalClosure, "{{text}}", ct);"""));

    [Theory]
    [MemberData(nameof(Reasons))]
    public Task Library_ReportedFrom124Bytes_UnlessTruncationIsAsked(string text, int bytes) =>
        bytes > 123
            ? AnalyzerAsync(
                InMethod($$"""
                    ClosePayload.TryWrite(buffer, CloseStatus.NormalClosure, {|#0:"{{text}}"|}, out _);
                    ClosePayload.TryWriteUtf8(buffer, CloseStatus.NormalClosure, {|#1:"{{text}}"u8|}, out _);
                    ClosePayload.Create(CloseStatus.NormalClosure, {|#2:"{{text}}"|}, CloseReasonTruncation.None);
                    ClosePayload.TryWrite(buffer, CloseStatus.NormalClosure, "{{text}}", out _, CloseReasonTruncation.Truncate);
                    ClosePayload.Create(CloseStatus.NormalClosure, "{{text}}", CloseReasonTruncation.TruncateWithEllipsis);
                    await ws.CloseAsync(CloseStatus.NormalClosure, "{{text}}", CloseReasonTruncation.Truncate, ct);
                    """),
                Diagnostic("WSCS002").WithLocation(0).WithArguments(bytes, "TryWrite"),
                Diagnostic("WSCS002").WithLocation(1).WithArguments(bytes, "TryWriteUtf8"),
                Diagnostic("WSCS002").WithLocation(2).WithArguments(bytes, "Create"))
            : AnalyzerAsync(InMethod($$"""ClosePayload.TryWrite(buffer, CloseStatus.NormalClosure, "{{text}}", out _);"""));

    // CloseGracefullyAsync truncates through its options: known not to only where they are created on the spot without one.
    [Fact]
    public Task Options_AskForTruncation_UnlessCreatedHereWithoutOne() =>
        AnalyzerAsync(
            InMethod($$"""
                var options = new WebSocketCloseOptions();
                await ws.CloseGracefullyAsync(CloseStatus.NormalClosure, "{{s_long}}", options, ct);
                await ws.CloseGracefullyAsync(CloseStatus.NormalClosure, "{{s_long}}", new WebSocketCloseOptions { Truncation = CloseReasonTruncation.Truncate }, ct);
                await ws.CloseGracefullyAsync(CloseStatus.NormalClosure, {|#0:"{{s_long}}"|}, new WebSocketCloseOptions { Timeout = TimeSpan.FromSeconds(1) }, ct);
                await ws.CloseGracefullyAsync(CloseStatus.NormalClosure, {|#1:"{{s_long}}"|}, new WebSocketCloseOptions { Truncation = CloseReasonTruncation.None }, ct);
                """),
            Diagnostic("WSCS002").WithLocation(0).WithArguments(130, "CloseGracefullyAsync"),
            Diagnostic("WSCS002").WithLocation(1).WithArguments(130, "CloseGracefullyAsync"));

    [Fact]
    public Task Constants_TheCompilerFolds_AreJudged_OthersAreNot() =>
        AnalyzerAsync(
            InMethod(
                """
                await ws.CloseOutputAsync(NetStatus.NormalClosure, {|#0:Long|}, ct);
                await ws.CloseOutputAsync(NetStatus.NormalClosure, {|#1:$"{Long}!"|}, ct);
                await ws.CloseOutputAsync(NetStatus.NormalClosure, {|#2:Long + nameof(ReasonRuleTests)|}, ct);
                await ws.CloseOutputAsync(NetStatus.NormalClosure, reason, ct);
                await ws.CloseOutputAsync(NetStatus.NormalClosure, reason + Long, ct);
                await ws.CloseOutputAsync(NetStatus.NormalClosure, $"{reason}", ct);
                await ws.CloseOutputAsync(NetStatus.NormalClosure, null, ct);
                """,
                $"const string Long = \"{new string('x', 120)}\" + \"1234\"; class ReasonRuleTests {{ }}"),
            Diagnostic("WSCS002").WithLocation(0).WithArguments(124, "CloseOutputAsync"),
            Diagnostic("WSCS002").WithLocation(1).WithArguments(125, "CloseOutputAsync"),
            Diagnostic("WSCS002").WithLocation(2).WithArguments(139, "CloseOutputAsync"));
}
