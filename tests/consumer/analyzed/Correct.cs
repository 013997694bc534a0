// Correct close code: the analyzer in the package must report nothing here (tests/consumer/run.sh).
using System;
using System.Net.WebSockets;
using System.Threading;
using System.Threading.Tasks;
using WebSockets.CloseStatus;
using CloseStatus = WebSockets.CloseStatus.WebSocketCloseStatus;

public static class Correct
{
    private const string Reason = "Closing for upkeep: ошибка сервера, 服务器错误 😀";

    public static async Task<WebSocketCloseResult> CloseAsync(WebSocket socket, CloseHandshake handshake, byte[] buffer, string userReason, CloseStatus status, CancellationToken ct)
    {
        await socket.CloseOutputAsync(System.Net.WebSockets.WebSocketCloseStatus.NormalClosure, Reason, ct);
        await socket.CloseOutputAsync(status.ToSystemNet(), userReason, ct);
        await socket.CloseAsync(CloseStatus.ServiceRestart, userReason + Reason, CloseReasonTruncation.TruncateWithEllipsis, ct);
        ClosePayload.Create(CloseStatus.Empty);
        ClosePayload.Create((CloseStatus)4001, Reason);
        handshake.WriteClose(buffer, CloseStatus.Empty, null, out _);
        handshake.Fail(CloseStatus.MessageTooBig, "too big");
        await socket.CloseAsync(System.Net.WebSockets.WebSocketCloseStatus.NormalClosure, "bye", ct);
        return await socket.CloseGracefullyAsync(CloseStatus.NormalClosure, "bye", TimeSpan.FromSeconds(5), CancellationToken.None);
    }
}
