using System.Net.WebSockets;
using System.Threading;
using System.Threading.Tasks;

namespace FixAllSample;

// A second document, without this library's namespace: its fixes name the library in full.
public static class Other
{
    public static async Task CloseAsync(WebSocket ws, CancellationToken ct)
    {
        await ws.CloseOutputAsync(WebSocketCloseStatus.Empty, "done", ct);                    // WSCS001
        await ws.CloseAsync(WebSocketCloseStatus.NormalClosure, Closes.Long, default);       // WSCS002, WSCS005
    }
}
