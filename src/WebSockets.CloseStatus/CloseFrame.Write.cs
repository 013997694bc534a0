using System;
using System.Buffers;
using System.Buffers.Binary;
using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace WebSockets.CloseStatus;

public static partial class CloseFrame
{
    /// <summary>Writes a close frame as <paramref name="role"/> sends it: unmasked from a server, masked with a fresh random key from a client.</summary>
    /// <param name="destination">The buffer that receives the frame; <see cref="MaxLength"/> bytes always suffice. Its contents are unspecified on failure.</param>
    /// <param name="role">The role of the sending endpoint.</param>
    /// <param name="status">The status to send; must be valid on the wire, or <see cref="WebSocketCloseStatus.Empty"/> with no reason (an empty payload).</param>
    /// <param name="reason">The closing reason; at most <see cref="ClosePayload.MaxReasonLength"/> bytes once UTF-8 encoded unless <paramref name="truncation"/> cuts it.</param>
    /// <param name="bytesWritten">When this method returns, the number of bytes written to <paramref name="destination"/>; 0 on failure.</param>
    /// <param name="truncation">What to do with a reason over <see cref="ClosePayload.MaxReasonLength"/> bytes in UTF-8; <see cref="CloseReasonTruncation.None"/> throws.</param>
    /// <returns><see langword="true"/> if the frame fit in <paramref name="destination"/>; otherwise, <see langword="false"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="status"/> must not be sent in a close frame, or <paramref name="role"/> or <paramref name="truncation"/> is not a defined value.</exception>
    /// <exception cref="ArgumentException"><paramref name="reason"/> cannot be written, as <see cref="ClosePayload.TryWrite(Span{byte}, WebSocketCloseStatus, string?, out int, CloseReasonTruncation)"/> explains.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static bool TryWrite(Span<byte> destination, WebSocketRole role, WebSocketCloseStatus status, ReadOnlySpan<char> reason, out int bytesWritten, CloseReasonTruncation truncation = CloseReasonTruncation.None)
    {
        int headerLength = GetHeaderLength(role);
        bool fits = ClosePayload.TryWrite(PayloadArea(destination, headerLength), status, reason, out int payloadLength, truncation);
        return Finish(destination, headerLength, fits, payloadLength, randomKey: true, maskingKey: 0, out bytesWritten);
    }

    /// <inheritdoc cref="TryWrite(Span{byte}, WebSocketRole, WebSocketCloseStatus, ReadOnlySpan{char}, out int, CloseReasonTruncation)"/>
    /// <remarks>A <see langword="null"/> reason is no reason.</remarks>
    public static bool TryWrite(Span<byte> destination, WebSocketRole role, WebSocketCloseStatus status, string? reason, out int bytesWritten, CloseReasonTruncation truncation = CloseReasonTruncation.None) =>
        TryWrite(destination, role, status, reason.AsSpan(), out bytesWritten, truncation);

