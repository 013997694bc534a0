using System;
using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Text;
using WebSockets.CloseStatus.Internal;

namespace WebSockets.CloseStatus;

public static partial class ClosePayload
{
    /// <summary>Reads a close payload, accepting the status codes that are valid on the wire today.</summary>
    /// <param name="source">The payload of the close frame, already unmasked; untrusted bytes are fine.</param>
    /// <param name="status">When this method returns, the status (<see cref="WebSocketCloseStatus.Empty"/> for an empty payload); <see langword="default"/> on error.</param>
    /// <param name="utf8Reason">When this method returns, the UTF-8 reason as a slice of <paramref name="source"/>; empty on error.</param>
    /// <returns><see cref="ClosePayloadError.None"/> if the payload is well formed; otherwise, what is wrong with it.</returns>
    /// <remarks>Never throws and never allocates. The checks run in the order of <see cref="ClosePayloadError"/>: length, status, UTF-8.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ClosePayloadError Read(ReadOnlySpan<byte> source, out WebSocketCloseStatus status, out ReadOnlySpan<byte> utf8Reason) =>
        ReadCore(source, lenient: false, out status, out utf8Reason);

    /// <summary>Reads a close payload, accepting the status codes that <paramref name="mode"/> allows.</summary>
    /// <param name="source">The payload of the close frame, already unmasked; untrusted bytes are fine.</param>
    /// <param name="mode">Which status codes to accept.</param>
    /// <param name="status">When this method returns, the status exactly as received (<see cref="WebSocketCloseStatus.Empty"/> for an empty payload); <see langword="default"/> on error.</param>
    /// <param name="utf8Reason">When this method returns, the UTF-8 reason as a slice of <paramref name="source"/>; empty on error.</param>
    /// <returns><see cref="ClosePayloadError.None"/> if the payload is well formed; otherwise, what is wrong with it.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="mode"/> is not a defined value.</exception>
    public static ClosePayloadError Read(ReadOnlySpan<byte> source, ClosePayloadReadMode mode, out WebSocketCloseStatus status, out ReadOnlySpan<byte> utf8Reason)
    {
        ValidateMode(mode);
        return ReadCore(source, mode == ClosePayloadReadMode.Lenient, out status, out utf8Reason);
    }

    /// <summary>Reads a close payload that may span several segments, accepting the status codes that are valid on the wire today.</summary>
    /// <param name="source">The payload of the close frame, already unmasked; untrusted bytes are fine.</param>
    /// <param name="status">When this method returns, the status (<see cref="WebSocketCloseStatus.Empty"/> for an empty payload); <see langword="default"/> on error.</param>
    /// <param name="utf8Reason">When this method returns, the UTF-8 reason as a slice of <paramref name="source"/>; empty on error.</param>
    /// <returns><see cref="ClosePayloadError.None"/> if the payload is well formed; otherwise, what is wrong with it.</returns>
    public static ClosePayloadError Read(in ReadOnlySequence<byte> source, out WebSocketCloseStatus status, out ReadOnlySequence<byte> utf8Reason) =>
        ReadSequence(source, lenient: false, out status, out utf8Reason);

    /// <summary>Reads a close payload that may span several segments, accepting the status codes that <paramref name="mode"/> allows.</summary>
    /// <param name="source">The payload of the close frame, already unmasked; untrusted bytes are fine.</param>
    /// <param name="mode">Which status codes to accept.</param>
    /// <param name="status">When this method returns, the status exactly as received (<see cref="WebSocketCloseStatus.Empty"/> for an empty payload); <see langword="default"/> on error.</param>
    /// <param name="utf8Reason">When this method returns, the UTF-8 reason as a slice of <paramref name="source"/>; empty on error.</param>
    /// <returns><see cref="ClosePayloadError.None"/> if the payload is well formed; otherwise, what is wrong with it.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="mode"/> is not a defined value.</exception>
    public static ClosePayloadError Read(in ReadOnlySequence<byte> source, ClosePayloadReadMode mode, out WebSocketCloseStatus status, out ReadOnlySequence<byte> utf8Reason)
    {
        ValidateMode(mode);
        return ReadSequence(source, mode == ClosePayloadReadMode.Lenient, out status, out utf8Reason);
    }

