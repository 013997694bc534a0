using System.Threading.Tasks;
using Xunit;
using static WebSockets.CloseStatus.Analyzers.Tests.Sources;
using static WebSockets.CloseStatus.Analyzers.Tests.Verify;

namespace WebSockets.CloseStatus.Analyzers.Tests;

/// <summary>
/// The fixes on the 2.0 API's shape, against the library itself: truncation as one optional trailing parameter is added by
/// name after the out parameters, the Utf8-suffixed writers are judged and fixed like the others, and
/// <c>CloseHandshake.Fail</c> with its optional reason still fails with 1002.
/// </summary>
public sealed class Api2ShapeTests
{
    private static readonly string s_long = new('a', 130);

    [Fact]
    public Task WSCS002_TheTrailingTruncation_IsAddedByName_AfterTheOutParameters() =>
        FixAllAsync(
            [
                InMethod($$"""
                    ClosePayload.TryWrite(buffer, CloseStatus.NormalClosure, {|#0:"{{s_long}}"|}, out int written);
                    ClosePayload.TryWriteUtf8(buffer, CloseStatus.NormalClosure, {|#1:"{{s_long}}"u8|}, out _);
                    CloseFrame.TryWriteMaskedUtf8(buffer, 0x1234u, CloseStatus.NormalClosure, {|#2:"{{s_long}}"u8|}, out int masked);
                    CloseFrame.Write(writer, WebSocketRole.Server, CloseStatus.NormalClosure, {|#3:"{{s_long}}"|});
                    CloseFrame.WriteUtf8(writer, WebSocketRole.Client, CloseStatus.NormalClosure, {|#4:"{{s_long}}"u8|});
                    handshake.WriteClose(buffer, CloseStatus.NormalClosure, {|#5:"{{s_long}}"|}, out int n);
                    handshake.WriteCloseUtf8(buffer, CloseStatus.NormalClosure, {|#6:"{{s_long}}"u8|}, out _);
                    ClosePayload.Create(CloseStatus.NormalClosure, {|#7:"{{s_long}}"|});
                    ClosePayload.TryWrite(buffer, CloseStatus.NormalClosure, {|#8:"{{s_long}}"|}, out _, CloseReasonTruncation.None);
                    ClosePayload.TryWrite(bytesWritten: out _, {|#9:reason: "{{s_long}}"|}, status: CloseStatus.NormalClosure, destination: buffer);
                    """),
            ],
            [Diagnostic("WSCS002").WithLocation(0), Diagnostic("WSCS002").WithLocation(1), Diagnostic("WSCS002").WithLocation(2), Diagnostic("WSCS002").WithLocation(3),
             Diagnostic("WSCS002").WithLocation(4), Diagnostic("WSCS002").WithLocation(5), Diagnostic("WSCS002").WithLocation(6), Diagnostic("WSCS002").WithLocation(7),
             Diagnostic("WSCS002").WithLocation(8), Diagnostic("WSCS002").WithLocation(9)],
            [
                InMethod($$"""
                    ClosePayload.TryWrite(buffer, CloseStatus.NormalClosure, "{{s_long}}", out int written, truncation: CloseReasonTruncation.TruncateWithEllipsis);
                    ClosePayload.TryWriteUtf8(buffer, CloseStatus.NormalClosure, "{{s_long}}"u8, out _, truncation: CloseReasonTruncation.TruncateWithEllipsis);
                    CloseFrame.TryWriteMaskedUtf8(buffer, 0x1234u, CloseStatus.NormalClosure, "{{s_long}}"u8, out int masked, truncation: CloseReasonTruncation.TruncateWithEllipsis);
                    CloseFrame.Write(writer, WebSocketRole.Server, CloseStatus.NormalClosure, "{{s_long}}", truncation: CloseReasonTruncation.TruncateWithEllipsis);
                    CloseFrame.WriteUtf8(writer, WebSocketRole.Client, CloseStatus.NormalClosure, "{{s_long}}"u8, truncation: CloseReasonTruncation.TruncateWithEllipsis);
                    handshake.WriteClose(buffer, CloseStatus.NormalClosure, "{{s_long}}", out int n, truncation: CloseReasonTruncation.TruncateWithEllipsis);
                    handshake.WriteCloseUtf8(buffer, CloseStatus.NormalClosure, "{{s_long}}"u8, out _, truncation: CloseReasonTruncation.TruncateWithEllipsis);
                    ClosePayload.Create(CloseStatus.NormalClosure, "{{s_long}}", truncation: CloseReasonTruncation.TruncateWithEllipsis);
                    ClosePayload.TryWrite(buffer, CloseStatus.NormalClosure, "{{s_long}}", out _, CloseReasonTruncation.TruncateWithEllipsis);
                    ClosePayload.TryWrite(bytesWritten: out _, reason: "{{s_long}}", status: CloseStatus.NormalClosure, destination: buffer, truncation: CloseReasonTruncation.TruncateWithEllipsis);
                    """),
            ],
            fixAllIterations: 1,
            documentIterations: 1);