    /// <summary>Writes a close frame from a UTF-8 reason as <paramref name="role"/> sends it: unmasked from a server, masked with a fresh random key from a client.</summary>
    /// <param name="destination">The buffer that receives the frame; <see cref="MaxLength"/> bytes always suffice. Its contents are unspecified on failure.</param>
    /// <param name="role">The role of the sending endpoint.</param>
    /// <param name="status">The status to send; must be valid on the wire, or <see cref="WebSocketCloseStatus.Empty"/> with no reason (an empty payload).</param>
    /// <param name="utf8Reason">The closing reason as UTF-8; at most <see cref="ClosePayload.MaxReasonLength"/> bytes unless <paramref name="truncation"/> cuts it. The part written must be well formed.</param>
    /// <param name="bytesWritten">When this method returns, the number of bytes written to <paramref name="destination"/>; 0 on failure.</param>
    /// <param name="truncation">What to do with a reason over <see cref="ClosePayload.MaxReasonLength"/> bytes; <see cref="CloseReasonTruncation.None"/> throws.</param>
    /// <returns><see langword="true"/> if the frame fit in <paramref name="destination"/>; otherwise, <see langword="false"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="status"/> must not be sent in a close frame, or <paramref name="role"/> or <paramref name="truncation"/> is not a defined value.</exception>
    /// <exception cref="ArgumentException"><paramref name="utf8Reason"/> cannot be written, as <see cref="ClosePayload.TryWriteUtf8(Span{byte}, WebSocketCloseStatus, ReadOnlySpan{byte}, out int, CloseReasonTruncation)"/> explains.</exception>
    public static bool TryWriteUtf8(Span<byte> destination, WebSocketRole role, WebSocketCloseStatus status, ReadOnlySpan<byte> utf8Reason, out int bytesWritten, CloseReasonTruncation truncation = CloseReasonTruncation.None)
    {
        int headerLength = GetHeaderLength(role);
        bool fits = ClosePayload.TryWriteUtf8(PayloadArea(destination, headerLength), status, utf8Reason, out int payloadLength, truncation);
        return Finish(destination, headerLength, fits, payloadLength, randomKey: true, maskingKey: 0, out bytesWritten);
    }

    /// <summary>Writes a client's close frame, masked with <paramref name="maskingKey"/>.</summary>
    /// <param name="destination">The buffer that receives the frame; <see cref="MaxLength"/> bytes always suffice. Its contents are unspecified on failure.</param>
    /// <param name="maskingKey">The masking key; its big-endian bytes are the 4 key bytes on the wire. RFC 6455 §5.3 wants it unpredictable.</param>
    /// <param name="status">The status to send; must be valid on the wire, or <see cref="WebSocketCloseStatus.Empty"/> with no reason (an empty payload).</param>
    /// <param name="reason">The closing reason; at most <see cref="ClosePayload.MaxReasonLength"/> bytes once UTF-8 encoded unless <paramref name="truncation"/> cuts it.</param>
    /// <param name="bytesWritten">When this method returns, the number of bytes written to <paramref name="destination"/>; 0 on failure.</param>
    /// <param name="truncation">What to do with a reason over <see cref="ClosePayload.MaxReasonLength"/> bytes in UTF-8; <see cref="CloseReasonTruncation.None"/> throws.</param>
    /// <returns><see langword="true"/> if the frame fit in <paramref name="destination"/>; otherwise, <see langword="false"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="status"/> must not be sent in a close frame, or <paramref name="truncation"/> is not a defined value.</exception>
    /// <exception cref="ArgumentException"><paramref name="reason"/> cannot be written, as <see cref="ClosePayload.TryWrite(Span{byte}, WebSocketCloseStatus, string?, out int, CloseReasonTruncation)"/> explains.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static bool TryWriteMasked(Span<byte> destination, uint maskingKey, WebSocketCloseStatus status, ReadOnlySpan<char> reason, out int bytesWritten, CloseReasonTruncation truncation = CloseReasonTruncation.None)
    {
        const int headerLength = HeaderLength + MaskingKeyLength;
        bool fits = ClosePayload.TryWrite(PayloadArea(destination, headerLength), status, reason, out int payloadLength, truncation);
        return Finish(destination, headerLength, fits, payloadLength, randomKey: false, maskingKey, out bytesWritten);
    }

    /// <inheritdoc cref="TryWriteMasked(Span{byte}, uint, WebSocketCloseStatus, ReadOnlySpan{char}, out int, CloseReasonTruncation)"/>
    /// <remarks>A <see langword="null"/> reason is no reason.</remarks>
    public static bool TryWriteMasked(Span<byte> destination, uint maskingKey, WebSocketCloseStatus status, string? reason, out int bytesWritten, CloseReasonTruncation truncation = CloseReasonTruncation.None) =>
        TryWriteMasked(destination, maskingKey, status, reason.AsSpan(), out bytesWritten, truncation);

