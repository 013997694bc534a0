// The README's System.Net example, verbatim (see ReadmeSamples.cs); its own file because it imports both enums' namespaces.
using System;
using System.Net.WebSockets;
using System.Threading;
using System.Threading.Tasks;
using WebSockets.CloseStatus;
using CloseStatus = WebSockets.CloseStatus.WebSocketCloseStatus;

namespace ReadmeSamples;

public static class SystemNetSamples
{
    public static async Task<(CloseStatus? Received, CloseStatus? CloseCode)> CloseAsync(WebSocket socket, ArraySegment<byte> buffer, Exception exception, CancellationToken ct)
    {
        WebSocketReceiveResult result = await socket.ReceiveAsync(buffer, ct);
        CloseStatus? received = result.CloseStatus.ToCloseStatus();        // nullable in, nullable out; lossless

        await socket.CloseAsync(CloseStatus.ServiceRestart, exception.Message, CloseReasonTruncation.TruncateWithEllipsis, ct);

        CloseStatus? closeCode = socket.GetCloseStatus();   // null until a close frame arrives; 1006 if it ended without one
        return (received, closeCode);
    }
}
