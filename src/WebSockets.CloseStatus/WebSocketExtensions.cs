using System;
using System.Net.WebSockets;
using System.Threading;
using System.Threading.Tasks;
using WebSockets.CloseStatus.Internal;

namespace WebSockets.CloseStatus;

/// <summary>Closes a <see cref="WebSocket"/> of System.Net (<c>ClientWebSocket</c>, ASP.NET Core's) with this library's statuses, and reads its close status as RFC 6455 defines it.</summary>
public static partial class WebSocketExtensions
{
    /// <summary>Starts the closing handshake and waits for it to finish: <see cref="WebSocket.CloseAsync"/> with this library's status.</summary>
    /// <param name="webSocket">The socket to close.</param>
    /// <param name="closeStatus">The status to send; must be valid on the wire (1000–1003, 1007–1014, 3000–4999).</param>
    /// <param name="statusDescription">The closing reason, or <see langword="null"/> for none; at most <see cref="ClosePayload.MaxReasonLength"/> bytes in UTF-8.</param>
    /// <param name="cancellationToken">The token to cancel the close with.</param>
    /// <returns>The task of <see cref="WebSocket.CloseAsync"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="webSocket"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="closeStatus"/> must not be sent in a close frame; this includes 1005 (Empty), which System.Net would send as a code.</exception>
    /// <exception cref="ArgumentException"><paramref name="statusDescription"/> has a lone surrogate or is over <see cref="ClosePayload.MaxReasonLength"/> bytes in UTF-8.</exception>
    public static Task CloseAsync(this WebSocket webSocket, WebSocketCloseStatus closeStatus, string? statusDescription, CancellationToken cancellationToken) =>
        CloseAsync(webSocket, closeStatus, statusDescription, CloseReasonTruncation.None, cancellationToken);

    /// <summary>Starts the closing handshake and waits for it to finish, truncating an over-long reason if <paramref name="truncation"/> asks for it.</summary>
    /// <param name="webSocket">The socket to close.</param>
    /// <param name="closeStatus">The status to send; must be valid on the wire (1000–1003, 1007–1014, 3000–4999).</param>
    /// <param name="statusDescription">The closing reason, or <see langword="null"/> for none.</param>
    /// <param name="truncation">What to do with a reason over <see cref="ClosePayload.MaxReasonLength"/> bytes in UTF-8: the cut of <see cref="ClosePayload.TruncateReason(string, CloseReasonTruncation)"/>.</param>
    /// <param name="cancellationToken">The token to cancel the close with.</param>
    /// <returns>The task of <see cref="WebSocket.CloseAsync"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="webSocket"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="closeStatus"/> must not be sent in a close frame (this includes 1005, Empty, which System.Net would send as a code), or <paramref name="truncation"/> is not a defined value.</exception>
    /// <exception cref="ArgumentException"><paramref name="statusDescription"/> has a lone surrogate in the part sent, or is too long and <paramref name="truncation"/> is <see cref="CloseReasonTruncation.None"/>.</exception>
    public static Task CloseAsync(this WebSocket webSocket, WebSocketCloseStatus closeStatus, string? statusDescription, CloseReasonTruncation truncation, CancellationToken cancellationToken)
    {
        ThrowIfNull(webSocket);
        string? reason = PrepareClose(closeStatus, statusDescription, truncation);
        return webSocket.CloseAsync(closeStatus.ToSystemNet(), reason, cancellationToken);
    }

    /// <summary>Sends a close frame without waiting for the peer's: <see cref="WebSocket.CloseOutputAsync"/> with this library's status.</summary>
    /// <param name="webSocket">The socket to close.</param>
    /// <param name="closeStatus">The status to send; must be valid on the wire (1000–1003, 1007–1014, 3000–4999).</param>
    /// <param name="statusDescription">The closing reason, or <see langword="null"/> for none; at most <see cref="ClosePayload.MaxReasonLength"/> bytes in UTF-8.</param>
    /// <param name="cancellationToken">The token to cancel the send with.</param>
    /// <returns>The task of <see cref="WebSocket.CloseOutputAsync"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="webSocket"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="closeStatus"/> must not be sent in a close frame; this includes 1005 (Empty), which System.Net would send as a code.</exception>
    /// <exception cref="ArgumentException"><paramref name="statusDescription"/> has a lone surrogate or is over <see cref="ClosePayload.MaxReasonLength"/> bytes in UTF-8.</exception>
    public static Task CloseOutputAsync(this WebSocket webSocket, WebSocketCloseStatus closeStatus, string? statusDescription, CancellationToken cancellationToken) =>
        CloseOutputAsync(webSocket, closeStatus, statusDescription, CloseReasonTruncation.None, cancellationToken);