    /// <summary>Writes a client's close frame from a UTF-8 reason, masked with <paramref name="maskingKey"/>.</summary>
    /// <param name="destination">The buffer that receives the frame; <see cref="MaxLength"/> bytes always suffice. Its contents are unspecified on failure.</param>
    /// <param name="maskingKey">The masking key; its big-endian bytes are the 4 key bytes on the wire. RFC 6455 §5.3 wants it unpredictable.</param>
    /// <param name="status">The status to send; must be valid on the wire, or <see cref="WebSocketCloseStatus.Empty"/> with no reason (an empty payload).</param>
    /// <param name="utf8Reason">The closing reason as UTF-8; at most <see cref="ClosePayload.MaxReasonLength"/> bytes unless <paramref name="truncation"/> cuts it. The part written must be well formed.</param>
    /// <param name="bytesWritten">When this method returns, the number of bytes written to <paramref name="destination"/>; 0 on failure.</param>
    /// <param name="truncation">What to do with a reason over <see cref="ClosePayload.MaxReasonLength"/> bytes; <see cref="CloseReasonTruncation.None"/> throws.</param>
    /// <returns><see langword="true"/> if the frame fit in <paramref name="destination"/>; otherwise, <see langword="false"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="status"/> must not be sent in a close frame, or <paramref name="truncation"/> is not a defined value.</exception>
    /// <exception cref="ArgumentException"><paramref name="utf8Reason"/> cannot be written, as <see cref="ClosePayload.TryWriteUtf8(Span{byte}, WebSocketCloseStatus, ReadOnlySpan{byte}, out int, CloseReasonTruncation)"/> explains.</exception>
    public static bool TryWriteMaskedUtf8(Span<byte> destination, uint maskingKey, WebSocketCloseStatus status, ReadOnlySpan<byte> utf8Reason, out int bytesWritten, CloseReasonTruncation truncation = CloseReasonTruncation.None)
    {
        const int headerLength = HeaderLength + MaskingKeyLength;
        bool fits = ClosePayload.TryWriteUtf8(PayloadArea(destination, headerLength), status, utf8Reason, out int payloadLength, truncation);
        return Finish(destination, headerLength, fits, payloadLength, randomKey: false, maskingKey, out bytesWritten);
    }

    /// <summary>Writes a close frame as <paramref name="role"/> sends it to a buffer writer: unmasked from a server, masked with a fresh random key from a client.</summary>
    /// <param name="destination">The writer that receives the frame.</param>
    /// <param name="role">The role of the sending endpoint.</param>
    /// <param name="status">The status to send; must be valid on the wire, or <see cref="WebSocketCloseStatus.Empty"/> with no reason (an empty payload).</param>
    /// <param name="reason">The closing reason; at most <see cref="ClosePayload.MaxReasonLength"/> bytes once UTF-8 encoded unless <paramref name="truncation"/> cuts it.</param>
    /// <param name="truncation">What to do with a reason over <see cref="ClosePayload.MaxReasonLength"/> bytes in UTF-8; <see cref="CloseReasonTruncation.None"/> throws.</param>
    /// <returns>The number of bytes written and advanced.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="destination"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="status"/> must not be sent in a close frame, or <paramref name="role"/> or <paramref name="truncation"/> is not a defined value.</exception>
    /// <exception cref="ArgumentException"><paramref name="reason"/> cannot be written, as <see cref="ClosePayload.TryWrite(Span{byte}, WebSocketCloseStatus, string?, out int, CloseReasonTruncation)"/> explains.</exception>
    internal static int Write(IBufferWriter<byte> destination, WebSocketRole role, WebSocketCloseStatus status, ReadOnlySpan<char> reason, CloseReasonTruncation truncation = CloseReasonTruncation.None)
    {
        Span<byte> span = GetWriterSpan(destination);
        bool written = TryWrite(span, role, status, reason, out int bytesWritten, truncation);
        Debug.Assert(written, "A span of MaxLength bytes holds any frame.");
        destination.Advance(bytesWritten);
        return bytesWritten;
    }

