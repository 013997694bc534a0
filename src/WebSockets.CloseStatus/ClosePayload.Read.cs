using System;
using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Text;
using WebSockets.CloseStatus.Internal;

namespace WebSockets.CloseStatus;

public static partial class ClosePayload
{
    /// <summary>Reads a close payload and decodes its reason to a <see cref="string"/>.</summary>
    /// <param name="source">The payload of the close frame, already unmasked; untrusted bytes are fine.</param>
    /// <param name="status">When this method returns, the status exactly as received (<see cref="WebSocketCloseStatus.Empty"/> for an empty payload); <see langword="default"/> on error.</param>
    /// <param name="reason">When this method returns, the reason; <see cref="string.Empty"/> when there is none or on error.</param>
    /// <param name="mode">Which status codes to accept: <see cref="ClosePayloadReadMode.Strict"/>, those valid on the wire today, unless set.</param>
    /// <returns>
    /// <see cref="CloseFrameError.None"/> if the payload is well formed; otherwise, what is wrong with it (<see cref="CloseFrameError.TooShort"/>,
    /// <see cref="CloseFrameError.TooLong"/>, <see cref="CloseFrameError.InvalidStatus"/> or <see cref="CloseFrameError.InvalidUtf8"/>), whose
    /// <see cref="CloseErrorExtensions.ToCloseStatus(CloseFrameError)"/> is the status to answer with: 1002, or 1007 for a reason that is not UTF-8.
    /// </returns>
    /// <remarks>
    /// Never throws for any <paramref name="source"/>. Allocates the reason string when it is not empty;
    /// <see cref="ReadUtf8(ReadOnlySpan{byte}, out WebSocketCloseStatus, out ReadOnlySpan{byte}, ClosePayloadReadMode)"/> reads without allocating.
    /// The checks run in the order of the returned errors: length, status, UTF-8.
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="mode"/> is not a defined value.</exception>
    public static CloseFrameError Read(ReadOnlySpan<byte> source, out WebSocketCloseStatus status, out string reason, ClosePayloadReadMode mode = ClosePayloadReadMode.Strict)
    {
        ValidateMode(mode);
        CloseFrameError error = ReadCore(source, mode == ClosePayloadReadMode.Lenient, out status, out ReadOnlySpan<byte> utf8Reason);
        reason = error == CloseFrameError.None ? DecodeValidUtf8(utf8Reason) : string.Empty;
        return error;
    }

    /// <summary>Reads a close payload without copying or decoding its UTF-8 reason.</summary>
    /// <param name="source">The payload of the close frame, already unmasked; untrusted bytes are fine.</param>
    /// <param name="status">When this method returns, the status exactly as received (<see cref="WebSocketCloseStatus.Empty"/> for an empty payload); <see langword="default"/> on error.</param>
    /// <param name="utf8Reason">When this method returns, the UTF-8 reason as a slice of <paramref name="source"/>; empty on error.</param>
    /// <param name="mode">Which status codes to accept: <see cref="ClosePayloadReadMode.Strict"/>, those valid on the wire today, unless set.</param>
    /// <returns>
    /// <see cref="CloseFrameError.None"/> if the payload is well formed; otherwise, what is wrong with it (<see cref="CloseFrameError.TooShort"/>,
    /// <see cref="CloseFrameError.TooLong"/>, <see cref="CloseFrameError.InvalidStatus"/> or <see cref="CloseFrameError.InvalidUtf8"/>).
    /// </returns>
    /// <remarks>Never throws for any <paramref name="source"/> and never allocates. The checks run in the order of the returned errors: length, status, UTF-8.</remarks>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="mode"/> is not a defined value.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static CloseFrameError ReadUtf8(ReadOnlySpan<byte> source, out WebSocketCloseStatus status, out ReadOnlySpan<byte> utf8Reason, ClosePayloadReadMode mode = ClosePayloadReadMode.Strict)
    {
        ValidateMode(mode);
        return ReadCore(source, mode == ClosePayloadReadMode.Lenient, out status, out utf8Reason);
    }

