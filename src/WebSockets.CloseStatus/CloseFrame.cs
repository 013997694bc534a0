using System;
using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;

namespace WebSockets.CloseStatus;

/// <summary>Reads and writes whole close frames (RFC 6455 §5.2, §5.3, §5.5.1) for custom socket stacks.</summary>
public static class CloseFrame
{
    /// <summary>The longest close frame, in bytes: a 2-byte header, a 4-byte masking key and a 125-byte payload.</summary>
    public const int MaxLength = HeaderLength + MaskingKeyLength + ClosePayload.MaxLength;

    private const int HeaderLength = 2;
    private const int MaskingKeyLength = 4;
    private const byte FinAndClose = 0x88;   // FIN | opcode 0x8
    private const byte MaskBit = 0x80;

#if !NET8_0_OR_GREATER
    private static readonly RandomNumberGenerator s_random = RandomNumberGenerator.Create();

    [ThreadStatic]
    private static byte[]? t_keyBuffer;
#endif

    /// <summary>Writes a close frame as <paramref name="role"/> sends it: unmasked from a server, masked with a fresh random key from a client.</summary>
    /// <param name="destination">The buffer that receives the frame; <see cref="MaxLength"/> bytes always suffice. Its contents are unspecified on failure.</param>
    /// <param name="role">The role of the sending endpoint.</param>
    /// <param name="status">The status to send; must be valid on the wire, or <see cref="WebSocketCloseStatus.Empty"/> with no reason (an empty payload).</param>
    /// <param name="reason">The closing reason; at most <see cref="ClosePayload.MaxReasonLength"/> bytes once UTF-8 encoded.</param>
    /// <param name="bytesWritten">When this method returns, the number of bytes written to <paramref name="destination"/>; 0 on failure.</param>
    /// <returns><see langword="true"/> if the frame fit in <paramref name="destination"/>; otherwise, <see langword="false"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="status"/> must not be sent in a close frame, or <paramref name="role"/> is not a defined value.</exception>
    /// <exception cref="ArgumentException"><paramref name="reason"/> has a lone surrogate, is over <see cref="ClosePayload.MaxReasonLength"/> bytes in UTF-8, or accompanies <see cref="WebSocketCloseStatus.Empty"/>.</exception>
    public static bool TryWrite(Span<byte> destination, WebSocketRole role, WebSocketCloseStatus status, ReadOnlySpan<char> reason, out int bytesWritten) =>
        TryWrite(destination, role, status, reason, CloseReasonTruncation.None, out bytesWritten, out _);

    /// <summary>Writes a close frame from a UTF-8 reason as <paramref name="role"/> sends it: unmasked from a server, masked with a fresh random key from a client.</summary>
    /// <param name="destination">The buffer that receives the frame; <see cref="MaxLength"/> bytes always suffice. Its contents are unspecified on failure.</param>
    /// <param name="role">The role of the sending endpoint.</param>
    /// <param name="status">The status to send; must be valid on the wire, or <see cref="WebSocketCloseStatus.Empty"/> with no reason (an empty payload).</param>
    /// <param name="utf8Reason">The closing reason as well-formed UTF-8; at most <see cref="ClosePayload.MaxReasonLength"/> bytes.</param>
    /// <param name="bytesWritten">When this method returns, the number of bytes written to <paramref name="destination"/>; 0 on failure.</param>
    /// <returns><see langword="true"/> if the frame fit in <paramref name="destination"/>; otherwise, <see langword="false"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="status"/> must not be sent in a close frame, or <paramref name="role"/> is not a defined value.</exception>
    /// <exception cref="ArgumentException"><paramref name="utf8Reason"/> is not well-formed UTF-8, is over <see cref="ClosePayload.MaxReasonLength"/> bytes, or accompanies <see cref="WebSocketCloseStatus.Empty"/>.</exception>
    public static bool TryWrite(Span<byte> destination, WebSocketRole role, WebSocketCloseStatus status, ReadOnlySpan<byte> utf8Reason, out int bytesWritten)
    {
        int headerLength = GetHeaderLength(role);
        bool fits = ClosePayload.TryWrite(PayloadArea(destination, headerLength), status, utf8Reason, out int payloadLength);
        return Finish(destination, headerLength, fits, payloadLength, randomKey: true, maskingKey: 0, out bytesWritten);
    }

