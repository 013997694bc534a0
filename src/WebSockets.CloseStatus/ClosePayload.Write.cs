using System;
using System.Buffers;
using System.Buffers.Binary;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using WebSockets.CloseStatus.Internal;

namespace WebSockets.CloseStatus;

public static partial class ClosePayload
{
    /// <summary>Gets the number of bytes that writing <paramref name="status"/> and <paramref name="reason"/> takes.</summary>
    /// <param name="status">The status to send; must be valid on the wire, or <see cref="WebSocketCloseStatus.Empty"/> with no reason.</param>
    /// <param name="reason">The closing reason.</param>
    /// <returns>The payload length: 0 for <see cref="WebSocketCloseStatus.Empty"/>, otherwise 2 plus the UTF-8 length of the reason.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="status"/> must not be sent in a close frame, or is <see cref="WebSocketCloseStatus.Empty"/> with a reason.</exception>
    /// <exception cref="ArgumentException"><paramref name="reason"/> has a lone surrogate or is over <see cref="MaxReasonLength"/> bytes in UTF-8.</exception>
    internal static int GetByteCount(WebSocketCloseStatus status, ReadOnlySpan<char> reason)
    {
        if (!ValidateStatus(status, reason.IsEmpty))
        {
            return 0;
        }

        return StatusLength + MeasureStrict(reason, nameof(reason));
    }

    /// <inheritdoc cref="GetByteCount(WebSocketCloseStatus, ReadOnlySpan{char})"/>
    /// <remarks>A <see langword="null"/> reason is no reason.</remarks>
    public static int GetByteCount(WebSocketCloseStatus status, string? reason) =>
        GetByteCount(status, reason.AsSpan());

    /// <summary>Writes a close payload: the big-endian status code followed by the UTF-8 reason.</summary>
    /// <param name="destination">The buffer that receives the payload; its contents are unspecified on failure.</param>
    /// <param name="status">The status to send; must be valid on the wire, or <see cref="WebSocketCloseStatus.Empty"/> with no reason (an empty payload).</param>
    /// <param name="reason">The closing reason; at most <see cref="MaxReasonLength"/> bytes once UTF-8 encoded unless <paramref name="truncation"/> cuts it. Only the part that is written must be free of lone surrogates.</param>
    /// <param name="bytesWritten">When this method returns, the number of bytes written to <paramref name="destination"/>; 0 on failure.</param>
    /// <param name="truncation">What to do with a reason over <see cref="MaxReasonLength"/> bytes in UTF-8; <see cref="CloseReasonTruncation.None"/> throws.</param>
    /// <returns><see langword="true"/> if the payload fit in <paramref name="destination"/>; otherwise, <see langword="false"/>.</returns>
    /// <remarks>
    /// A cut keeps the longest prefix whose UTF-8 form fits (in 120 bytes, before the 3-byte "…", for
    /// <see cref="CloseReasonTruncation.TruncateWithEllipsis"/>) and never splits a surrogate pair: the reason that
    /// <see cref="TruncateReason(string, CloseReasonTruncation)"/> returns. A lone surrogate counts as 3 bytes (the size of
    /// U+FFFD) in deciding where to cut; it is an error only in the part that is kept.
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="status"/> must not be sent in a close frame, or is <see cref="WebSocketCloseStatus.Empty"/> with a reason, or <paramref name="truncation"/> is not a defined value.</exception>
    /// <exception cref="ArgumentException"><paramref name="reason"/> has a lone surrogate in the part written, is over <see cref="MaxReasonLength"/> bytes in UTF-8 and <paramref name="truncation"/> is <see cref="CloseReasonTruncation.None"/>.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static bool TryWrite(Span<byte> destination, WebSocketCloseStatus status, ReadOnlySpan<char> reason, out int bytesWritten, CloseReasonTruncation truncation = CloseReasonTruncation.None)
    {
        // With room for any payload, one transcoding pass writes the reason whole or up to its cut, with nothing to
        // measure first. Everything but the fast path takes the slow path, which gives the same answer. An undefined
        // truncation fails TryWriteCut's check, and the truncating slow path throws for it.
        return truncation == CloseReasonTruncation.None
            ? TryWriteWhole(destination, status, reason, out bytesWritten) || TryWriteSlow(destination, status, reason, out bytesWritten)
            : TryWriteCut(destination, status, reason, truncation, out bytesWritten) || TryWriteTruncatingSlow(destination, status, reason, truncation, out bytesWritten);
    }

