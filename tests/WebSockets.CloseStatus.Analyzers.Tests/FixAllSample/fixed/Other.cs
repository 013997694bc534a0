using System.Net.WebSockets;
using System.Threading;
using System.Threading.Tasks;

namespace FixAllSample;

// A second document, without this library's namespace: its fixes name the library in full.
public static class Other
{
    public static async Task CloseAsync(WebSocket ws, CancellationToken ct)
    {
        await ws.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "done", ct);                    // WSCS001
        await WebSockets.CloseStatus.WebSocketExtensions.CloseGracefullyAsync(ws, WebSockets.CloseStatus.WebSocketCloseStatus.NormalClosure, Closes.Long, new WebSockets.CloseStatus.WebSocketCloseOptions { Timeout = System.TimeSpan.FromSeconds(5), Truncation = WebSockets.CloseStatus.CloseReasonTruncation.TruncateWithEllipsis }, default);       // WSCS002, WSCS005
    }
}
