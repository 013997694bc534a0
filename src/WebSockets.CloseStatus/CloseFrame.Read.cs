using System;
using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace WebSockets.CloseStatus;

public static partial class CloseFrame
{
    /// <summary>Tells whether <paramref name="source"/> starts with a close frame (opcode 0x8, RFC 6455 §5.2, §11.8), before its bytes are handed to a close-frame reader.</summary>
    /// <param name="source">The received bytes, starting at a frame's first byte.</param>
    /// <returns><see langword="true"/> if the first byte's opcode is close (0x8); <see langword="false"/> for another opcode or an empty <paramref name="source"/>.</returns>
    /// <remarks>Only the opcode is looked at: a close frame with FIN clear or reserved bits set is still one, and a reader reports it malformed.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsCloseFrame(ReadOnlySpan<byte> source) =>
        !source.IsEmpty && (source[0] & OpcodeMask) == CloseOpcode;

    /// <summary>Tells whether a sequence, such as a <c>PipeReader</c>'s buffer, starts with a close frame (opcode 0x8, RFC 6455 §5.2, §11.8).</summary>
    /// <param name="source">The received bytes, starting at a frame's first byte; empty leading segments are skipped.</param>
    /// <returns><see langword="true"/> if the first byte's opcode is close (0x8); <see langword="false"/> for another opcode or an empty <paramref name="source"/>.</returns>
    /// <remarks>Only the opcode is looked at, as in <see cref="IsCloseFrame(ReadOnlySpan{byte})"/>. The first byte is the first byte of the first non-empty segment, not <c>FirstSpan[0]</c>.</remarks>
    public static bool IsCloseFrame(in ReadOnlySequence<byte> source)
    {
        foreach (ReadOnlyMemory<byte> segment in source)
        {
            if (!segment.IsEmpty)
            {
                return IsCloseFrame(segment.Span);
            }
        }

        return false;
    }

    /// <summary>Reads a close frame received by <paramref name="role"/>, copying its reason, unmasked, into <paramref name="destination"/>.</summary>
    /// <param name="source">The received bytes, starting at the frame's first byte; untrusted bytes are fine. Bytes after the frame are ignored.</param>
    /// <param name="role">The role of the receiving endpoint: a server expects masked frames, a client unmasked ones.</param>
    /// <param name="destination">The buffer that receives the UTF-8 reason, from its start (<see cref="ClosePayload.MaxReasonLength"/> bytes always suffice); the result gives its length, so it can be kept across an <see langword="await"/>.</param>
    /// <param name="result">When this method returns, what was found; see each member for when it is set. The reason is <paramref name="destination"/>'s first <see cref="CloseFrameReadResult.ReasonLength"/> bytes.</param>
    /// <param name="mode">Which status codes to accept: <see cref="ClosePayloadReadMode.Strict"/>, those valid on the wire today, unless set.</param>
    /// <returns><see cref="OperationStatus.Done"/> for a well-formed frame; <see cref="OperationStatus.NeedMoreData"/> when <paramref name="source"/> ends before the frame does (nothing is consumed); <see cref="OperationStatus.DestinationTooSmall"/> when the reason does not fit in <paramref name="destination"/>; <see cref="OperationStatus.InvalidData"/> for a malformed frame.</returns>
    /// <remarks>Never throws for any <paramref name="source"/> and never allocates. Each check runs as soon as its bytes have arrived: the first byte, then the second (length, mask bit), then the payload by the rules of <see cref="ClosePayload.ReadUtf8(ReadOnlySpan{byte}, out WebSocketCloseStatus, out ReadOnlySpan{byte}, ClosePayloadReadMode)"/>.</remarks>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="role"/> or <paramref name="mode"/> is not a defined value.</exception>
    public static OperationStatus Read(ReadOnlySpan<byte> source, WebSocketRole role, Span<byte> destination, out CloseFrameReadResult result, ClosePayloadReadMode mode = ClosePayloadReadMode.Strict) =>
        ReadSpan(source, role, IsLenient(mode), destination, out result);