    /// <summary>Reads a close payload that may span several segments, without copying or decoding its UTF-8 reason.</summary>
    /// <param name="source">The payload of the close frame, already unmasked; untrusted bytes are fine.</param>
    /// <param name="status">When this method returns, the status exactly as received (<see cref="WebSocketCloseStatus.Empty"/> for an empty payload); <see langword="default"/> on error.</param>
    /// <param name="utf8Reason">When this method returns, the UTF-8 reason as a slice of <paramref name="source"/>; empty on error.</param>
    /// <param name="mode">Which status codes to accept: <see cref="ClosePayloadReadMode.Strict"/>, those valid on the wire today, unless set.</param>
    /// <returns>What <see cref="ReadUtf8(ReadOnlySpan{byte}, out WebSocketCloseStatus, out ReadOnlySpan{byte}, ClosePayloadReadMode)"/> returns for the same bytes, however they are split into segments.</returns>
    /// <remarks>Never throws for any <paramref name="source"/> and never allocates.</remarks>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="mode"/> is not a defined value.</exception>
    public static CloseFrameError ReadUtf8(in ReadOnlySequence<byte> source, out WebSocketCloseStatus status, out ReadOnlySequence<byte> utf8Reason, ClosePayloadReadMode mode = ClosePayloadReadMode.Strict)
    {
        ValidateMode(mode);
        return ReadSequence(source, mode == ClosePayloadReadMode.Lenient, out status, out utf8Reason);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static CloseFrameError ReadCore(ReadOnlySpan<byte> source, bool lenient, out WebSocketCloseStatus status, out ReadOnlySpan<byte> utf8Reason)
    {
        status = default;
        utf8Reason = default;
        if (source.Length < StatusLength)
        {
            // §7.1.5: a close frame without a status is reported as 1005; a lone byte is malformed (§5.5.1).
            if (source.IsEmpty)
            {
                status = WebSocketCloseStatus.Empty;
                return CloseFrameError.None;
            }

            return CloseFrameError.TooShort;
        }

        if (source.Length > MaxLength)
        {
            return CloseFrameError.TooLong;
        }

        var code = (WebSocketCloseStatus)BinaryPrimitives.ReadUInt16BigEndian(source);
        ReadOnlySpan<byte> reason = source.Slice(StatusLength);
        CloseFrameError error = CheckStatusAndReason(code, reason, lenient);
        if (error != CloseFrameError.None)
        {
            return error;
        }

        status = code;
        utf8Reason = reason;
        return CloseFrameError.None;
    }

    /// <summary>The checks after the length, in their order: the status, then the reason's UTF-8; shared with the frame readers, which unmask the two apart.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static CloseFrameError CheckStatusAndReason(WebSocketCloseStatus code, ReadOnlySpan<byte> reason, bool lenient)
    {
        if (!(code.IsValidOnWire() || (lenient && IsLenientlyAccepted(code))))
        {
            return CloseFrameError.InvalidStatus;
        }

        // Most closes carry a code alone: an empty reason needs no validator call.
        return reason.IsEmpty || Utf8Validation.IsValid(reason) ? CloseFrameError.None : CloseFrameError.InvalidUtf8;
    }

    private static CloseFrameError ReadSequence(in ReadOnlySequence<byte> source, bool lenient, out WebSocketCloseStatus status, out ReadOnlySequence<byte> utf8Reason)
    {
        CloseFrameError error;
        if (source.IsSingleSegment)
        {
            error = ReadCore(source.First.Span, lenient, out status, out _);
        }
        else if (source.Length > MaxLength)
        {
            status = default;
            error = CloseFrameError.TooLong;
        }
        else
        {
            // At most 125 bytes: gather them on the stack, then read as one span.
            Span<byte> buffer = stackalloc byte[MaxLength];
            buffer = buffer.Slice(0, (int)source.Length);
            source.CopyTo(buffer);
            error = ReadCore(buffer, lenient, out status, out _);
        }

        utf8Reason = error == CloseFrameError.None && !source.IsEmpty ? source.Slice(StatusLength) : ReadOnlySequence<byte>.Empty;
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