    /// <summary>Writes a close frame as <paramref name="role"/> sends it, truncating an over-long reason if <paramref name="truncation"/> asks for it.</summary>
    /// <param name="destination">The buffer that receives the frame; <see cref="MaxLength"/> bytes always suffice. Its contents are unspecified on failure.</param>
    /// <param name="role">The role of the sending endpoint; a client masks with a fresh random key.</param>
    /// <param name="status">The status to send; must be valid on the wire, or <see cref="WebSocketCloseStatus.Empty"/> with no reason (an empty payload).</param>
    /// <param name="reason">The closing reason.</param>
    /// <param name="truncation">What to do with a reason over <see cref="ClosePayload.MaxReasonLength"/> bytes in UTF-8.</param>
    /// <param name="bytesWritten">When this method returns, the number of bytes written to <paramref name="destination"/>; 0 on failure.</param>
    /// <param name="charsDropped">When this method returns, the number of chars of <paramref name="reason"/> that were cut off; 0 on failure.</param>
    /// <returns><see langword="true"/> if the frame fit in <paramref name="destination"/>; otherwise, <see langword="false"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="status"/> must not be sent in a close frame, or <paramref name="role"/> or <paramref name="truncation"/> is not a defined value.</exception>
    /// <exception cref="ArgumentException"><paramref name="reason"/> cannot be written, as <see cref="ClosePayload.TryWrite(Span{byte}, WebSocketCloseStatus, ReadOnlySpan{char}, CloseReasonTruncation, out int, out int)"/> explains.</exception>
    public static bool TryWrite(Span<byte> destination, WebSocketRole role, WebSocketCloseStatus status, ReadOnlySpan<char> reason, CloseReasonTruncation truncation, out int bytesWritten, out int charsDropped)
    {
        int headerLength = GetHeaderLength(role);
        bool fits = ClosePayload.TryWrite(PayloadArea(destination, headerLength), status, reason, truncation, out int payloadLength, out charsDropped);
        if (!Finish(destination, headerLength, fits, payloadLength, randomKey: true, maskingKey: 0, out bytesWritten))
        {
            charsDropped = 0;
            return false;
        }

        return true;
    }

    /// <summary>Writes a client's close frame, masked with <paramref name="maskingKey"/>.</summary>
    /// <param name="destination">The buffer that receives the frame; <see cref="MaxLength"/> bytes always suffice. Its contents are unspecified on failure.</param>
    /// <param name="status">The status to send; must be valid on the wire, or <see cref="WebSocketCloseStatus.Empty"/> with no reason (an empty payload).</param>
    /// <param name="reason">The closing reason; at most <see cref="ClosePayload.MaxReasonLength"/> bytes once UTF-8 encoded.</param>
    /// <param name="maskingKey">The masking key; its big-endian bytes are the 4 key bytes on the wire. RFC 6455 §5.3 wants it unpredictable.</param>
    /// <param name="bytesWritten">When this method returns, the number of bytes written to <paramref name="destination"/>; 0 on failure.</param>
    /// <returns><see langword="true"/> if the frame fit in <paramref name="destination"/>; otherwise, <see langword="false"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="status"/> must not be sent in a close frame.</exception>
    /// <exception cref="ArgumentException"><paramref name="reason"/> has a lone surrogate, is over <see cref="ClosePayload.MaxReasonLength"/> bytes in UTF-8, or accompanies <see cref="WebSocketCloseStatus.Empty"/>.</exception>
    public static bool TryWriteMasked(Span<byte> destination, WebSocketCloseStatus status, ReadOnlySpan<char> reason, uint maskingKey, out int bytesWritten)
    {
        const int headerLength = HeaderLength + MaskingKeyLength;
        bool fits = ClosePayload.TryWrite(PayloadArea(destination, headerLength), status, reason, out int payloadLength);
        return Finish(destination, headerLength, fits, payloadLength, randomKey: false, maskingKey, out bytesWritten);
    }