    /// <summary>Reads a close frame that may span several segments, such as a <c>PipeReader</c>'s buffer.</summary>
    /// <param name="source">The received bytes, starting at the frame's first byte; untrusted bytes are fine. Bytes after the frame are ignored.</param>
    /// <param name="role">The role of the receiving endpoint: a server expects masked frames, a client unmasked ones.</param>
    /// <param name="destination">The buffer that receives the UTF-8 reason, unmasked, from its start; <see cref="ClosePayload.MaxReasonLength"/> bytes always suffice.</param>
    /// <param name="result">When this method returns, what was found; see each member for when it is set. The reason is <paramref name="destination"/>'s first <see cref="CloseFrameReadResult.ReasonLength"/> bytes.</param>
    /// <param name="mode">Which status codes to accept: <see cref="ClosePayloadReadMode.Strict"/>, those valid on the wire today, unless set.</param>
    /// <returns>
    /// What <see cref="Read(ReadOnlySpan{byte}, WebSocketRole, Span{byte}, out CloseFrameReadResult, ClosePayloadReadMode)"/> returns for the same bytes,
    /// however they are split into segments, with the same <see cref="CloseFrameReadResult.BytesConsumed"/> and
    /// <see cref="CloseFrameReadResult.BytesNeeded"/>.
    /// </returns>
    /// <remarks>Never throws for any <paramref name="source"/> and never allocates. After <see cref="OperationStatus.Done"/>, advance the reader by <see cref="CloseFrameReadResult.BytesConsumed"/>; after <see cref="OperationStatus.NeedMoreData"/>, by nothing.</remarks>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="role"/> or <paramref name="mode"/> is not a defined value.</exception>
    public static OperationStatus Read(scoped in ReadOnlySequence<byte> source, WebSocketRole role, Span<byte> destination, out CloseFrameReadResult result, ClosePayloadReadMode mode = ClosePayloadReadMode.Strict) =>
        ReadSequence(source, role, IsLenient(mode), destination, out result);

    /// <summary>Reads a close frame received by <paramref name="role"/>, unmasking a client's payload in place in <paramref name="source"/>.</summary>
    /// <param name="source">The received bytes, starting at the frame's first byte; untrusted bytes are fine. A masked payload is overwritten with its unmasked form once the whole frame is there.</param>
    /// <param name="role">The role of the receiving endpoint: a server expects masked frames, a client unmasked ones.</param>
    /// <param name="result">When this method returns, what was found; see each member for when it is set. The reason is in <paramref name="source"/>, at <see cref="CloseFrameReadResult.ReasonOffset"/>.</param>
    /// <param name="mode">Which status codes to accept: <see cref="ClosePayloadReadMode.Strict"/>, those valid on the wire today, unless set.</param>
    /// <returns><see cref="OperationStatus.Done"/> for a well-formed frame; <see cref="OperationStatus.NeedMoreData"/> when <paramref name="source"/> ends before the frame does (nothing is consumed or changed); <see cref="OperationStatus.InvalidData"/> for a malformed frame.</returns>
    /// <remarks>Never throws for any <paramref name="source"/> and never allocates. Call it once per frame: a second call would mask the payload again.</remarks>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="role"/> or <paramref name="mode"/> is not a defined value.</exception>
    public static OperationStatus ReadInPlace(Span<byte> source, WebSocketRole role, out CloseFrameReadResult result, ClosePayloadReadMode mode = ClosePayloadReadMode.Strict) =>
        ReadInPlaceCore(source, role, IsLenient(mode), out result);

    private static OperationStatus ReadSpan(scoped ReadOnlySpan<byte> source, WebSocketRole role, bool lenient, Span<byte> destination, out CloseFrameReadResult result)
    {
        OperationStatus header = ReadHeader(source, role, out int headerLength, out int payloadLength, out uint maskingKey, out result);
        if (header != OperationStatus.Done)
        {
            return header;
        }

        // The header ruled out a 1-byte payload: there is a status exactly when there is a payload.
        int reasonLength = Math.Max(payloadLength - StatusLength, 0);
        if (destination.Length < reasonLength)
        {
            return DestinationTooSmall(reasonLength, out result);
        }

        // The status and the reason are unmasked apart: the reason lands at the destination's start, the status needs no copy.
        ReadOnlySpan<byte> payload = source.Slice(headerLength, payloadLength);
        Span<byte> reason = destination.Slice(0, reasonLength);
        payload.Slice(payloadLength - reasonLength).CopyTo(reason);
        if (headerLength > HeaderLength)
        {
            Mask(reason, maskingKey, StatusLength);
        }

        int code = payloadLength == 0 ? -1 : BinaryPrimitives.ReadUInt16BigEndian(payload) ^ (int)(maskingKey >> 16);
        return ReadPayload(code, reason, lenient, headerLength + payloadLength, reasonOffset: 0, out result);
    }

