using System.Threading.Tasks;
using Xunit;
using static WebSockets.CloseStatus.Analyzers.Tests.Sources;
using static WebSockets.CloseStatus.Analyzers.Tests.Verify;

namespace WebSockets.CloseStatus.Analyzers.Tests;

/// <summary>WSCS001, WSCS003 and WSCS004: a constant status that must not be sent (RFC 6455 §7.4.1, §7.4.2).</summary>
public sealed class CloseStatusRuleTests
{
    [Fact]
    public Task SystemNet_Empty_IsReported_ItGoesOnTheWireAs1005() =>
        AnalyzerAsync(
            InMethod("await ws.CloseOutputAsync({|#0:NetStatus.Empty|}, null, ct);"),
            Diagnostic("WSCS001").WithLocation(0).WithArguments("1005 (Empty)", "1005 (Empty) stands for a close without a code, and CloseOutputAsync puts it on the wire as it is"));

    // The closer's CloseAsync sends the code as the extensions do (RFC 6455 §7.4.1), and its timeout bounds it whatever the token.
    [Fact]
    public Task Closer_UnsendableStatus_AndLongReason_AreReported_ItsTokenIsNot() =>
        AnalyzerAsync(
            InMethod($$"""
                await closer.CloseAsync({|#0:CloseStatus.Empty|}, null, ct);
                await closer.CloseAsync(CloseStatus.NormalClosure, {|#1:"{{new string('a', 130)}}"|}, ct);
                await closer.CloseAsync(CloseStatus.ServiceRestart, "restarting", CancellationToken.None);
                """),
            Diagnostic("WSCS003").WithLocation(0).WithArguments("1005 (Empty)", "1005 (Empty) stands for a close without a code; CloseAsync"),
            Diagnostic("WSCS002").WithLocation(1).WithArguments(130, "CloseAsync"));

    [Fact]
    public Task SystemNet_ThroughAnOverride_AndAConst_AreReported() =>
        AnalyzerAsync(
            InMethod("await client.CloseAsync({|#0:Gone|}, null, ct);", "const NetStatus Gone = NetStatus.Empty;"),
            Diagnostic("WSCS001").WithLocation(0).WithArguments("1005", "1005 (Empty) stands for a close without a code, and CloseAsync puts it on the wire as it is"));

    [Fact]
    public Task SystemNet_SendableOrUnknown_IsNotReported() =>
        AnalyzerAsync(InMethod("""
            await ws.CloseOutputAsync(NetStatus.NormalClosure, null, ct);
            await ws.CloseOutputAsync(NetStatus.ProtocolError, "x", ct);
            await ws.CloseOutputAsync((NetStatus)1000, null, ct);
            await ws.CloseOutputAsync((NetStatus)1003, null, ct);
            await ws.CloseOutputAsync((NetStatus)1007, null, ct);
            await ws.CloseOutputAsync((NetStatus)1014, null, ct);
            await ws.CloseOutputAsync((NetStatus)3000, null, ct);
            await ws.CloseOutputAsync((NetStatus)4999, null, ct);
            await ws.CloseOutputAsync(netStatus, null, ct);
            await ws.CloseOutputAsync(netStatus == NetStatus.Empty ? NetStatus.NormalClosure : netStatus, null, ct);
            """));

    [Theory]
    [InlineData(999, "0–999 are not used")]
    [InlineData(1004, "1004 is reserved with no meaning")]
    [InlineData(1006, "1006 (AbnormalClosure) is reported locally when a connection drops")]
    [InlineData(1015, "1015 (TlsHandshakeFailure) is reported locally when TLS fails")]
    [InlineData(1016, "1016–2999 are reserved for future standards, and none is registered")]
    [InlineData(2999, "1016–2999 are reserved for future standards, and none is registered")]
    [InlineData(5000, "codes above 4999 are outside the close code ranges")]
    public Task Cast_OfAnUnsendableInteger_IsWSCS004_AtTheCast(int code, string why) =>
        AnalyzerAsync(
            InMethod($"await ws.CloseOutputAsync({{|#0:(NetStatus){code}|}}, null, ct);"),
            Diagnostic("WSCS004").WithLocation(0).WithArguments(code, "WebSocketCloseStatus", $"must not be sent in a close frame, and CloseOutputAsync sends it: {why}"));

