using System;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using WebSockets.CloseStatus.Internal;

namespace WebSockets.CloseStatus;

public sealed partial class CloseHandshake
{
    /// <summary>Writes the close frame that is due: the reply to the peer's close, echoing its status (RFC 6455 §5.5.1), or, after a failure, the close with <see cref="FailureStatus"/> and the reason given to <see cref="Fail"/> (§7.1.7).</summary>
    /// <param name="destination">The buffer that receives the frame, masked with a fresh random key for a client; <see cref="CloseFrame.MaxLength"/> bytes always suffice.</param>
    /// <param name="bytesWritten">When this method returns, the number of bytes written to <paramref name="destination"/>: send them.</param>
    /// <returns>
    /// What to do once they are sent: <see cref="CloseHandshakeAction.CloseTransport"/> for a server, or after a failure (§7.1.1, §7.1.7);
    /// <see cref="CloseHandshakeAction.AwaitTransportClose"/> for a client, which waits for the server to close TCP (§7.1.1).
    /// </returns>
    /// <remarks>
    /// A peer's close without a status (<see cref="WebSocketCloseStatus.Empty"/>) is answered with an empty payload, and so is a code that only
    /// <see cref="ClosePayloadReadMode.Lenient"/> accepts (1004, 1016–2999): §5.5.1 makes echoing the code customary, not required, and such a code
    /// is reserved for a future revision or extension (§7.4.1, §7.4.2) that this endpoint does not implement, so it does not send it as its own;
    /// 1000 would claim a normal closure the peer did not report. The echo carries no reason; to give one, or another status, call an overload
    /// that takes a status.
    /// </remarks>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is too small for the frame.</exception>
    /// <exception cref="InvalidOperationException">No close frame is due: the action is not <see cref="CloseHandshakeAction.SendClose"/>.</exception>
    public CloseHandshakeAction WriteClose(Span<byte> destination, out int bytesWritten)
    {
        if (Action != CloseHandshakeAction.SendClose)
        {
            ThrowIfCannotSend(nameof(WriteClose));
            ThrowHelper.ThrowHandshakeMisuse(nameof(WriteClose), "no close frame is due, so there is no status to write; pass one to start the closing handshake");
        }

        if (Has(Flags.Failed))
        {
            return WriteClose(destination, _failureStatus, _failureReason.AsSpan(), out bytesWritten);
        }

        // A code accepted only leniently is not sent back: the echo is then a close without a status.
        return WriteClose(destination, _receivedStatus.IsValidOnWire() ? _receivedStatus : WebSocketCloseStatus.Empty, ReadOnlySpan<char>.Empty, out bytesWritten);
    }

    /// <summary>Writes this endpoint's close frame with <paramref name="status"/> and <paramref name="reason"/>: it starts the closing handshake (§7.1.2), or replies to the peer's close, or closes a failed connection, with the stack's choice of status.</summary>
    /// <param name="destination">The buffer that receives the frame, masked with a fresh random key for a client; <see cref="CloseFrame.MaxLength"/> bytes always suffice.</param>
    /// <param name="status">The status to send; must be valid on the wire, or <see cref="WebSocketCloseStatus.Empty"/> with no reason for a close without a status.</param>
    /// <param name="reason">The closing reason; at most <see cref="ClosePayload.MaxReasonLength"/> bytes once UTF-8 encoded, unless <paramref name="truncation"/> cuts it. <see langword="null"/> is no reason.</param>
    /// <param name="bytesWritten">When this method returns, the number of bytes written to <paramref name="destination"/>: send them. No data frame may follow them (§5.5.1).</param>
    /// <param name="truncation">What to do with a reason over <see cref="ClosePayload.MaxReasonLength"/> bytes in UTF-8: by default, throw.</param>
    /// <returns>
    /// What to do once they are sent: <see cref="CloseHandshakeAction.AwaitClose"/> when this close starts the handshake (keep reading until the
    /// peer's close, with a timer); after the peer's close, <see cref="CloseHandshakeAction.CloseTransport"/> for a server and
    /// <see cref="CloseHandshakeAction.AwaitTransportClose"/> for a client (§7.1.1); after a failure, <see cref="CloseHandshakeAction.CloseTransport"/>.
    /// </returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="status"/> must not be sent in a close frame, or is <see cref="WebSocketCloseStatus.Empty"/> with a reason, or <paramref name="truncation"/> is not a defined value.</exception>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is too small, or <paramref name="reason"/> is too long or has a lone surrogate; the message gives the numbers.</exception>
    /// <exception cref="InvalidOperationException">This endpoint's close frame was sent already, or the transport is closed.</exception>
    [SuppressMessage("ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters", Justification = "The 2.0 overload set (issue #39): one optional trailing truncation; the overloads differ in the reason's type, so no call is ambiguous.")]
    public CloseHandshakeAction WriteClose(Span<byte> destination, WebSocketCloseStatus status, string? reason, out int bytesWritten, CloseReasonTruncation truncation = CloseReasonTruncation.None) =>
        WriteClose(destination, status, reason.AsSpan(), out bytesWritten, truncation);