    /// <summary>Writes a client's close frame from a UTF-8 reason, masked with <paramref name="maskingKey"/>.</summary>
    /// <param name="destination">The buffer that receives the frame; <see cref="MaxLength"/> bytes always suffice. Its contents are unspecified on failure.</param>
    /// <param name="status">The status to send; must be valid on the wire, or <see cref="WebSocketCloseStatus.Empty"/> with no reason (an empty payload).</param>
    /// <param name="utf8Reason">The closing reason as well-formed UTF-8; at most <see cref="ClosePayload.MaxReasonLength"/> bytes.</param>
    /// <param name="maskingKey">The masking key; its big-endian bytes are the 4 key bytes on the wire. RFC 6455 §5.3 wants it unpredictable.</param>
    /// <param name="bytesWritten">When this method returns, the number of bytes written to <paramref name="destination"/>; 0 on failure.</param>
    /// <returns><see langword="true"/> if the frame fit in <paramref name="destination"/>; otherwise, <see langword="false"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="status"/> must not be sent in a close frame.</exception>
    /// <exception cref="ArgumentException"><paramref name="utf8Reason"/> is not well-formed UTF-8, is over <see cref="ClosePayload.MaxReasonLength"/> bytes, or accompanies <see cref="WebSocketCloseStatus.Empty"/>.</exception>
    public static bool TryWriteMasked(Span<byte> destination, WebSocketCloseStatus status, ReadOnlySpan<byte> utf8Reason, uint maskingKey, out int bytesWritten)
    {
        const int headerLength = HeaderLength + MaskingKeyLength;
        bool fits = ClosePayload.TryWrite(PayloadArea(destination, headerLength), status, utf8Reason, out int payloadLength);
        return Finish(destination, headerLength, fits, payloadLength, randomKey: false, maskingKey, out bytesWritten);
    }

    /// <summary>Reads a close frame received by <paramref name="role"/>, unmasking a client's payload into <paramref name="destination"/>.</summary>
    /// <param name="source">The received bytes, starting at the frame's first byte; untrusted bytes are fine. Bytes after the frame are ignored.</param>
    /// <param name="role">The role of the receiving endpoint: a server expects masked frames, a client unmasked ones.</param>
    /// <param name="destination">The buffer a masked payload is unmasked into (<see cref="ClosePayload.MaxLength"/> bytes always suffice); unused for unmasked frames, whose reason is a slice of <paramref name="source"/>.</param>
    /// <param name="result">When this method returns, what was found; see each member for when it is set.</param>
    /// <returns><see cref="OperationStatus.Done"/> for a well-formed frame; <see cref="OperationStatus.NeedMoreData"/> when <paramref name="source"/> ends before the frame does (nothing is consumed); <see cref="OperationStatus.DestinationTooSmall"/> when the unmasked payload does not fit in <paramref name="destination"/>; <see cref="OperationStatus.InvalidData"/> for a malformed frame.</returns>
    /// <remarks>Never throws for any <paramref name="source"/> and never allocates. Frame-level checks come first, as soon as their bytes have arrived; then the rules of <see cref="ClosePayload.Read(ReadOnlySpan{byte}, out WebSocketCloseStatus, out ReadOnlySpan{byte})"/>.</remarks>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="role"/> is not a defined value.</exception>
    public static OperationStatus Read(ReadOnlySpan<byte> source, WebSocketRole role, Span<byte> destination, out CloseFrameReadResult result)
    {
        OperationStatus header = ReadHeader(source, role, out int headerLength, out int payloadLength, out uint maskingKey, out result);
        if (header != OperationStatus.Done)
        {
            return header;
        }

        ReadOnlySpan<byte> payload = source.Slice(headerLength, payloadLength);
        if (headerLength > HeaderLength)
        {
            if (destination.Length < payloadLength)
            {
                result = new CloseFrameReadResult(CloseFrameError.None, 0, payloadLength, default, default);
                return OperationStatus.DestinationTooSmall;
            }

            Span<byte> unmasked = destination.Slice(0, payloadLength);
            payload.CopyTo(unmasked);
            Mask(unmasked, maskingKey);
            payload = unmasked;
        }

        return ReadPayload(payload, headerLength + payloadLength, out result);
    }