    /// <inheritdoc cref="Write(IBufferWriter{byte}, WebSocketRole, WebSocketCloseStatus, ReadOnlySpan{char}, CloseReasonTruncation)"/>
    /// <remarks>A <see langword="null"/> reason is no reason.</remarks>
    public static int Write(IBufferWriter<byte> destination, WebSocketRole role, WebSocketCloseStatus status, string? reason, CloseReasonTruncation truncation = CloseReasonTruncation.None) =>
        Write(destination, role, status, reason.AsSpan(), truncation);

    /// <summary>Writes a close frame from a UTF-8 reason as <paramref name="role"/> sends it to a buffer writer: unmasked from a server, masked with a fresh random key from a client.</summary>
    /// <param name="destination">The writer that receives the frame.</param>
    /// <param name="role">The role of the sending endpoint.</param>
    /// <param name="status">The status to send; must be valid on the wire, or <see cref="WebSocketCloseStatus.Empty"/> with no reason (an empty payload).</param>
    /// <param name="utf8Reason">The closing reason as UTF-8; at most <see cref="ClosePayload.MaxReasonLength"/> bytes unless <paramref name="truncation"/> cuts it. The part written must be well formed.</param>
    /// <param name="truncation">What to do with a reason over <see cref="ClosePayload.MaxReasonLength"/> bytes; <see cref="CloseReasonTruncation.None"/> throws.</param>
    /// <returns>The number of bytes written and advanced.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="destination"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="status"/> must not be sent in a close frame, or <paramref name="role"/> or <paramref name="truncation"/> is not a defined value.</exception>
    /// <exception cref="ArgumentException"><paramref name="utf8Reason"/> cannot be written, as <see cref="ClosePayload.TryWriteUtf8(Span{byte}, WebSocketCloseStatus, ReadOnlySpan{byte}, out int, CloseReasonTruncation)"/> explains.</exception>
    public static int WriteUtf8(IBufferWriter<byte> destination, WebSocketRole role, WebSocketCloseStatus status, ReadOnlySpan<byte> utf8Reason, CloseReasonTruncation truncation = CloseReasonTruncation.None)
    {
        Span<byte> span = GetWriterSpan(destination);
        bool written = TryWriteUtf8(span, role, status, utf8Reason, out int bytesWritten, truncation);
        Debug.Assert(written, "A span of MaxLength bytes holds any frame.");
        destination.Advance(bytesWritten);
        return bytesWritten;
    }

    private static Span<byte> GetWriterSpan(IBufferWriter<byte> destination)
    {
        if (destination is null)
        {
            Internal.ThrowHelper.ThrowArgumentNull(nameof(destination));
        }

        return destination.GetSpan(MaxLength);
    }

    // The payload goes after the header; a destination shorter than the header still lets the payload writer
    // validate its arguments (and throw for caller mistakes) before the write fails.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Span<byte> PayloadArea(Span<byte> destination, int headerLength) =>
        destination.Length >= headerLength ? destination.Slice(headerLength) : Span<byte>.Empty;

    // A client's frame is masked with maskingKey, or with a fresh random key if randomKey is set; a server's is not masked.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool Finish(Span<byte> destination, int headerLength, bool payloadFits, int payloadLength, bool randomKey, uint maskingKey, out int bytesWritten)
    {
        if (!payloadFits || destination.Length < headerLength)
        {
            bytesWritten = 0;
            return false;
        }

        destination[0] = FinAndClose;
        if (headerLength == HeaderLength)
        {
            destination[1] = (byte)payloadLength;
        }
        else
        {
            uint key = randomKey ? NewMaskingKey() : maskingKey;
            destination[1] = (byte)(MaskBit | payloadLength);
            BinaryPrimitives.WriteUInt32BigEndian(destination.Slice(HeaderLength), key);
            Mask(destination.Slice(headerLength, payloadLength), key);
        }

        bytesWritten = headerLength + payloadLength;
        return true;
    }
}
