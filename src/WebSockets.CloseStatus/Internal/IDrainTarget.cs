using System.Threading;
using System.Threading.Tasks;

namespace WebSockets.CloseStatus.Internal;

// What a WebSocketDrain tracks: a System.Net connection's closer, or a custom stack's handshake registration.
internal interface IDrainTarget
{
    // The drain that tracks this connection, if any; set once, under the drain's lock.
    WebSocketDrain? Drain { get; set; }

    // Whether the connection has ended, though perhaps unseen (read under the drain's lock, to prune the set).
    bool HasEnded { get; }

    // Completes when the connection ends, by the drain's close or by itself.
    Task Ended { get; }

    // Closes the connection with the drain's code, bounded by deadline, and says how it ended.
    Task<WebSocketCloseResult> CloseAsync(WebSocketCloseStatus closeStatus, string? statusDescription, CancellationToken cancellationToken);
}