    [Fact]
    public Task Cast_OutsideSixteenBits_IsReportedWherever()
    {
        string body = """
            var a = {|#0:(NetStatus)70000|};
            var b = {|#1:(NetStatus)(-1)|};
            var c = unchecked({|#2:(CloseStatus)65536|});
            var d = (NetStatus)65535;
            var e = (CloseStatus)1006;
            """;
        const string Outside = "is outside 0–65535, so it is no close code";
        return AnalyzerAsync(
            InMethod(body),
            Diagnostic("WSCS004").WithLocation(0).WithArguments(70000, "WebSocketCloseStatus", Outside),
            Diagnostic("WSCS004").WithLocation(1).WithArguments(-1, "WebSocketCloseStatus", Outside),
            Diagnostic("WSCS004").WithLocation(2).WithArguments(65536, "WebSocketCloseStatus", Outside));
    }

    [Fact]
    public Task Library_Writers_Handshake_AndExtensions_Report_WSCS003() =>
        AnalyzerAsync(
            InMethod("""
                ClosePayload.Create({|#0:CloseStatus.AbnormalClosure|});
                ClosePayload.TryWrite(buffer, {|#1:CloseStatus.Reserved|}, "x", out _);
                CloseFrame.Write(writer, WebSocketRole.Server, {|#2:CloseStatus.TlsHandshakeFailure|}, reason, CloseReasonTruncation.None);
                handshake.WriteClose(buffer, {|#3:CloseStatus.AbnormalClosure|}, null, out _);
                handshake.Fail({|#4:CloseStatus.Empty|});
                await ws.CloseAsync({|#5:CloseStatus.Empty|}, null, ct);
                await ws.CloseGracefullyAsync({|#6:CloseStatus.Empty|}, null, TimeSpan.FromSeconds(1), ct);
                """),
            Diagnostic("WSCS003").WithLocation(0).WithArguments("1006 (AbnormalClosure)", "1006 (AbnormalClosure) is reported locally when a connection drops; Create"),
            Diagnostic("WSCS003").WithLocation(1).WithArguments("1004 (Reserved)", "1004 is reserved with no meaning; TryWrite"),
            Diagnostic("WSCS003").WithLocation(2).WithArguments("1015 (TlsHandshakeFailure)", "1015 (TlsHandshakeFailure) is reported locally when TLS fails; Write"),
            Diagnostic("WSCS003").WithLocation(3).WithArguments("1006 (AbnormalClosure)", "1006 (AbnormalClosure) is reported locally when a connection drops; WriteClose"),
            Diagnostic("WSCS003").WithLocation(4).WithArguments("1005 (Empty)", "1005 (Empty) stands for a close without a code; Fail"),
            Diagnostic("WSCS003").WithLocation(5).WithArguments("1005 (Empty)", "1005 (Empty) stands for a close without a code; CloseAsync"),
            Diagnostic("WSCS003").WithLocation(6).WithArguments("1005 (Empty)", "1005 (Empty) stands for a close without a code; CloseGracefullyAsync"));

    [Fact]
    public Task Library_Empty_IsAnEmptyPayload_OnlyAKnownReasonMakesItAMistake() =>
        AnalyzerAsync(
            InMethod("""
                ClosePayload.Create(CloseStatus.Empty);
                ClosePayload.Create(CloseStatus.Empty, (string)null);
                ClosePayload.Create(CloseStatus.Empty, "");
                ClosePayload.Create(CloseStatus.Empty, reason);
                handshake.WriteClose(buffer, CloseStatus.Empty, null, out _);
                ClosePayload.TryWrite(buffer, {|#0:CloseStatus.Empty|}, "bye", out _);
                ClosePayload.TryWriteUtf8(buffer, {|#1:CloseStatus.Empty|}, "bye"u8, out _);
                """),
            Diagnostic("WSCS003").WithLocation(0).WithArguments("1005 (Empty)", "1005 (Empty) is written as an empty payload, which cannot carry a reason; TryWrite"),
            Diagnostic("WSCS003").WithLocation(1).WithArguments("1005 (Empty)", "1005 (Empty) is written as an empty payload, which cannot carry a reason; TryWriteUtf8"));

    [Fact]
    public Task Library_SendableOrUnknown_IsNotReported() =>
        AnalyzerAsync(InMethod("""
            ClosePayload.Create(CloseStatus.NormalClosure, "bye");
            ClosePayload.Create((CloseStatus)4001);
            ClosePayload.Create(status);
            handshake.Fail(CloseStatus.MessageTooBig);
            handshake.WriteClose(buffer, out _);
            await ws.CloseGracefullyAsync(status, reason, TimeSpan.FromSeconds(1), ct);
            ClosePayload.GetByteCount(CloseStatus.TryAgainLater, "later");
            """));

    [Fact]
    public Task UnrelatedCode_NothingIsReported() =>
        AnalyzerAsync("""
            class D
            {
                int M() => (int)(object)70000;
            }
            """);
}