    /// <inheritdoc cref="TryWrite(Span{byte}, WebSocketCloseStatus, ReadOnlySpan{char}, out int, CloseReasonTruncation)"/>
    /// <remarks>A <see langword="null"/> reason is no reason. A cut is the one <see cref="TruncateReason(string, CloseReasonTruncation)"/> makes.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool TryWrite(Span<byte> destination, WebSocketCloseStatus status, string? reason, out int bytesWritten, CloseReasonTruncation truncation = CloseReasonTruncation.None) =>
        TryWrite(destination, status, reason.AsSpan(), out bytesWritten, truncation);

    /// <summary>Writes a close payload from a reason that is already UTF-8.</summary>
    /// <param name="destination">The buffer that receives the payload; its contents are unspecified on failure.</param>
    /// <param name="status">The status to send; must be valid on the wire, or <see cref="WebSocketCloseStatus.Empty"/> with no reason (an empty payload).</param>
    /// <param name="utf8Reason">The closing reason as UTF-8; at most <see cref="MaxReasonLength"/> bytes unless <paramref name="truncation"/> cuts it. Only the part that is written must be well formed.</param>
    /// <param name="bytesWritten">When this method returns, the number of bytes written to <paramref name="destination"/>; 0 on failure.</param>
    /// <param name="truncation">What to do with a reason over <see cref="MaxReasonLength"/> bytes; <see cref="CloseReasonTruncation.None"/> throws.</param>
    /// <returns><see langword="true"/> if the payload fit in <paramref name="destination"/>; otherwise, <see langword="false"/>.</returns>
    /// <remarks>
    /// A reason over <see cref="MaxReasonLength"/> bytes is cut to its longest well-formed prefix of at most 123 bytes (120
    /// before the 3-byte "…"): a sequence that the cut would split is dropped whole, and so are ill-formed bytes in the last
    /// 3 bytes before the cut. The bytes after the cut are never looked at.
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="status"/> must not be sent in a close frame, or is <see cref="WebSocketCloseStatus.Empty"/> with a reason, or <paramref name="truncation"/> is not a defined value.</exception>
    /// <exception cref="ArgumentException"><paramref name="utf8Reason"/> is not well-formed UTF-8 in the part written, is over <see cref="MaxReasonLength"/> bytes and <paramref name="truncation"/> is <see cref="CloseReasonTruncation.None"/>.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool TryWriteUtf8(Span<byte> destination, WebSocketCloseStatus status, ReadOnlySpan<byte> utf8Reason, out int bytesWritten, CloseReasonTruncation truncation = CloseReasonTruncation.None)
    {
        // Fast path: a defined truncation, a sendable status, a reason that is short enough and well formed, room for
        // both (an empty reason needs no validator call). A reason this short is never cut, whatever the truncation.
        if ((uint)truncation <= (uint)CloseReasonTruncation.TruncateWithEllipsis
            && status.IsValidOnWire()
            && utf8Reason.Length <= MaxReasonLength
            && destination.Length - StatusLength >= utf8Reason.Length
            && (utf8Reason.IsEmpty || Utf8Validation.IsValid(utf8Reason)))
        {
            BinaryPrimitives.WriteUInt16BigEndian(destination, (ushort)status);
            utf8Reason.CopyTo(destination.Slice(StatusLength));
            bytesWritten = StatusLength + utf8Reason.Length;
            return true;
        }

        return TryWriteUtf8Slow(destination, status, utf8Reason, truncation, out bytesWritten);
    }

    /// <summary>Creates a close payload in a new array.</summary>
    /// <param name="status">The status to send; must be valid on the wire, or <see cref="WebSocketCloseStatus.Empty"/> with no reason (an empty payload).</param>
    /// <param name="reason">The closing reason, or <see langword="null"/> for none.</param>
    /// <param name="truncation">What to do with a reason over <see cref="MaxReasonLength"/> bytes in UTF-8; <see cref="CloseReasonTruncation.None"/> throws.</param>
    /// <returns>A new array that holds exactly the payload.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="status"/> must not be sent in a close frame, or <paramref name="truncation"/> is not a defined value.</exception>
    /// <exception cref="ArgumentException"><paramref name="reason"/> cannot be written, as <see cref="TryWrite(Span{byte}, WebSocketCloseStatus, string?, out int, CloseReasonTruncation)"/> explains.</exception>
    public static byte[] Create(WebSocketCloseStatus status, string? reason = null, CloseReasonTruncation truncation = CloseReasonTruncation.None)
    {
        Span<byte> buffer = stackalloc byte[MaxLength];
        bool written = TryWrite(buffer, status, reason.AsSpan(), out int bytesWritten, truncation);
        Debug.Assert(written, "A span of MaxLength bytes holds any payload.");
        return buffer.Slice(0, bytesWritten).ToArray();
    }

