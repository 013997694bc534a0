using System;
using WebSockets.CloseStatus.Internal;

namespace WebSockets.CloseStatus;

/// <summary>Maps the close one side of a proxied connection ended with to the close the proxy sends on the other side.</summary>
/// <remarks>
/// <list type="bullet">
/// <item>A code valid on the wire (1000–1003, 1007–1014, 3000–4999) goes on with its reason.</item>
/// <item>1005 (<see cref="WebSocketCloseStatus.Empty"/>, a close without a code) goes on as a close without a code: an empty payload.</item>
/// <item>1006 (<see cref="WebSocketCloseStatus.AbnormalClosure"/>: the side ended without a close frame) becomes 1001
/// (<see cref="WebSocketCloseStatus.EndpointUnavailable"/>, Going Away), reason "1006 Abnormal Closure on the other side": the other
/// side did go away, and <see cref="ReconnectPolicy"/> advises the same back-off for 1001 as for 1006.</item>
/// <item>1015 (<see cref="WebSocketCloseStatus.TlsHandshakeFailure"/>) becomes 1008 (<see cref="WebSocketCloseStatus.PolicyViolation"/>),
/// reason "1015 TLS handshake failure on the other side": a certificate that cannot be verified is refused by policy, and
/// <see cref="ReconnectPolicy"/> stops for 1008 as for 1015.</item>
/// <item>Any other code, or a malformed payload (1 byte, over 125, a reason that is not UTF-8), becomes 1002
/// (<see cref="WebSocketCloseStatus.ProtocolError"/>), reason "malformed close on the other side".</item>
/// </list>
/// Peer input never throws; the reasons a proxy makes up are ASCII.
/// </remarks>
public static class CloseRelay
{
    /// <summary>Gets the status to send on the other side of a proxy for the close one side ended with.</summary>
    /// <param name="status">The connection close code one side ended with (RFC 6455 §7.1.5): its close frame's code, 1005 without one, 1006 without a close frame; any 16-bit value.</param>
    /// <returns><paramref name="status"/> itself if it is valid on the wire or <see cref="WebSocketCloseStatus.Empty"/> (send a close without a code); 1001 for 1006; 1008 for 1015; otherwise 1002.</returns>
    public static WebSocketCloseStatus GetStatus(WebSocketCloseStatus status) => status switch
    {
        _ when status.IsValidOnWire() => status,
        WebSocketCloseStatus.Empty => WebSocketCloseStatus.Empty,
        WebSocketCloseStatus.AbnormalClosure => WebSocketCloseStatus.EndpointUnavailable,
        WebSocketCloseStatus.TlsHandshakeFailure => WebSocketCloseStatus.PolicyViolation,
        _ => WebSocketCloseStatus.ProtocolError,
    };

    /// <summary>Gets the reason to send on the other side of a proxy with <see cref="GetStatus"/>'s status.</summary>
    /// <param name="status">The connection close code one side ended with; any 16-bit value.</param>
    /// <param name="reason">That side's reason, or <see langword="null"/>; any string.</param>
    /// <returns>
    /// For a code valid on the wire, <paramref name="reason"/> (<see cref="string.Empty"/> for <see langword="null"/>), cut before a lone surrogate
    /// and, if over <see cref="ClosePayload.MaxReasonLength"/> bytes in UTF-8, cut to 120 bytes and "…" without splitting a character
    /// (<see cref="CloseReasonTruncation.TruncateWithEllipsis"/>); <see cref="string.Empty"/> for 1005; the proxy's own ASCII reason for every code it replaces.
    /// </returns>
    public static string GetReason(WebSocketCloseStatus status, string? reason)
    {
        if (!status.IsValidOnWire())
        {
            return GetOwnReason(status);
        }

        if (reason is null)
        {
            return string.Empty;
        }

        int loneSurrogate = Utf16Transcoding.Measure(reason.AsSpan(), long.MaxValue, out _, out _);
        string kept = loneSurrogate < 0 ? reason : reason.Substring(0, loneSurrogate);
        return ClosePayload.TruncateReason(kept, CloseReasonTruncation.TruncateWithEllipsis);
    }