    // The System.Net extensions keep their truncation before the token.
    [Fact]
    public Task WSCS002_TheSystemNetExtensions_TakeTheTruncationBeforeTheToken() =>
        FixAllAsync(
            [
                InMethod($$"""
                    await ws.CloseAsync(CloseStatus.NormalClosure, {|#0:"{{s_long}}"|}, ct);
                    await ws.CloseOutputAsync(NetStatus.NormalClosure, {|#1:"{{s_long}}"|}, ct);
                    await ws.CloseGracefullyAsync(CloseStatus.NormalClosure, {|#2:"{{s_long}}"|}, TimeSpan.FromSeconds(2), ct);
                    """),
            ],
            [Diagnostic("WSCS002").WithLocation(0), Diagnostic("WSCS002").WithLocation(1), Diagnostic("WSCS002").WithLocation(2)],
            [
                InMethod($$"""
                    await ws.CloseAsync(CloseStatus.NormalClosure, "{{s_long}}", CloseReasonTruncation.TruncateWithEllipsis, ct);
                    await ws.CloseOutputAsync(CloseStatus.NormalClosure, "{{s_long}}", CloseReasonTruncation.TruncateWithEllipsis, ct);
                    await ws.CloseGracefullyAsync(CloseStatus.NormalClosure, "{{s_long}}", new WebSocketCloseOptions { Timeout = TimeSpan.FromSeconds(2), Truncation = CloseReasonTruncation.TruncateWithEllipsis }, ct);
                    """),
            ],
            fixAllIterations: 1,
            documentIterations: 1);

    // RFC 6455 §7.1.7: Fail(Empty) becomes a failure code whatever follows the status; the writers' Empty with a reason becomes 1000.
    [Fact]
    public Task WSCS003_FailWithItsReason_StillGets1002_TheUtf8WritersGet1000() =>
        FixAllAsync(
            [
                InMethod("""
                    handshake.Fail({|#0:CloseStatus.Empty|});
                    handshake.Fail({|#1:CloseStatus.Empty|}, "the peer sent garbage");
                    handshake.Fail(reason: "why", {|#2:status: CloseStatus.Empty|});
                    handshake.WriteCloseUtf8(buffer, {|#3:CloseStatus.Empty|}, "bye"u8, out _);
                    ClosePayload.TryWrite(buffer, {|#4:CloseStatus.Empty|}, "bye", out _);
                    CloseFrame.TryWrite(buffer, WebSocketRole.Server, {|#5:CloseStatus.Empty|}, "bye", out _, CloseReasonTruncation.Truncate);
                    handshake.WriteClose(buffer, CloseStatus.Empty, null, out _);
                    """),
            ],
            [Diagnostic("WSCS003").WithLocation(0), Diagnostic("WSCS003").WithLocation(1), Diagnostic("WSCS003").WithLocation(2), Diagnostic("WSCS003").WithLocation(3),
             Diagnostic("WSCS003").WithLocation(4), Diagnostic("WSCS003").WithLocation(5)],
            [
                InMethod("""
                    handshake.Fail(CloseStatus.ProtocolError);
                    handshake.Fail(CloseStatus.ProtocolError, "the peer sent garbage");
                    handshake.Fail(reason: "why", status: CloseStatus.ProtocolError);
                    handshake.WriteCloseUtf8(buffer, CloseStatus.NormalClosure, "bye"u8, out _);
                    ClosePayload.TryWrite(buffer, CloseStatus.NormalClosure, "bye", out _);
                    CloseFrame.TryWrite(buffer, WebSocketRole.Server, CloseStatus.NormalClosure, "bye", out _, CloseReasonTruncation.Truncate);
                    handshake.WriteClose(buffer, CloseStatus.Empty, null, out _);
                    """),
            ],
            fixAllIterations: 1,
            documentIterations: 1);
}
