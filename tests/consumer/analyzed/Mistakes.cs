// Close mistakes the analyzer in the package must report: each line names the rule it expects (tests/consumer/run.sh).
using System;
using System.Net.WebSockets;
using System.Threading;
using System.Threading.Tasks;
using WebSockets.CloseStatus;
using CloseStatus = WebSockets.CloseStatus.WebSocketCloseStatus;

public static class Mistakes
{
    private const string LongReason = "This reason was written by someone who did not count the bytes of a close frame, which hold 123 at the most.";

    public static async Task CloseAsync(WebSocket socket, CloseHandshake handshake, byte[] buffer, CancellationToken ct)
    {
        await socket.CloseOutputAsync(System.Net.WebSockets.WebSocketCloseStatus.Empty, null, ct);                 // expect WSCS001
        await socket.CloseOutputAsync(System.Net.WebSockets.WebSocketCloseStatus.NormalClosure, LongReason + " And it goes on and on.", ct);  // expect WSCS002: 131 bytes
        ClosePayload.Create(CloseStatus.AbnormalClosure);                                                         // expect WSCS003
        handshake.Fail(CloseStatus.Empty);                                                                          // expect WSCS003
        await socket.CloseOutputAsync((System.Net.WebSockets.WebSocketCloseStatus)1016, null, ct);                // expect WSCS004
        var notACode = (System.Net.WebSockets.WebSocketCloseStatus)70000;                                          // expect WSCS004
        await socket.CloseAsync(System.Net.WebSockets.WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None);  // expect WSCS005
        GC.KeepAlive(notACode);
        GC.KeepAlive(buffer);
    }
}