    /// <summary>Sends a close frame without waiting for the peer's, truncating an over-long reason if <paramref name="truncation"/> asks for it.</summary>
    /// <param name="webSocket">The socket to close.</param>
    /// <param name="closeStatus">The status to send; must be valid on the wire (1000–1003, 1007–1014, 3000–4999).</param>
    /// <param name="statusDescription">The closing reason, or <see langword="null"/> for none.</param>
    /// <param name="truncation">What to do with a reason over <see cref="ClosePayload.MaxReasonLength"/> bytes in UTF-8: the cut of <see cref="ClosePayload.TruncateReason(string, CloseReasonTruncation)"/>.</param>
    /// <param name="cancellationToken">The token to cancel the send with.</param>
    /// <returns>The task of <see cref="WebSocket.CloseOutputAsync"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="webSocket"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="closeStatus"/> must not be sent in a close frame (this includes 1005, Empty, which System.Net would send as a code), or <paramref name="truncation"/> is not a defined value.</exception>
    /// <exception cref="ArgumentException"><paramref name="statusDescription"/> has a lone surrogate in the part sent, or is too long and <paramref name="truncation"/> is <see cref="CloseReasonTruncation.None"/>.</exception>
    public static Task CloseOutputAsync(this WebSocket webSocket, WebSocketCloseStatus closeStatus, string? statusDescription, CloseReasonTruncation truncation, CancellationToken cancellationToken)
    {
        ThrowIfNull(webSocket);
        string? reason = PrepareClose(closeStatus, statusDescription, truncation);
        return webSocket.CloseOutputAsync(closeStatus.ToSystemNet(), reason, cancellationToken);
    }

    /// <summary>Gets the connection's close code as RFC 6455 §7.1.5 defines it, as far as System.Net lets it be known.</summary>
    /// <param name="webSocket">The socket to ask.</param>
    /// <returns>
    /// The status of the close frame received, once one has arrived; <see cref="WebSocketCloseStatus.AbnormalClosure"/> (1006)
    /// when the socket ended (<see cref="WebSocketState.Aborted"/>, or <see cref="WebSocketState.Closed"/>) without receiving one;
    /// otherwise <see langword="null"/>: no close frame has arrived yet.
    /// </returns>
    /// <remarks>
    /// System.Net hides one case: it reports a close frame without a status code as 1000 (NormalClosure), where RFC 6455
    /// §7.1.5 says 1005 (Empty). Read close frames with <see cref="CloseFrame"/> to tell them apart.
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="webSocket"/> is <see langword="null"/>.</exception>
    public static WebSocketCloseStatus? GetCloseStatus(this WebSocket webSocket)
    {
        if (webSocket is null)
        {
            ThrowHelper.ThrowArgumentNull(nameof(webSocket));
        }

        WebSocketCloseStatus? received = webSocket.CloseStatus.ToCloseStatus();
        if (received.HasValue)
        {
            return received;
        }

        return webSocket.State is WebSocketState.Aborted or WebSocketState.Closed ? WebSocketCloseStatus.AbnormalClosure : null;
    }

    // Checks what System.Net does not (sendable codes, lone surrogates) and cuts the reason if asked, before any I/O.
    internal static string? PrepareClose(WebSocketCloseStatus closeStatus, string? statusDescription, CloseReasonTruncation truncation)
    {
        if (closeStatus == WebSocketCloseStatus.Empty)
        {
            ThrowHelper.ThrowSystemNetEmpty(nameof(closeStatus));
        }

        if (!closeStatus.IsValidOnWire())
        {
            ThrowHelper.ThrowUnsendableStatus(closeStatus, nameof(closeStatus));
        }

        return statusDescription is null ? null : ClosePayload.TruncateReason(statusDescription, truncation, nameof(statusDescription));
    }

    private static void ThrowIfNull(WebSocket webSocket)
    {
        if (webSocket is null)
        {
            ThrowHelper.ThrowArgumentNull(nameof(webSocket));
        }
    }
}