    /// <summary>Writes the close payload to send on the other side of a proxy for a close payload one side sent.</summary>
    /// <param name="source">The payload of the close frame one side sent, unmasked; untrusted bytes are fine.</param>
    /// <param name="destination">The buffer that receives the payload; <see cref="ClosePayload.MaxLength"/> bytes always suffice.</param>
    /// <param name="bytesWritten">When this method returns, the number of bytes written to <paramref name="destination"/>: 0 for a close without a code, and on failure.</param>
    /// <returns><see langword="true"/> if the payload fit in <paramref name="destination"/>; otherwise, <see langword="false"/>.</returns>
    /// <remarks>A well-formed payload is copied as it is (an empty one stays empty); a malformed one (RFC 6455 §5.5.1, §7.4, §8.1) becomes 1002 with the proxy's reason. Never throws.</remarks>
    public static bool TryWritePayload(ReadOnlySpan<byte> source, Span<byte> destination, out int bytesWritten)
    {
        if (ClosePayload.ReadCore(source, lenient: false, out _, out _) == CloseFrameError.None)
        {
            return Copy(source, destination, out bytesWritten);
        }

        return ClosePayload.TryWriteUtf8(destination, WebSocketCloseStatus.ProtocolError, Malformed, out bytesWritten);
    }

    /// <summary>Writes the close frame to send on the other side of a proxy for a close payload one side sent: unmasked as a server sends it to the client, masked with a fresh random key as a client sends it to the backend.</summary>
    /// <param name="source">The payload of the close frame one side sent, unmasked; untrusted bytes are fine.</param>
    /// <param name="destination">The buffer that receives the frame; <see cref="CloseFrame.MaxLength"/> bytes always suffice.</param>
    /// <param name="role">The proxy's role on the side the frame goes to: <see cref="WebSocketRole.Server"/> toward the client, <see cref="WebSocketRole.Client"/> toward the backend.</param>
    /// <param name="bytesWritten">When this method returns, the number of bytes written to <paramref name="destination"/>; 0 on failure.</param>
    /// <returns><see langword="true"/> if the frame fit in <paramref name="destination"/>; otherwise, <see langword="false"/>.</returns>
    /// <remarks>The payload is the one <see cref="TryWritePayload"/> writes. Never throws for any <paramref name="source"/>.</remarks>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="role"/> is not a defined value.</exception>
    public static bool TryWriteFrame(ReadOnlySpan<byte> source, Span<byte> destination, WebSocketRole role, out int bytesWritten)
    {
        CloseFrameError error = ClosePayload.ReadCore(source, lenient: false, out WebSocketCloseStatus status, out ReadOnlySpan<byte> utf8Reason);
        return error == CloseFrameError.None
            ? CloseFrame.TryWriteUtf8(destination, role, status, utf8Reason, out bytesWritten)
            : CloseFrame.TryWriteUtf8(destination, role, WebSocketCloseStatus.ProtocolError, Malformed, out bytesWritten);
    }

    /// <summary>Writes the close frame to send on the other side of a proxy for the close code and reason one side ended with, such as a <see cref="WebSocketCloseResult"/>'s.</summary>
    /// <param name="destination">The buffer that receives the frame; <see cref="CloseFrame.MaxLength"/> bytes always suffice.</param>
    /// <param name="role">The proxy's role on the side the frame goes to: <see cref="WebSocketRole.Server"/> toward the client (unmasked), <see cref="WebSocketRole.Client"/> toward the backend (masked with a fresh random key).</param>
    /// <param name="status">The connection close code one side ended with; any 16-bit value.</param>
    /// <param name="reason">That side's reason, or <see langword="null"/>; any string.</param>
    /// <param name="bytesWritten">When this method returns, the number of bytes written to <paramref name="destination"/>; 0 on failure.</param>
    /// <returns><see langword="true"/> if the frame fit in <paramref name="destination"/>; otherwise, <see langword="false"/>.</returns>
    /// <remarks>The frame carries <see cref="GetStatus"/> and <see cref="GetReason"/>. Never throws for any <paramref name="status"/> or <paramref name="reason"/>.</remarks>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="role"/> is not a defined value.</exception>
    public static bool TryWriteFrame(Span<byte> destination, WebSocketRole role, WebSocketCloseStatus status, string? reason, out int bytesWritten) =>
        CloseFrame.TryWrite(destination, role, GetStatus(status), GetReason(status, reason), out bytesWritten);

    /// <summary>The proxy's reason for a code it replaces.</summary>
    internal static string GetOwnReason(WebSocketCloseStatus status) => status switch
    {
        WebSocketCloseStatus.Empty => string.Empty,
        WebSocketCloseStatus.AbnormalClosure => "1006 Abnormal Closure on the other side",
        WebSocketCloseStatus.TlsHandshakeFailure => "1015 TLS handshake failure on the other side",
        _ => "malformed close on the other side",
    };

    /// <summary>The reason of the 1002 that replaces a malformed close, as UTF-8.</summary>
    internal static ReadOnlySpan<byte> Malformed => "malformed close on the other side"u8;

    private static bool Copy(ReadOnlySpan<byte> source, Span<byte> destination, out int bytesWritten)
    {
        if (source.TryCopyTo(destination))
        {
            bytesWritten = source.Length;
            return true;
        }

        bytesWritten = 0;
        return false;
    }
}