    /// <summary>Reads a close frame received by <paramref name="role"/>, unmasking a client's payload in place in <paramref name="source"/>.</summary>
    /// <param name="source">The received bytes, starting at the frame's first byte; untrusted bytes are fine. A masked payload is overwritten with its unmasked form once the whole frame is there.</param>
    /// <param name="role">The role of the receiving endpoint: a server expects masked frames, a client unmasked ones.</param>
    /// <param name="result">When this method returns, what was found; see each member for when it is set. The reason is a slice of <paramref name="source"/>.</param>
    /// <returns><see cref="OperationStatus.Done"/> for a well-formed frame; <see cref="OperationStatus.NeedMoreData"/> when <paramref name="source"/> ends before the frame does (nothing is consumed or changed); <see cref="OperationStatus.InvalidData"/> for a malformed frame.</returns>
    /// <remarks>Never throws for any <paramref name="source"/> and never allocates. Call it once per frame: a second call would mask the payload again.</remarks>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="role"/> is not a defined value.</exception>
    public static OperationStatus ReadInPlace(Span<byte> source, WebSocketRole role, out CloseFrameReadResult result)
    {
        OperationStatus header = ReadHeader(source, role, out int headerLength, out int payloadLength, out uint maskingKey, out result);
        if (header != OperationStatus.Done)
        {
            return header;
        }

        Span<byte> payload = source.Slice(headerLength, payloadLength);
        if (headerLength > HeaderLength)
        {
            Mask(payload, maskingKey);
        }

        return ReadPayload(payload, headerLength + payloadLength, out result);
    }

    /// <summary>XORs <paramref name="data"/> with a masking key, which both masks and unmasks (RFC 6455 §5.3); usable for any frame.</summary>
    /// <param name="data">The payload bytes, changed in place.</param>
    /// <param name="maskingKey">The masking key; its big-endian bytes are the 4 key bytes on the wire.</param>
    /// <param name="keyOffset">The position of <paramref name="data"/>'s first byte within the frame's payload, for a payload processed in pieces; only its remainder modulo 4 matters.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="keyOffset"/> is negative.</exception>
    public static void Mask(Span<byte> data, uint maskingKey, int keyOffset = 0)
    {
        if (keyOffset < 0)
        {
            Internal.ThrowHelper.ThrowNegative(keyOffset, nameof(keyOffset));
        }

        // The key as it meets the data (data[0] meets key byte keyOffset % 4), twice, to XOR eight bytes at a time.
        // Big-endian reads and writes keep key byte 0 on the first data byte on any machine, and the key stays in a
        // register: an eight-byte stack copy of it cost about 9 ns per call (BenchmarkDotNet, .NET 10).
        uint key = RotateLeft(maskingKey, 8 * (keyOffset & 3));
        ulong wide = ((ulong)key << 32) | key;

        int i = 0;
        for (; data.Length - i >= sizeof(ulong); i += sizeof(ulong))
        {
            Span<byte> chunk = data.Slice(i, sizeof(ulong));
            BinaryPrimitives.WriteUInt64BigEndian(chunk, BinaryPrimitives.ReadUInt64BigEndian(chunk) ^ wide);
        }

        for (; i < data.Length; i++)
        {
            data[i] ^= (byte)(key >> (24 - (8 * (i & 3))));
        }
    }

