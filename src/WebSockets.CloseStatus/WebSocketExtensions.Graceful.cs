using System;
using System.Net.WebSockets;
using System.Threading;
using System.Threading.Tasks;
using WebSockets.CloseStatus.Internal;

namespace WebSockets.CloseStatus;

public static partial class WebSocketExtensions
{
    /// <summary>Closes the connection in bounded time and says how it ended: sends our close frame, waits for the peer's (discarding data, or through the socket's <see cref="WebSocketCloser"/> and its loop), ends TCP, and aborts the connection if <paramref name="timeout"/> passes first.</summary>
    /// <param name="webSocket">The socket to close, in any state. If it has a <see cref="WebSocketCloser"/> (its receive loop's), the close goes through that closer, with its timeout and truncation.</param>
    /// <param name="closeStatus">The status to send; must be valid on the wire (1000–1003, 1007–1014, 3000–4999).</param>
    /// <param name="statusDescription">The closing reason, or <see langword="null"/> for none; at most <see cref="ClosePayload.MaxReasonLength"/> bytes in UTF-8.</param>
    /// <param name="timeout">How long the whole close may take; positive and at most <see cref="int.MaxValue"/> milliseconds.</param>
    /// <param name="cancellationToken">Cuts the close short, as <see cref="WebSocketCloser.CloseAsync"/> says.</param>
    /// <returns>How the connection ended: <see cref="WebSocketCloser.CloseAsync"/> of the socket's closer, or of a new one.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="webSocket"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="closeStatus"/> must not be sent in a close frame (this includes 1005, Empty, which System.Net would send as a code), or <paramref name="timeout"/> is not positive or too long.</exception>
    /// <exception cref="ArgumentException"><paramref name="statusDescription"/> has a lone surrogate or is over <see cref="ClosePayload.MaxReasonLength"/> bytes in UTF-8.</exception>
    public static Task<WebSocketCloseResult> CloseGracefullyAsync(this WebSocket webSocket, WebSocketCloseStatus closeStatus, string? statusDescription, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (timeout <= TimeSpan.Zero || timeout.TotalMilliseconds > int.MaxValue)
        {
            ThrowHelper.ThrowCloseTimeout(timeout, nameof(timeout));
        }

        // Caller mistakes throw before a closer is made for the socket, so that a later closer is still its first.
        ThrowIfNull(webSocket);
        _ = PrepareClose(closeStatus, statusDescription, CloseReasonTruncation.None);
        return (WebSocketCloser.Find(webSocket) ?? new WebSocketCloser(webSocket, new WebSocketCloseOptions { Timeout = timeout })).CloseAsync(closeStatus, statusDescription, cancellationToken);
    }

    /// <summary>Closes the connection in bounded time, as <paramref name="options"/> say, and says how it ended.</summary>
    /// <param name="webSocket">The socket to close, in any state. If it has a <see cref="WebSocketCloser"/> (its receive loop's), the close goes through that closer, with its timeout and truncation.</param>
    /// <param name="closeStatus">The status to send; must be valid on the wire (1000–1003, 1007–1014, 3000–4999).</param>
    /// <param name="statusDescription">The closing reason, or <see langword="null"/> for none; cut as <see cref="WebSocketCloseOptions.Truncation"/> says.</param>
    /// <param name="options">The timeout and the truncation.</param>
    /// <param name="cancellationToken">Cuts the close short, as <see cref="WebSocketCloser.CloseAsync"/> says.</param>
    /// <returns>How the connection ended: <see cref="WebSocketCloser.CloseAsync"/> of the socket's closer, or of a new one.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="webSocket"/> or <paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="closeStatus"/> must not be sent in a close frame (this includes 1005, Empty, which System.Net would send as a code).</exception>
    /// <exception cref="ArgumentException"><paramref name="statusDescription"/> has a lone surrogate in the part sent, or is too long and <see cref="WebSocketCloseOptions.Truncation"/> is <see cref="CloseReasonTruncation.None"/>.</exception>
    public static Task<WebSocketCloseResult> CloseGracefullyAsync(this WebSocket webSocket, WebSocketCloseStatus closeStatus, string? statusDescription, WebSocketCloseOptions options, CancellationToken cancellationToken)
    {
        if (options is null)
        {
            ThrowHelper.ThrowArgumentNull(nameof(options));
        }

        ThrowIfNull(webSocket);
        _ = PrepareClose(closeStatus, statusDescription, options.Truncation);
        return (WebSocketCloser.Find(webSocket) ?? new WebSocketCloser(webSocket, options)).CloseAsync(closeStatus, statusDescription, cancellationToken);
    }
}
