using System;
using System.Runtime.CompilerServices;
using WebSockets.CloseStatus.Internal;

namespace WebSockets.CloseStatus;

public sealed partial class CloseHandshake
{
    /// <summary>Writes the close frame that is due: the reply to the peer's close, echoing its status (RFC 6455 §5.5.1), or, after a failure, a close with <see cref="FailureStatus"/> (§7.1.7).</summary>
    /// <param name="destination">The buffer that receives the frame, masked with a fresh random key for a client; <see cref="CloseFrame.MaxLength"/> bytes always suffice.</param>
    /// <returns>The number of bytes written to <paramref name="destination"/>: send them, then do what <see cref="Action"/> says.</returns>
    /// <remarks>
    /// A peer's close without a status (<see cref="WebSocketCloseStatus.Empty"/>) is answered with an empty payload, and so is a code that only
    /// <see cref="ClosePayloadReadMode.Lenient"/> accepts (1004, 1016–2999): §5.5.1 makes echoing the code customary, not required, and such a code
    /// is reserved for a future revision or extension (§7.4.1, §7.4.2) that this endpoint does not implement, so it does not send it as its own;
    /// 1000 would claim a normal closure the peer did not report. The reply carries no reason; to give one, or another status, call an overload
    /// that takes a status.
    /// </remarks>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is too small for the frame.</exception>
    /// <exception cref="InvalidOperationException">No close frame is due: <see cref="Action"/> is not <see cref="CloseHandshakeAction.SendClose"/>.</exception>
    public int WriteClose(Span<byte> destination)
    {
        if (Action != CloseHandshakeAction.SendClose)
        {
            ThrowIfCannotSend(nameof(WriteClose));
            ThrowHelper.ThrowHandshakeMisuse(nameof(WriteClose), "no close frame is due, so there is no status to write; pass one to start the closing handshake");
        }

        // A code accepted only leniently is not sent back: the echo is then a close without a status.
        return WriteClose(destination, Has(Flags.Failed) ? _failureStatus : _receivedStatus.IsValidOnWire() ? _receivedStatus : WebSocketCloseStatus.Empty);
    }

    /// <summary>Writes this endpoint's close frame with <paramref name="status"/> and no reason: it starts the closing handshake (§7.1.2), or replies to the peer's close, or closes a failed connection, with the stack's choice of status.</summary>
    /// <param name="destination">The buffer that receives the frame, masked with a fresh random key for a client; <see cref="CloseFrame.MaxLength"/> bytes always suffice.</param>
    /// <param name="status">The status to send; must be valid on the wire, or <see cref="WebSocketCloseStatus.Empty"/> for a close without a status.</param>
    /// <returns>The number of bytes written to <paramref name="destination"/>: send them, then do what <see cref="Action"/> says. No data frame may follow them (§5.5.1).</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="status"/> must not be sent in a close frame.</exception>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is too small for the frame.</exception>
    /// <exception cref="InvalidOperationException">This endpoint's close frame was sent already, or the transport is closed.</exception>
    public int WriteClose(Span<byte> destination, WebSocketCloseStatus status) =>
        WriteClose(destination, status, ReadOnlySpan<byte>.Empty, CloseReasonTruncation.None);

    /// <summary>Writes this endpoint's close frame with <paramref name="status"/> and <paramref name="reason"/>; see <see cref="WriteClose(Span{byte}, WebSocketCloseStatus)"/>.</summary>
    /// <param name="destination">The buffer that receives the frame, masked with a fresh random key for a client; <see cref="CloseFrame.MaxLength"/> bytes always suffice.</param>
    /// <param name="status">The status to send; must be valid on the wire, or <see cref="WebSocketCloseStatus.Empty"/> with no reason.</param>
    /// <param name="reason">The closing reason; at most <see cref="ClosePayload.MaxReasonLength"/> bytes once UTF-8 encoded. <see langword="null"/> is no reason.</param>
    /// <returns>The number of bytes written to <paramref name="destination"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="status"/> must not be sent in a close frame.</exception>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is too small, or <paramref name="reason"/> cannot be written, as <see cref="CloseFrame.TryWrite(Span{byte}, WebSocketRole, WebSocketCloseStatus, ReadOnlySpan{char}, out int, CloseReasonTruncation)"/> explains.</exception>
    /// <exception cref="InvalidOperationException">This endpoint's close frame was sent already, or the transport is closed.</exception>
    public int WriteClose(Span<byte> destination, WebSocketCloseStatus status, string? reason) =>
        WriteClose(destination, status, reason.AsSpan());

    /// <summary>Writes this endpoint's close frame with <paramref name="status"/> and <paramref name="reason"/>, truncating an over-long reason if <paramref name="truncation"/> asks for it.</summary>
    /// <param name="destination">The buffer that receives the frame, masked with a fresh random key for a client; <see cref="CloseFrame.MaxLength"/> bytes always suffice.</param>
    /// <param name="status">The status to send; must be valid on the wire, or <see cref="WebSocketCloseStatus.Empty"/> with no reason.</param>
    /// <param name="reason">The closing reason. <see langword="null"/> is no reason.</param>
    /// <param name="truncation">What to do with a reason over <see cref="ClosePayload.MaxReasonLength"/> bytes in UTF-8.</param>
    /// <returns>The number of bytes written to <paramref name="destination"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="status"/> must not be sent in a close frame, or <paramref name="truncation"/> is not a defined value.</exception>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is too small, or <paramref name="reason"/> cannot be written, as <see cref="CloseFrame.TryWrite(Span{byte}, WebSocketRole, WebSocketCloseStatus, ReadOnlySpan{char}, out int, CloseReasonTruncation)"/> explains.</exception>
    /// <exception cref="InvalidOperationException">This endpoint's close frame was sent already, or the transport is closed.</exception>
    public int WriteClose(Span<byte> destination, WebSocketCloseStatus status, string? reason, CloseReasonTruncation truncation) =>
        WriteClose(destination, status, reason.AsSpan(), truncation);

