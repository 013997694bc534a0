using System;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Threading;
using System.Threading.Tasks;

namespace WebSockets.CloseStatus.Tests.TestData;

/// <summary>Real connections on 127.0.0.1 for the System.Net close tests: .NET's <see cref="ClientWebSocket"/> to Kestrel or to a <see cref="RawPeer"/>.</summary>
public static class Connections
{
    /// <summary>What should happen soon is awaited this long at most; it bounds a broken test, it measures nothing.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    public static async Task<ClientWebSocket> ConnectAsync(Uri uri, Action<ClientWebSocketOptions>? configure = null)
    {
        var client = new ClientWebSocket();
        client.Options.KeepAliveInterval = TimeSpan.Zero;
        configure?.Invoke(client.Options);
        using var timer = new CancellationTokenSource(Patience);
        await client.ConnectAsync(uri, timer.Token);
        return client;
    }

    /// <summary>A <see cref="ClientWebSocket"/> connected to a <see cref="RawPeer"/> acting as the server.</summary>
    public static async Task<RawPair> ToRawPeerAsync(Action<ClientWebSocketOptions>? configure = null)
    {
        using TcpListener listener = RawPeer.Listen();
        Task<RawPeer> accept = RawPeer.AcceptAsync(listener, CancellationToken.None);
        ClientWebSocket client = await ConnectAsync(RawPeer.UriOf(listener), configure);
        return new RawPair(client, await accept);
    }

    /// <summary>Receives until a close frame arrives, discarding data.</summary>
    public static async Task<WebSocketReceiveResult> ReceiveCloseAsync(WebSocket webSocket)
    {
        byte[] buffer = new byte[256];
        using var timer = new CancellationTokenSource(Patience);
        while (true)
        {
            WebSocketReceiveResult result = await webSocket.ReceiveAsync(buffer, timer.Token);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return result;
            }
        }
    }

    public static async Task<T> Within<T>(Task<T> task) => await task.WaitAsync(Patience);
}