    /// <summary>Tries to read a close payload and decodes its reason to a <see cref="string"/>.</summary>
    /// <param name="source">The payload of the close frame, already unmasked; untrusted bytes are fine.</param>
    /// <param name="status">When this method returns, the status (<see cref="WebSocketCloseStatus.Empty"/> for an empty payload); <see langword="default"/> on failure.</param>
    /// <param name="reason">When this method returns, the reason; <see cref="string.Empty"/> when there is none or on failure.</param>
    /// <returns><see langword="true"/> if the payload is well formed; otherwise, <see langword="false"/>.</returns>
    /// <remarks>Allocates the reason string when it is not empty. <see cref="Read(ReadOnlySpan{byte}, out WebSocketCloseStatus, out ReadOnlySpan{byte})"/> reads without allocating and says what is wrong.</remarks>
    public static bool TryRead(ReadOnlySpan<byte> source, out WebSocketCloseStatus status, out string reason)
    {
        if (ReadCore(source, lenient: false, out status, out ReadOnlySpan<byte> utf8Reason) != ClosePayloadError.None)
        {
            reason = string.Empty;
            return false;
        }

        reason = DecodeValidUtf8(utf8Reason);
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static ClosePayloadError ReadCore(ReadOnlySpan<byte> source, bool lenient, out WebSocketCloseStatus status, out ReadOnlySpan<byte> utf8Reason)
    {
        status = default;
        utf8Reason = default;
        if (source.Length < StatusLength)
        {
            // §7.1.5: a close frame without a status is reported as 1005; a lone byte is malformed (§5.5.1).
            if (source.IsEmpty)
            {
                status = WebSocketCloseStatus.Empty;
                return ClosePayloadError.None;
            }

            return ClosePayloadError.TooShort;
        }

        if (source.Length > MaxLength)
        {
            return ClosePayloadError.TooLong;
        }

        var code = (WebSocketCloseStatus)BinaryPrimitives.ReadUInt16BigEndian(source);
        ReadOnlySpan<byte> reason = source.Slice(StatusLength);
        ClosePayloadError error = CheckStatusAndReason(code, reason, lenient);
        if (error != ClosePayloadError.None)
        {
            return error;
        }

        status = code;
        utf8Reason = reason;
        return ClosePayloadError.None;
    }

    /// <summary>The checks after the length, in their order: the status, then the reason's UTF-8; shared with the frame readers, which unmask the two apart.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static ClosePayloadError CheckStatusAndReason(WebSocketCloseStatus code, ReadOnlySpan<byte> reason, bool lenient)
    {
        if (!(code.IsValidOnWire() || (lenient && IsLenientlyAccepted(code))))
        {
            return ClosePayloadError.InvalidStatus;
        }

        // Most closes carry a code alone: an empty reason needs no validator call.
        return reason.IsEmpty || Utf8Validation.IsValid(reason) ? ClosePayloadError.None : ClosePayloadError.InvalidUtf8;
    }

    private static ClosePayloadError ReadSequence(in ReadOnlySequence<byte> source, bool lenient, out WebSocketCloseStatus status, out ReadOnlySequence<byte> utf8Reason)
    {
        ClosePayloadError error;
        if (source.IsSingleSegment)
        {
            error = ReadCore(source.First.Span, lenient, out status, out _);
        }
        else if (source.Length > MaxLength)
        {
            status = default;
            error = ClosePayloadError.TooLong;
        }
        else
        {
            // At most 125 bytes: gather them on the stack, then read as one span.
            Span<byte> buffer = stackalloc byte[MaxLength];
            buffer = buffer.Slice(0, (int)source.Length);
            source.CopyTo(buffer);
            error = ReadCore(buffer, lenient, out status, out _);
        }

        utf8Reason = error == ClosePayloadError.None && !source.IsEmpty ? source.Slice(StatusLength) : ReadOnlySequence<byte>.Empty;
        return error;
    }

    // Forward compatibility: a code a future registration may define, never one that is only reported locally.
    private static bool IsLenientlyAccepted(WebSocketCloseStatus status) =>
        (uint)((int)status - 1000) < 4000 && !status.IsLocalOnly();

    private static unsafe string DecodeValidUtf8(ReadOnlySpan<byte> utf8)
    {
        if (utf8.IsEmpty)
        {
            return string.Empty;
        }

        // Well-formed input: every decoder gives the same string, so the runtime's is exact here.
        fixed (byte* bytes = utf8)
        {
            return Encoding.UTF8.GetString(bytes, utf8.Length);
        }
    }
}
