// The README's System.Net examples, verbatim (see ReadmeSamples.cs); their own file because it imports both enums' namespaces.
using System;
using System.Net.WebSockets;
using System.Threading;
using System.Threading.Tasks;
using WebSockets.CloseStatus;
using CloseStatus = WebSockets.CloseStatus.WebSocketCloseStatus;

namespace ReadmeSamples;

public static class SystemNetSamples
{
    public static async Task<WebSocketCloseResult> CloseAsync(WebSocket socket, CancellationToken ct)
    {
        // Sends our close, discards data until the peer's close, and aborts if it has not come within 5 seconds.
        WebSocketCloseResult result = await socket.CloseGracefullyAsync(CloseStatus.ServiceRestart, "restarting", TimeSpan.FromSeconds(5), ct);
        Console.WriteLine(result);   // with a peer that echoes: 1012 Service Restart "restarting", clean, started by Local, sent 1012
        return result;
    }

    // A receive loop gets the same result however the connection ends: the closer is its one reader.
    public static async Task<WebSocketCloseResult> ReceiveLoopAsync(WebSocket socket, Action<ArraySegment<byte>> onMessage, CancellationToken ct)
    {
        var closer = new WebSocketCloser(socket);
        byte[] buffer = new byte[4096];
        while (true)
        {
            WebSocketReceiveResult received = await closer.ReceiveAsync(buffer, ct);
            if (received.MessageType == WebSocketMessageType.Close)
            {
                // The peer closed first (the closer replied with its code), or the connection ended: dropped TCP, 1006, not clean, and why.
                return await closer.Completion;
            }

            onMessage(new ArraySegment<byte>(buffer, 0, received.Count));
        }
    }

    public static async Task<WebSocketCloseResult> CloseStreamAsync(WebSocket socket, byte[] data, CancellationToken ct)
    {
        // .NET 10's WebSocketStream closes with 1000 and no reason when disposed: close it with yours first.
        await using var stream = WebSocketStream.Create(socket, WebSocketMessageType.Binary, ownsWebSocket: true);
        await stream.WriteAsync(data, ct);
        return await stream.WebSocket.CloseGracefullyAsync(CloseStatus.NormalClosure, "sent it all", TimeSpan.FromSeconds(5), ct);
    }

    public static (CloseStatus? Received, CloseStatus? CloseCode) Statuses(WebSocketReceiveResult result, WebSocket socket)
    {
        CloseStatus? received = result.CloseStatus.ToCloseStatus();   // nullable in, nullable out; lossless
        CloseStatus? closeCode = socket.GetCloseStatus();              // null until a close frame arrives; 1006 if it ended without one
        return (received, closeCode);
    }
}
