// The analyzer README's example, verbatim (see ReadmeSamples.cs): System.Net's own enum, as the code it describes uses.
// The test suite is built without the analyzer, so the mistake it shows compiles here.
using System.Net.WebSockets;
using System.Threading;
using System.Threading.Tasks;

namespace ReadmeSamples;

public static class AnalyzerSamples
{
    public static async Task CloseAsync(WebSocket socket, CancellationToken ct)
    {
        await socket.CloseOutputAsync(WebSocketCloseStatus.Empty, null, ct);          // WSCS001: 1005 goes on the wire
        await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, ct);  // the fix
    }
}
