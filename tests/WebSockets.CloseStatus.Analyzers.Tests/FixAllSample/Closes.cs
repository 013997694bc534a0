using System;
using System.Net.WebSockets;
using System.Threading;
using System.Threading.Tasks;
using WebSockets.CloseStatus;
using CloseStatus = WebSockets.CloseStatus.WebSocketCloseStatus;
using NetStatus = System.Net.WebSockets.WebSocketCloseStatus;

namespace FixAllSample;

// Close mistakes of every rule, several on one call: one `dotnet format analyzers` run fixes all that have a fix.
public static class Closes
{
    public const NetStatus NotACode = (NetStatus)70000;                                        // WSCS004, which has no fix

    public const string Long = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";

    public static async Task SystemNetAsync(WebSocket ws, CancellationToken ct)
    {
        await ws.CloseOutputAsync(NetStatus.Empty, null, ct);                                 // WSCS001
        await ws.CloseOutputAsync(NetStatus.Empty, Long, ct);                                 // WSCS001, WSCS002
        await ws.CloseAsync(NetStatus.NormalClosure, Long, CancellationToken.None);           // WSCS002, WSCS005
        await ws.CloseAsync(NetStatus.Empty, Long, default);                                  // WSCS001, WSCS002, WSCS005
        await ws.CloseAsync(NetStatus.EndpointUnavailable, "bye", CancellationToken.None);    // WSCS005
    }

    public static async Task LibraryAsync(WebSocket ws, CloseHandshake handshake, CancellationToken ct)
    {
        handshake.Fail(CloseStatus.Empty);                                                    // WSCS003
        byte[] payload = ClosePayload.Create(CloseStatus.Empty, "bye");                       // WSCS003
        byte[] truncated = ClosePayload.Create(CloseStatus.NormalClosure, Long);              // WSCS002
        await ws.CloseAsync(CloseStatus.Empty, Long, ct);                                     // WSCS002, WSCS003
        await ws.CloseAsync(CloseStatus.ServiceRestart, Long, CancellationToken.None);        // WSCS002, WSCS005
        await ws.CloseGracefullyAsync(CloseStatus.Empty, Long, TimeSpan.FromSeconds(2), ct);  // WSCS002, WSCS003
        GC.KeepAlive(payload);
        GC.KeepAlive(truncated);
    }
}