    /// <inheritdoc cref="WriteClose(Span{byte}, WebSocketCloseStatus, string?, out int, CloseReasonTruncation)"/>
    [SuppressMessage("ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters", Justification = "The 2.0 overload set (issue #39): one optional trailing truncation; the overloads differ in the reason's type, so no call is ambiguous.")]
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal CloseHandshakeAction WriteClose(Span<byte> destination, WebSocketCloseStatus status, ReadOnlySpan<char> reason, out int bytesWritten, CloseReasonTruncation truncation = CloseReasonTruncation.None)
    {
        ThrowIfCannotSend(nameof(WriteClose));
        bool fits = truncation != CloseReasonTruncation.None
            ? CloseFrame.TryWrite(destination, Role, status, reason, out bytesWritten, truncation)
            // A constant role per call lets each inlined writer drop the other role's header and mask code.
            : Role == WebSocketRole.Server
                ? CloseFrame.TryWrite(destination, WebSocketRole.Server, status, reason, out bytesWritten)
                : CloseFrame.TryWrite(destination, WebSocketRole.Client, status, reason, out bytesWritten);
        return Sent(fits, status, destination.Length);
    }

    /// <summary>Writes this endpoint's close frame with <paramref name="status"/> and a reason that is already UTF-8; see <see cref="WriteClose(Span{byte}, WebSocketCloseStatus, string?, out int, CloseReasonTruncation)"/>.</summary>
    /// <param name="destination">The buffer that receives the frame, masked with a fresh random key for a client; <see cref="CloseFrame.MaxLength"/> bytes always suffice.</param>
    /// <param name="status">The status to send; must be valid on the wire, or <see cref="WebSocketCloseStatus.Empty"/> with no reason for a close without a status.</param>
    /// <param name="utf8Reason">The closing reason as well-formed UTF-8; at most <see cref="ClosePayload.MaxReasonLength"/> bytes, unless <paramref name="truncation"/> cuts it.</param>
    /// <param name="bytesWritten">When this method returns, the number of bytes written to <paramref name="destination"/>: send them. No data frame may follow them (§5.5.1).</param>
    /// <param name="truncation">What to do with a reason over <see cref="ClosePayload.MaxReasonLength"/> bytes: by default, throw.</param>
    /// <returns>What to do once they are sent, as <see cref="WriteClose(Span{byte}, WebSocketCloseStatus, string?, out int, CloseReasonTruncation)"/> returns it.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="status"/> must not be sent in a close frame, or is <see cref="WebSocketCloseStatus.Empty"/> with a reason, or <paramref name="truncation"/> is not a defined value.</exception>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is too small, or <paramref name="utf8Reason"/> is too long or is not well-formed UTF-8; the message gives the numbers.</exception>
    /// <exception cref="InvalidOperationException">This endpoint's close frame was sent already, or the transport is closed.</exception>
    public CloseHandshakeAction WriteCloseUtf8(Span<byte> destination, WebSocketCloseStatus status, ReadOnlySpan<byte> utf8Reason, out int bytesWritten, CloseReasonTruncation truncation = CloseReasonTruncation.None)
    {
        ThrowIfCannotSend(nameof(WriteCloseUtf8));
        bool fits = CloseFrame.TryWriteUtf8(destination, Role, status, utf8Reason, out bytesWritten, truncation);
        return Sent(fits, status, destination.Length);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private CloseHandshakeAction Sent(bool fits, WebSocketCloseStatus status, int destinationLength)
    {
        if (!fits)
        {
            ThrowHelper.ThrowDestinationTooSmall(destinationLength, "destination");
        }

        _sentStatus = status;
        Set(Flags.Sent, CloseInitiator.Local);
        return Action;
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
