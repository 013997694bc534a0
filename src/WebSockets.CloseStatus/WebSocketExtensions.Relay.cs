using System.Net.WebSockets;
using System.Threading;
using System.Threading.Tasks;
using WebSockets.CloseStatus.Internal;

namespace WebSockets.CloseStatus;

public static partial class WebSocketExtensions
{
    /// <summary>Sends on <paramref name="destination"/> the close that relays how the other side of a proxy ended (<see cref="CloseRelay"/>'s mapping of its close code and reason), through the socket's <see cref="WebSocketCloser"/> if it has one.</summary>
    /// <param name="destination">The proxy's socket to the side that has not closed yet.</param>
    /// <param name="source">How the other side ended, such as <see cref="WebSocketCloser.Completion"/>'s result.</param>
    /// <param name="cancellationToken">The token to cancel the send with; as in System.Net, cancelling it aborts <paramref name="destination"/>.</param>
    /// <returns>
    /// The task of <see cref="WebSocket.CloseOutputAsync"/>; when <paramref name="destination"/> has a <see cref="WebSocketCloser"/>, its
    /// <see cref="WebSocketCloser.CloseAsync"/>, which completes when the connection has ended, within the closer's timeout; a completed task when
    /// <paramref name="destination"/> has sent its close already or has ended, as there is nothing to relay to.
    /// </returns>
    /// <remarks>
    /// A code valid on the wire goes on with its reason (cut to 123 bytes without splitting a character); 1006 becomes 1001, 1015 becomes 1008, any
    /// other code 1002, each with the proxy's reason. System.Net cannot send a close without a code (it puts 1005 on the wire, which RFC 6455
    /// §7.4.1 forbids), so 1005 goes on as 1000 with no reason: <see cref="ReconnectPolicy"/> treats the two alike, and System.Net reports both as 1000.
    /// </remarks>
    /// <exception cref="System.ArgumentNullException"><paramref name="destination"/> or <paramref name="source"/> is <see langword="null"/>.</exception>
    public static Task RelayCloseAsync(this WebSocket destination, WebSocketCloseResult source, CancellationToken cancellationToken)
    {
        if (destination is null)
        {
            ThrowHelper.ThrowArgumentNull(nameof(destination));
        }

        if (source is null)
        {
            ThrowHelper.ThrowArgumentNull(nameof(source));
        }

        return RelayClose(destination, source.CloseStatus, source.CloseStatusDescription, cancellationToken);
    }

    /// <summary>Sends on <paramref name="destination"/> the close that relays how <paramref name="source"/>, the other side of a proxy, ended, without waiting for the reply.</summary>
    /// <param name="destination">The proxy's socket to the side that has not closed yet.</param>
    /// <param name="source">The proxy's socket to the side that closed: a Close message arrived on it, or it ended (1006 then, as <see cref="GetCloseStatus"/> says).</param>
    /// <param name="cancellationToken">The token to cancel the send with; as in System.Net, cancelling it aborts <paramref name="destination"/>.</param>
    /// <returns>As for <see cref="RelayCloseAsync(WebSocket, WebSocketCloseResult, CancellationToken)"/>: the send, or the close through <paramref name="destination"/>'s closer.</returns>
    /// <remarks>The mapping of <see cref="RelayCloseAsync(WebSocket, WebSocketCloseResult, CancellationToken)"/>, from <paramref name="source"/>'s close status and description.</remarks>
    /// <exception cref="System.ArgumentNullException"><paramref name="destination"/> or <paramref name="source"/> is <see langword="null"/>.</exception>
    /// <exception cref="System.ArgumentException"><paramref name="source"/> has neither received a close nor ended, so there is no close to relay.</exception>
    public static Task RelayCloseAsync(this WebSocket destination, WebSocket source, CancellationToken cancellationToken)
    {
        if (destination is null)
        {
            ThrowHelper.ThrowArgumentNull(nameof(destination));
        }

        if (source is null)
        {
            ThrowHelper.ThrowArgumentNull(nameof(source));
        }

        WebSocketCloseStatus? status = GetCloseStatus(source);
        if (!status.HasValue)
        {
            RelayThrowHelper.ThrowSourceOpen(source.State.ToString(), nameof(source));
        }

        return RelayClose(destination, status.GetValueOrDefault(), source.CloseStatusDescription, cancellationToken);
    }

    private static Task RelayClose(WebSocket destination, WebSocketCloseStatus received, string? description, CancellationToken cancellationToken)
    {
        if (destination.State is not (WebSocketState.Open or WebSocketState.CloseReceived))
        {
            return Task.CompletedTask;
        }

        WebSocketCloseStatus status = CloseRelay.GetStatus(received);
        string? reason = null;
        if (status == WebSocketCloseStatus.Empty)
        {
            status = WebSocketCloseStatus.NormalClosure;
        }
        else
        {
            reason = CloseRelay.GetReason(received, description);
        }

        // A socket with a closer (its receive loop reads through it) closes through it, as CloseGracefullyAsync does: a
        // send beside it would leave the closer blind to its own close, without a timeout, result or count of its own.
        return WebSocketCloser.Find(destination) is { } closer
            ? closer.CloseAsync(status, reason, cancellationToken)
            : destination.CloseOutputAsync(status.ToSystemNet(), reason, cancellationToken);
    }
}