    private static OperationStatus ReadSequence(scoped in ReadOnlySequence<byte> source, WebSocketRole role, bool lenient, Span<byte> destination, out CloseFrameReadResult result)
    {
        if (source.IsSingleSegment)
        {
            return ReadSpan(source.First.Span, role, lenient, destination, out result);
        }

        // A frame is at most MaxLength bytes: a multi-segment source is gathered on the stack, and only that far.
        Span<byte> gathered = stackalloc byte[MaxLength];
        int length = (int)Math.Min(source.Length, MaxLength);
        source.Slice(0, length).CopyTo(gathered);
        return ReadSpan(gathered.Slice(0, length), role, lenient, destination, out result);
    }

    private static OperationStatus ReadInPlaceCore(Span<byte> source, WebSocketRole role, bool lenient, out CloseFrameReadResult result)
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

        int code = payloadLength == 0 ? -1 : BinaryPrimitives.ReadUInt16BigEndian(payload);
        return ReadPayload(code, payload.Slice(Math.Min(payloadLength, StatusLength)), lenient, headerLength + payloadLength, headerLength + StatusLength, out result);
    }

    private static OperationStatus ReadHeader(scoped ReadOnlySpan<byte> source, WebSocketRole role, out int headerLength, out int payloadLength, out uint maskingKey, out CloseFrameReadResult result)
    {
        bool server = GetHeaderLength(role) == HeaderLength;
        headerLength = 0;
        payloadLength = 0;
        maskingKey = 0;
        if (source.IsEmpty)
        {
            return NeedMore(HeaderLength, out result);
        }

        // Byte 0 (§5.2): FIN, RSV1–3, opcode. Judged as soon as it arrives; a data frame or fragment is no close
        // frame whatever its other bits say.
        byte first = source[0];
        CloseFrameError error = (first & OpcodeMask) != CloseOpcode ? CloseFrameError.NotCloseFrame
            : (first & 0x80) == 0 ? CloseFrameError.NotFinal
            : (first & 0x70) != 0 ? CloseFrameError.ReservedBitsSet
            : CloseFrameError.None;
        if (error != CloseFrameError.None)
        {
            return Invalid(error, out result);
        }

        if (source.Length < HeaderLength)
        {
            return NeedMore(HeaderLength - source.Length, out result);
        }

        // Byte 1: MASK bit and the 7-bit length; 126 and 127 announce extended lengths, not allowed here (§5.5),
        // and a 1-byte payload cannot hold a status code (§5.5.1): both are known before the payload arrives.
        byte second = source[1];
        bool masked = (second & MaskBit) != 0;
        int length = second & 0x7F;
        if (length > ClosePayload.MaxLength)
        {
            return Invalid(CloseFrameError.TooLong, out result);
        }

        if (masked != server)
        {
            return Invalid(server ? CloseFrameError.MaskMissing : CloseFrameError.UnexpectedMask, out result);
        }

        if (length == 1)
        {
            return Invalid(CloseFrameError.TooShort, out result);
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

    /// <summary>The payload's checks after its length (§5.5.1, §7.4, §8.1): <paramref name="code"/> is -1 for an empty payload, reported as 1005 (§7.1.5).</summary>
    private static OperationStatus ReadPayload(int code, ReadOnlySpan<byte> reason, bool lenient, int frameLength, int reasonOffset, out CloseFrameReadResult result)
    {
        if (code < 0)
        {
            result = new CloseFrameReadResult(CloseFrameError.None, frameLength, 0, 0, WebSocketCloseStatus.Empty, 0, 0);
            return OperationStatus.Done;
        }

        CloseFrameError error = ClosePayload.CheckStatusAndReason((WebSocketCloseStatus)code, reason, lenient);
        if (error != CloseFrameError.None)
        {
            return Invalid(error, out result);
        }

        result = new CloseFrameReadResult(CloseFrameError.None, frameLength, 0, 0, (WebSocketCloseStatus)code, reasonOffset, reason.Length);
        return OperationStatus.Done;
    }

    private static OperationStatus NeedMore(int bytesNeeded, out CloseFrameReadResult result)
    {
        result = new CloseFrameReadResult(CloseFrameError.None, 0, bytesNeeded, 0, default, 0, 0);
        return OperationStatus.NeedMoreData;
    }

    private static OperationStatus DestinationTooSmall(int reasonLength, out CloseFrameReadResult result)
    {
        result = new CloseFrameReadResult(CloseFrameError.None, 0, 0, reasonLength, default, 0, 0);
        return OperationStatus.DestinationTooSmall;
    }

    private static OperationStatus Invalid(CloseFrameError error, out CloseFrameReadResult result)
    {
        result = new CloseFrameReadResult(error, 0, 0, 0, default, 0, 0);
        return OperationStatus.InvalidData;
    }
}
