using System.Net.WebSockets;
using System.Runtime.CompilerServices;

namespace WebSockets.CloseStatus.Internal;

/// <summary>The close each System.Net socket was given through this library, which System.Net itself does not remember: its status and who had started closing.</summary>
internal static class SentCloses
{
    // Weak keys: an entry lives exactly as long as its socket, and nothing has to be removed.
    private static readonly ConditionalWeakTable<WebSocket, Entry> s_sent = new();

    // The first close wins: System.Net sends one close frame per socket, and a later call only fails.
    public static void Record(WebSocket webSocket, WebSocketCloseStatus status, CloseInitiator initiator) =>
        s_sent.GetValue(webSocket, _ => new Entry(status, initiator));

    public static Entry? Find(WebSocket webSocket) => s_sent.TryGetValue(webSocket, out Entry? entry) ? entry : null;

    public sealed class Entry(WebSocketCloseStatus status, CloseInitiator initiator)
    {
        public WebSocketCloseStatus Status { get; } = status;

        public CloseInitiator Initiator { get; } = initiator;
    }
}