    /// <inheritdoc cref="WriteClose(Span{byte}, WebSocketCloseStatus, string?)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int WriteClose(Span<byte> destination, WebSocketCloseStatus status, ReadOnlySpan<char> reason)
    {
        ThrowIfCannotSend(nameof(WriteClose));
        // A constant role per call lets each inlined writer drop the other role's header and mask code.
        int bytesWritten;
        if (!(Role == WebSocketRole.Server
            ? CloseFrame.TryWrite(destination, WebSocketRole.Server, status, reason, out bytesWritten)
            : CloseFrame.TryWrite(destination, WebSocketRole.Client, status, reason, out bytesWritten)))
        {
            ThrowHelper.ThrowDestinationTooSmall(destination.Length, nameof(destination));
        }

        Sent(status);
        return bytesWritten;
    }

    /// <inheritdoc cref="WriteClose(Span{byte}, WebSocketCloseStatus, string?, CloseReasonTruncation)"/>
    public int WriteClose(Span<byte> destination, WebSocketCloseStatus status, ReadOnlySpan<char> reason, CloseReasonTruncation truncation)
    {
        ThrowIfCannotSend(nameof(WriteClose));
        if (!CloseFrame.TryWrite(destination, Role, status, reason, out int bytesWritten, truncation))
        {
            ThrowHelper.ThrowDestinationTooSmall(destination.Length, nameof(destination));
        }

        Sent(status);
        return bytesWritten;
    }

    /// <summary>Writes this endpoint's close frame with <paramref name="status"/> and a UTF-8 reason; see <see cref="WriteClose(Span{byte}, WebSocketCloseStatus)"/>.</summary>
    /// <param name="destination">The buffer that receives the frame, masked with a fresh random key for a client; <see cref="CloseFrame.MaxLength"/> bytes always suffice.</param>
    /// <param name="status">The status to send; must be valid on the wire, or <see cref="WebSocketCloseStatus.Empty"/> with no reason.</param>
    /// <param name="utf8Reason">The closing reason as well-formed UTF-8; at most <see cref="ClosePayload.MaxReasonLength"/> bytes.</param>
    /// <returns>The number of bytes written to <paramref name="destination"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="status"/> must not be sent in a close frame.</exception>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is too small, or <paramref name="utf8Reason"/> cannot be written, as <see cref="CloseFrame.TryWriteUtf8(Span{byte}, WebSocketRole, WebSocketCloseStatus, ReadOnlySpan{byte}, out int, CloseReasonTruncation)"/> explains.</exception>
    /// <exception cref="InvalidOperationException">This endpoint's close frame was sent already, or the transport is closed.</exception>
    public int WriteClose(Span<byte> destination, WebSocketCloseStatus status, ReadOnlySpan<byte> utf8Reason) =>
        WriteClose(destination, status, utf8Reason, CloseReasonTruncation.None);

    /// <summary>Writes this endpoint's close frame with <paramref name="status"/> and a UTF-8 reason, truncating an over-long reason if <paramref name="truncation"/> asks for it.</summary>
    /// <param name="destination">The buffer that receives the frame, masked with a fresh random key for a client; <see cref="CloseFrame.MaxLength"/> bytes always suffice.</param>
    /// <param name="status">The status to send; must be valid on the wire, or <see cref="WebSocketCloseStatus.Empty"/> with no reason.</param>
    /// <param name="utf8Reason">The closing reason as well-formed UTF-8.</param>
    /// <param name="truncation">What to do with a reason over <see cref="ClosePayload.MaxReasonLength"/> bytes.</param>
    /// <returns>The number of bytes written to <paramref name="destination"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="status"/> must not be sent in a close frame, or <paramref name="truncation"/> is not a defined value.</exception>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is too small, or <paramref name="utf8Reason"/> cannot be written, as <see cref="CloseFrame.TryWriteUtf8(Span{byte}, WebSocketRole, WebSocketCloseStatus, ReadOnlySpan{byte}, out int, CloseReasonTruncation)"/> explains.</exception>
    /// <exception cref="InvalidOperationException">This endpoint's close frame was sent already, or the transport is closed.</exception>
    public int WriteClose(Span<byte> destination, WebSocketCloseStatus status, ReadOnlySpan<byte> utf8Reason, CloseReasonTruncation truncation)
    {
        ThrowIfCannotSend(nameof(WriteClose));
        if (!CloseFrame.TryWriteUtf8(destination, Role, status, utf8Reason, out int bytesWritten, truncation))
        {
            ThrowHelper.ThrowDestinationTooSmall(destination.Length, nameof(destination));
        }

        Sent(status);
        return bytesWritten;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Sent(WebSocketCloseStatus status)
    {
        _sentStatus = status;
        Set(Flags.Sent, CloseInitiator.Local);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void ThrowIfCannotSend(string operation)
    {
        // One test on the way that does not throw.
        if (Has(Flags.Sent | Flags.Closed))
        {
            ThrowIfClosed(operation);
            ThrowHelper.ThrowHandshakeMisuse(operation, "this endpoint has sent its close frame already, and sends one only (RFC 6455 §5.5.1)");
        }
    }
}
