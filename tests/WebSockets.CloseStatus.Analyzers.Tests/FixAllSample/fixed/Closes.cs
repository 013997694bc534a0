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
        await ws.CloseOutputAsync(NetStatus.NormalClosure, null, ct);                                 // WSCS001
        await ws.CloseOutputAsync(CloseStatus.NormalClosure, Long, CloseReasonTruncation.TruncateWithEllipsis, ct);                                 // WSCS001, WSCS002
        await ws.CloseGracefullyAsync(CloseStatus.NormalClosure, Long, new WebSocketCloseOptions { Timeout = TimeSpan.FromSeconds(5), Truncation = CloseReasonTruncation.TruncateWithEllipsis }, CancellationToken.None);           // WSCS002, WSCS005
        await ws.CloseGracefullyAsync(CloseStatus.NormalClosure, Long, new WebSocketCloseOptions { Timeout = TimeSpan.FromSeconds(5), Truncation = CloseReasonTruncation.TruncateWithEllipsis }, default);                                  // WSCS001, WSCS002, WSCS005
        await ws.CloseGracefullyAsync(CloseStatus.EndpointUnavailable, "bye", TimeSpan.FromSeconds(5), CancellationToken.None);    // WSCS005
    }

    public static async Task LibraryAsync(WebSocket ws, CloseHandshake handshake, CancellationToken ct)
    {
        handshake.Fail(CloseStatus.ProtocolError);                                                    // WSCS003
        byte[] payload = ClosePayload.Create(CloseStatus.NormalClosure, "bye");                       // WSCS003
        byte[] truncated = ClosePayload.Create(CloseStatus.NormalClosure, Long, truncation: CloseReasonTruncation.TruncateWithEllipsis);              // WSCS002
        await ws.CloseAsync(CloseStatus.NormalClosure, Long, CloseReasonTruncation.TruncateWithEllipsis, ct);                                     // WSCS002, WSCS003
        await ws.CloseGracefullyAsync(CloseStatus.ServiceRestart, Long, new WebSocketCloseOptions { Timeout = TimeSpan.FromSeconds(5), Truncation = CloseReasonTruncation.TruncateWithEllipsis }, CancellationToken.None);        // WSCS002, WSCS005
        await ws.CloseGracefullyAsync(CloseStatus.NormalClosure, Long, new WebSocketCloseOptions { Timeout = TimeSpan.FromSeconds(2), Truncation = CloseReasonTruncation.TruncateWithEllipsis }, ct);  // WSCS002, WSCS003
        GC.KeepAlive(payload);
        GC.KeepAlive(truncated);
    }
}
