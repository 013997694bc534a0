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
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="status"/> must not be sent in a close frame.</exception>
    /// <exception cref="ArgumentException"><paramref name="reason"/> has a lone surrogate, is over <see cref="MaxReasonLength"/> bytes in UTF-8, or accompanies <see cref="WebSocketCloseStatus.Empty"/>.</exception>
    public static int GetByteCount(WebSocketCloseStatus status, ReadOnlySpan<char> reason)
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
    /// <param name="reason">The closing reason; at most <see cref="MaxReasonLength"/> bytes once UTF-8 encoded.</param>
    /// <param name="bytesWritten">When this method returns, the number of bytes written to <paramref name="destination"/>; 0 on failure.</param>
    /// <returns><see langword="true"/> if the payload fit in <paramref name="destination"/>; otherwise, <see langword="false"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="status"/> must not be sent in a close frame.</exception>
    /// <exception cref="ArgumentException"><paramref name="reason"/> has a lone surrogate, is over <see cref="MaxReasonLength"/> bytes in UTF-8, or accompanies <see cref="WebSocketCloseStatus.Empty"/>.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool TryWrite(Span<byte> destination, WebSocketCloseStatus status, ReadOnlySpan<char> reason, out int bytesWritten)
    {
        // Everything but the fast path takes the slow path, which gives the same answer.
        return TryWriteWhole(destination, status, reason, out bytesWritten) || TryWriteSlow(destination, status, reason, out bytesWritten);
    }

    /// <inheritdoc cref="TryWrite(Span{byte}, WebSocketCloseStatus, ReadOnlySpan{char}, out int)"/>
    /// <remarks>A <see langword="null"/> reason is no reason.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool TryWrite(Span<byte> destination, WebSocketCloseStatus status, string? reason, out int bytesWritten) =>
        TryWrite(destination, status, reason.AsSpan(), out bytesWritten);

    /// <summary>Writes a close payload from a reason that is already UTF-8.</summary>
    /// <param name="destination">The buffer that receives the payload; its contents are unspecified on failure.</param>
    /// <param name="status">The status to send; must be valid on the wire, or <see cref="WebSocketCloseStatus.Empty"/> with no reason (an empty payload).</param>
    /// <param name="utf8Reason">The closing reason as well-formed UTF-8; at most <see cref="MaxReasonLength"/> bytes.</param>
    /// <param name="bytesWritten">When this method returns, the number of bytes written to <paramref name="destination"/>; 0 on failure.</param>
    /// <returns><see langword="true"/> if the payload fit in <paramref name="destination"/>; otherwise, <see langword="false"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="status"/> must not be sent in a close frame.</exception>
    /// <exception cref="ArgumentException"><paramref name="utf8Reason"/> is not well-formed UTF-8, is over <see cref="MaxReasonLength"/> bytes, or accompanies <see cref="WebSocketCloseStatus.Empty"/>.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool TryWrite(Span<byte> destination, WebSocketCloseStatus status, ReadOnlySpan<byte> utf8Reason, out int bytesWritten)
    {
        // Fast path: a sendable status, a reason that is short enough and well formed, room for both
        // (an empty reason needs no validator call).
        if (status.IsValidOnWire()
            && utf8Reason.Length <= MaxReasonLength
            && destination.Length - StatusLength >= utf8Reason.Length
            && (utf8Reason.IsEmpty || Utf8Validation.IsValid(utf8Reason)))
        {
            BinaryPrimitives.WriteUInt16BigEndian(destination, (ushort)status);
            utf8Reason.CopyTo(destination.Slice(StatusLength));
            bytesWritten = StatusLength + utf8Reason.Length;
            return true;
        }

        return TryWriteUtf8Slow(destination, status, utf8Reason, out bytesWritten);
    }

    /// <summary>Writes a close payload to a buffer writer.</summary>
    /// <param name="destination">The writer that receives the payload.</param>
    /// <param name="status">The status to send; must be valid on the wire, or <see cref="WebSocketCloseStatus.Empty"/> with no reason (an empty payload).</param>
    /// <param name="reason">The closing reason; at most <see cref="MaxReasonLength"/> bytes once UTF-8 encoded.</param>
    /// <returns>The number of bytes written and advanced.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="destination"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="status"/> must not be sent in a close frame.</exception>
    /// <exception cref="ArgumentException"><paramref name="reason"/> has a lone surrogate, is over <see cref="MaxReasonLength"/> bytes in UTF-8, or accompanies <see cref="WebSocketCloseStatus.Empty"/>.</exception>
    public static int Write(IBufferWriter<byte> destination, WebSocketCloseStatus status, ReadOnlySpan<char> reason) =>
        Write(destination, status, reason, CloseReasonTruncation.None);

    /// <inheritdoc cref="Write(IBufferWriter{byte}, WebSocketCloseStatus, ReadOnlySpan{char})"/>
    /// <remarks>A <see langword="null"/> reason is no reason.</remarks>
    public static int Write(IBufferWriter<byte> destination, WebSocketCloseStatus status, string? reason) =>
        Write(destination, status, reason.AsSpan(), CloseReasonTruncation.None);

    /// <summary>Writes a close payload from a UTF-8 reason to a buffer writer.</summary>
    /// <param name="destination">The writer that receives the payload.</param>
    /// <param name="status">The status to send; must be valid on the wire, or <see cref="WebSocketCloseStatus.Empty"/> with no reason (an empty payload).</param>
    /// <param name="utf8Reason">The closing reason as well-formed UTF-8; at most <see cref="MaxReasonLength"/> bytes.</param>
    /// <returns>The number of bytes written and advanced.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="destination"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="status"/> must not be sent in a close frame.</exception>
    /// <exception cref="ArgumentException"><paramref name="utf8Reason"/> is not well-formed UTF-8, is over <see cref="MaxReasonLength"/> bytes, or accompanies <see cref="WebSocketCloseStatus.Empty"/>.</exception>
    public static int Write(IBufferWriter<byte> destination, WebSocketCloseStatus status, ReadOnlySpan<byte> utf8Reason) =>
        Write(destination, status, utf8Reason, CloseReasonTruncation.None);

    /// <summary>Creates a close payload in a new array.</summary>
    /// <param name="status">The status to send; must be valid on the wire, or <see cref="WebSocketCloseStatus.Empty"/> with no reason (an empty payload).</param>
    /// <param name="reason">The closing reason, or <see langword="null"/> for none.</param>
    /// <param name="truncation">What to do with a reason over <see cref="MaxReasonLength"/> bytes in UTF-8.</param>
    /// <returns>A new array that holds exactly the payload.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="status"/> must not be sent in a close frame, or <paramref name="truncation"/> is not a defined value.</exception>
    /// <exception cref="ArgumentException"><paramref name="reason"/> cannot be written as <see cref="TryWrite(Span{byte}, WebSocketCloseStatus, ReadOnlySpan{char}, CloseReasonTruncation, out int, out int)"/> explains.</exception>
    public static byte[] Create(WebSocketCloseStatus status, string? reason = null, CloseReasonTruncation truncation = CloseReasonTruncation.None)
    {
        Span<byte> buffer = stackalloc byte[MaxLength];
        bool written = TryWrite(buffer, status, reason.AsSpan(), truncation, out int bytesWritten, out _);
        Debug.Assert(written, "A span of MaxLength bytes holds any payload.");
        return buffer.Slice(0, bytesWritten).ToArray();
    }

    private static Span<byte> GetWriterSpan(IBufferWriter<byte> destination)
    {
        if (destination is null)
        {
            ThrowHelper.ThrowArgumentNull(nameof(destination));
        }

        return destination.GetSpan(MaxLength);
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

    // The general half of TryWrite(char): a destination under MaxLength bytes, or a failure to explain by a throw or by false.
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

    // The cold half of TryWrite(UTF-8): explains why the fast path failed, by a throw or by false.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static bool TryWriteUtf8Slow(Span<byte> destination, WebSocketCloseStatus status, ReadOnlySpan<byte> utf8Reason, out int bytesWritten)
    {
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