    private static OperationStatus ReadHeader(ReadOnlySpan<byte> source, WebSocketRole role, out int headerLength, out int payloadLength, out uint maskingKey, out CloseFrameReadResult result)
    {
        bool server = GetHeaderLength(role) == HeaderLength;
        headerLength = 0;
        payloadLength = 0;
        maskingKey = 0;
        if (source.IsEmpty)
        {
            return NeedMore(HeaderLength, out result);
        }

        // Byte 0 (§5.2): FIN, RSV1–3, opcode. Judged as soon as it arrives.
        byte first = source[0];
        CloseFrameError error = (first & 0x80) == 0 ? CloseFrameError.NotFinal
            : (first & 0x70) != 0 ? CloseFrameError.ReservedBitsSet
            : (first & 0x0F) != 0x08 ? CloseFrameError.NotCloseFrame
            : CloseFrameError.None;
        if (error != CloseFrameError.None)
        {
            return Invalid(error, out result);
        }

        if (source.Length < HeaderLength)
        {
            return NeedMore(HeaderLength - source.Length, out result);
        }

        // Byte 1: MASK bit and the 7-bit length; 126 and 127 announce extended lengths, not allowed here (§5.5).
        byte second = source[1];
        bool masked = (second & MaskBit) != 0;
        int length = second & 0x7F;
        if (length > ClosePayload.MaxLength)
        {
            return Invalid(CloseFrameError.ExtendedLength, out result);
        }

        if (masked != server)
        {
            return Invalid(server ? CloseFrameError.MaskMissing : CloseFrameError.UnexpectedMask, out result);
        }

        int header = masked ? HeaderLength + MaskingKeyLength : HeaderLength;
        if (source.Length < header + length)
        {
            return NeedMore(header + length - source.Length, out result);
        }

        headerLength = header;
        payloadLength = length;
        maskingKey = masked ? BinaryPrimitives.ReadUInt32BigEndian(source.Slice(HeaderLength)) : 0;
        result = default;
        return OperationStatus.Done;
    }

    private static OperationStatus ReadPayload(ReadOnlySpan<byte> payload, int frameLength, out CloseFrameReadResult result)
    {
        ClosePayloadError error = ClosePayload.Read(payload, out WebSocketCloseStatus status, out ReadOnlySpan<byte> utf8Reason);
        switch (error)
        {
            case ClosePayloadError.None:
                result = new CloseFrameReadResult(CloseFrameError.None, frameLength, 0, status, utf8Reason);
                return OperationStatus.Done;
            case ClosePayloadError.TooShort:
                return Invalid(CloseFrameError.TooShort, out result);
            case ClosePayloadError.InvalidStatus:
                return Invalid(CloseFrameError.InvalidStatus, out result);
            default:
                // A 7-bit length is never over 125, so TooLong cannot reach here; InvalidUtf8 is left.
                return Invalid(CloseFrameError.InvalidUtf8, out result);
        }
    }

    private static OperationStatus NeedMore(int bytesNeeded, out CloseFrameReadResult result)
    {
        result = new CloseFrameReadResult(CloseFrameError.None, 0, bytesNeeded, default, default);
        return OperationStatus.NeedMoreData;
    }

    private static OperationStatus Invalid(CloseFrameError error, out CloseFrameReadResult result)
    {
        result = new CloseFrameReadResult(error, 0, 0, default, default);
        return OperationStatus.InvalidData;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int GetHeaderLength(WebSocketRole role)
    {
        if ((uint)role > (uint)WebSocketRole.Client)
        {
            Internal.ThrowHelper.ThrowUndefinedEnum(role, nameof(role));
        }

        return role == WebSocketRole.Client ? HeaderLength + MaskingKeyLength : HeaderLength;
    }

    // The payload goes after the header; a destination shorter than the header still lets the payload writer
    // validate its arguments (and throw for caller mistakes) before the write fails.
    private static Span<byte> PayloadArea(Span<byte> destination, int headerLength) =>
        destination.Length >= headerLength ? destination.Slice(headerLength) : Span<byte>.Empty;

    // A client's frame is masked with maskingKey, or with a fresh random key if randomKey is set; a server's is not masked.
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

    private static uint NewMaskingKey()
    {
#if NET8_0_OR_GREATER
        Span<byte> key = stackalloc byte[MaskingKeyLength];
        RandomNumberGenerator.Fill(key);
        return BinaryPrimitives.ReadUInt32BigEndian(key);
#else
        byte[] key = t_keyBuffer ??= new byte[MaskingKeyLength];
        s_random.GetBytes(key);
        return BinaryPrimitives.ReadUInt32BigEndian(key);
#endif
    }

#if NET8_0_OR_GREATER
    private static uint RotateLeft(uint value, int bits) => System.Numerics.BitOperations.RotateLeft(value, bits);
#else
    // C# takes a uint's shift count modulo 32, so bits == 0 gives value | value.
    private static uint RotateLeft(uint value, int bits) => (value << bits) | (value >> (32 - bits));
#endif
}