    private static void ValidateUtf8(ReadOnlySpan<byte> utf8Reason, string paramName)
    {
        // One pass: the index of the first ill-formed sequence is both the verdict and the number the message gives.
        int invalidAt = Utf8Validation.IndexOfInvalid(utf8Reason);
        if (invalidAt >= 0)
        {
            ThrowHelper.ThrowInvalidUtf8(invalidAt, paramName);
        }
    }

    // The fast path of every char writer: a sendable status, room for any payload, and a reason that transcodes into 123
    // bytes (an empty one needs no transcoder call), written in one pass. False leaves the rest to a slow path.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool TryWriteWhole(Span<byte> destination, WebSocketCloseStatus status, ReadOnlySpan<char> reason, out int bytesWritten)
    {
        if (destination.Length >= MaxLength && status.IsValidOnWire())
        {
            int reasonBytes = 0;
            if (reason.IsEmpty
                || Utf16Transcoding.FromUtf16(reason, destination.Slice(StatusLength, MaxReasonLength), out _, out reasonBytes) == OperationStatus.Done)
            {
                BinaryPrimitives.WriteUInt16BigEndian(destination, (ushort)status);
                bytesWritten = StatusLength + reasonBytes;
                return true;
            }
        }

        bytesWritten = 0;
        return false;
    }

    /// <summary>The UTF-8 length of <paramref name="reason"/>; throws for a lone surrogate or more than <see cref="MaxReasonLength"/> bytes.</summary>
    private static int MeasureStrict(ReadOnlySpan<char> reason, string paramName)
    {
        int loneSurrogate = Utf16Transcoding.Measure(reason, long.MaxValue, out _, out long byteCount);
        if (loneSurrogate >= 0)
        {
            ThrowHelper.ThrowLoneSurrogate(reason, loneSurrogate, paramName);
        }

        if (byteCount > MaxReasonLength)
        {
            ThrowHelper.ThrowReasonTooLong(byteCount, paramName);
        }

        return (int)byteCount;
    }

    // The general half of TryWrite(char) without truncation: a destination under MaxLength bytes, or a failure to explain by a throw or by false.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static bool TryWriteSlow(Span<byte> destination, WebSocketCloseStatus status, ReadOnlySpan<char> reason, out int bytesWritten)
    {
        bytesWritten = 0;
        if (!ValidateStatus(status, reason.IsEmpty))
        {
            return true;
        }

        if (destination.Length >= StatusLength
            && Utf16Transcoding.FromUtf16(reason, destination.Slice(StatusLength, Math.Min(destination.Length - StatusLength, MaxReasonLength)), out _, out int reasonBytes) == OperationStatus.Done)
        {
            BinaryPrimitives.WriteUInt16BigEndian(destination, (ushort)status);
            bytesWritten = StatusLength + reasonBytes;
            return true;
        }

        // Only a short destination is left to fail on, unless the reason itself is a caller mistake.
        _ = MeasureStrict(reason, nameof(reason));
        return false;
    }

    // The cold half of TryWriteUtf8: explains why the fast path failed, by a throw or by false, or cuts a long reason.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static bool TryWriteUtf8Slow(Span<byte> destination, WebSocketCloseStatus status, ReadOnlySpan<byte> utf8Reason, CloseReasonTruncation truncation, out int bytesWritten)
    {
        ValidateTruncation(truncation);
        if (truncation != CloseReasonTruncation.None && utf8Reason.Length > MaxReasonLength)
        {
            return TryWriteUtf8Cut(destination, status, utf8Reason, truncation, out bytesWritten);
        }

        if (!ValidateStatus(status, utf8Reason.IsEmpty))
        {
            bytesWritten = 0;
            return true;
        }

        if (utf8Reason.Length > MaxReasonLength)
        {
            ThrowHelper.ThrowReasonTooLong(utf8Reason.Length, nameof(utf8Reason));
        }

        ValidateUtf8(utf8Reason, nameof(utf8Reason));
        Debug.Assert(destination.Length < StatusLength + utf8Reason.Length, "Only a short destination is left to fail on.");
        bytesWritten = 0;
        return false;
    }
}
