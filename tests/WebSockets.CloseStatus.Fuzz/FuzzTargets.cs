using System;
using System.Buffers;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;
using System.Linq;
using System.Text;

namespace WebSockets.CloseStatus.Fuzz;

/// <summary>
/// The fuzz targets: each takes any bytes and throws <see cref="FuzzFailureException"/> when the library breaks a promise.
/// The unit tests run them too (on the seed corpus and on every crash ever found), so the harness is tested code.
/// </summary>
public static partial class FuzzTargets
{
    private static readonly Dictionary<string, Action<byte[]>> s_targets = new(StringComparer.Ordinal)
    {
        ["payload"] = Payload,
        ["frame"] = Frame,
        ["write"] = Write,
        ["handshake"] = Handshake,
    };

    public static IEnumerable<string> Names => s_targets.Keys;

    public static bool TryGet(string name, [NotNullWhen(true)] out Action<byte[]>? target) => s_targets.TryGetValue(name, out target);

    /// <summary>Payload reads: span and multi-segment verdicts agree in both modes, Read (string) agrees with ReadUtf8, and a valid payload re-encodes to itself through every writer.</summary>
    public static void Payload(byte[] data)
    {
        foreach (ClosePayloadReadMode mode in new[] { ClosePayloadReadMode.Strict, ClosePayloadReadMode.Lenient })
        {
            CloseFrameError error = ClosePayload.ReadUtf8(data, out WebSocketCloseStatus status, out ReadOnlySpan<byte> reason, mode);
            CloseFrameError sequenceError = ClosePayload.ReadUtf8(Split(data), out WebSocketCloseStatus sequenceStatus, out ReadOnlySequence<byte> sequenceReason, mode);
            Check(sequenceError == error && sequenceStatus == status && sequenceReason.ToArray().AsSpan().SequenceEqual(reason),
                $"{mode}: span read {error}/{(int)status}, sequence read {sequenceError}/{(int)sequenceStatus}");
            Check(error != CloseFrameError.None || reason.Length == Math.Max(0, data.Length - 2), "the reason is the rest of the payload");
        }

        CloseFrameError strict = ClosePayload.ReadUtf8(data, out WebSocketCloseStatus code, out ReadOnlySpan<byte> utf8Reason);
        CloseFrameError decodedError = ClosePayload.Read(data, out WebSocketCloseStatus decodedStatus, out string decoded);
        Check(decodedError == strict, $"Read said {decodedError}, ReadUtf8 said {strict}");
        if (strict != CloseFrameError.None)
        {
            Check(decodedStatus == default && decoded.Length == 0, "Read gives no status and an empty reason on error");
            return;
        }

        Check(decodedStatus == code && decoded == Encoding.UTF8.GetString(utf8Reason), "Read decodes what ReadUtf8 found");
        Check((code == WebSocketCloseStatus.Empty) == (data.Length == 0), "1005 stands exactly for the empty payload");

        // Re-encode through every writer: the same bytes (1005 ↔ empty).
        byte[] buffer = new byte[ClosePayload.MaxLength];
        Check(ClosePayload.TryWriteUtf8(buffer, code, utf8Reason, out int written) && buffer.AsSpan(0, written).SequenceEqual(data), "TryWrite(UTF-8) re-encodes");
        Check(ClosePayload.TryWrite(buffer, code, decoded, out written) && buffer.AsSpan(0, written).SequenceEqual(data), "TryWrite(string) re-encodes");
        Check(ClosePayload.TryWrite(buffer, code, decoded, out written, CloseReasonTruncation.TruncateWithEllipsis)
            && buffer.AsSpan(0, written).SequenceEqual(data), "TryWrite(string, truncation) re-encodes");
        Check(ClosePayload.TryWriteUtf8(buffer, code, utf8Reason, out written, CloseReasonTruncation.Truncate)
            && buffer.AsSpan(0, written).SequenceEqual(data), "TryWriteUtf8(truncation) re-encodes");
        Check(ClosePayload.Create(code, decoded).AsSpan().SequenceEqual(data), "Create re-encodes");
        var writer = new ArrayBufferWriter<byte>();
        CloseFrame.WriteUtf8(writer, WebSocketRole.Server, code, utf8Reason);
        Check(writer.WrittenSpan.Slice(2).SequenceEqual(data), "WriteUtf8(IBufferWriter) re-encodes");
        Check(ClosePayload.GetByteCount(code, decoded) == data.Length, "GetByteCount is the payload length");
    }

    /// <summary>Frame reads in both roles: Read, ReadInPlace and the sequence reader agree; no prefix is Done early or says another error; BytesNeeded is exact; IsCloseFrame agrees with the readers.</summary>
    public static void Frame(byte[] data)
    {
        // IsCloseFrame looks at the opcode alone, the same on a span and on segments (empty ones first among them).
        bool isClose = CloseFrame.IsCloseFrame(data);
        Check(isClose == (data.Length > 0 && (data[0] & 0x0F) == 0x8), $"IsCloseFrame said {isClose}");
        Check(CloseFrame.IsCloseFrame(Split(data)) == isClose && CloseFrame.IsCloseFrame(Sequences.Of(ReadOnlyMemory<byte>.Empty, ReadOnlyMemory<byte>.Empty, data)) == isClose, "IsCloseFrame of a sequence agrees with the span");
        CloseFrame.Read(data, WebSocketRole.Server, new byte[ClosePayload.MaxLength], out CloseFrameReadResult first);
        Check(data.Length == 0 || isClose == (first.Error != CloseFrameError.NotCloseFrame), $"IsCloseFrame said {isClose}, the reader {first.Error}");

        foreach (WebSocketRole role in new[] { WebSocketRole.Server, WebSocketRole.Client })
        {
            byte[] destination = new byte[ClosePayload.MaxLength];
            OperationStatus full = CloseFrame.Read(data, role, destination, out CloseFrameReadResult result);
            Snapshot expected = new(full, result, destination);
            Check(full != OperationStatus.Done || result.ReasonOffset == 0, $"{role}: Read's reason starts at {result.ReasonOffset}, not at the destination's start");

            // The reason in place follows the header and the status; its bytes are the same as those Read copied out.
            byte[] inPlace = (byte[])data.Clone();
            OperationStatus inPlaceStatus = CloseFrame.ReadInPlace(inPlace, role, out CloseFrameReadResult inPlaceResult);
            Check(new Snapshot(inPlaceStatus, inPlaceResult, inPlace) == expected, $"{role}: ReadInPlace {new Snapshot(inPlaceStatus, inPlaceResult, inPlace)}, Read {expected}");
            Check(inPlaceStatus != OperationStatus.Done || inPlaceResult.ReasonLength == 0 || inPlaceResult.ReasonOffset == inPlaceResult.BytesConsumed - inPlaceResult.ReasonLength,
                $"{role}: ReadInPlace's reason at {inPlaceResult.ReasonOffset} does not end the {inPlaceResult.BytesConsumed}-byte frame");

            // A destination of exactly the reason's length suffices, one byte less does not, and no byte past the reason is written.
            byte[] sequenceDestination = new byte[ClosePayload.MaxLength + 1];
            sequenceDestination.AsSpan().Fill(0xA5);
            OperationStatus sequenceStatus = CloseFrame.Read(Split(data), role, sequenceDestination, out CloseFrameReadResult sequenceResult);
            Check(new Snapshot(sequenceStatus, sequenceResult, sequenceDestination) == expected, $"{role}: sequence read {new Snapshot(sequenceStatus, sequenceResult, sequenceDestination)}, span read {expected}");
            if (full == OperationStatus.Done)
            {
                Check(sequenceDestination.AsSpan(result.ReasonLength).IndexOfAnyExcept((byte)0xA5) < 0, $"{role}: the read wrote past the {result.ReasonLength}-byte reason");
                Check(CloseFrame.Read(data, role, new byte[result.ReasonLength], out _) == OperationStatus.Done, $"{role}: a destination of the reason's length");
                Check(result.ReasonLength == 0 || (CloseFrame.Read(data, role, new byte[result.ReasonLength - 1], out CloseFrameReadResult small) == OperationStatus.DestinationTooSmall
                    && small.DestinationLengthNeeded == result.ReasonLength), $"{role}: a destination one byte short of the {result.ReasonLength}-byte reason");
            }

            int end = full == OperationStatus.Done ? result.BytesConsumed : data.Length;
            for (int length = 0; length < end; length++)
            {
                OperationStatus prefix = CloseFrame.Read(data.AsSpan(0, length), role, new byte[ClosePayload.MaxLength], out CloseFrameReadResult prefixResult);
                if (prefix == OperationStatus.NeedMoreData)
                {
                    int needed = prefixResult.BytesNeeded;
                    Check(needed > 0, $"{role}: a {length}-byte prefix needs {needed} bytes");
                    Check(full != OperationStatus.Done || needed == (length < 2 ? 2 - length : result.BytesConsumed - length),
                        $"{role}: a {length}-byte prefix of a {result.BytesConsumed}-byte frame needs {needed} bytes");
                    CheckNeededIsExact(data.AsSpan(0, length), role, needed);
                    continue;
                }

                Check(prefix == OperationStatus.InvalidData && full == OperationStatus.InvalidData && prefixResult.Error == result.Error,
                    $"{role}: a {length}-byte prefix says {prefix}/{prefixResult.Error}, the whole input {full}/{result.Error}");
            }

            if (full == OperationStatus.NeedMoreData)
            {
                CheckNeededIsExact(data, role, result.BytesNeeded);
            }

            if (full == OperationStatus.Done)
            {
                Check(result.BytesConsumed >= 2 && result.BytesConsumed <= CloseFrame.MaxLength, $"{role}: {result.BytesConsumed} bytes consumed");
                Check(ClosePayload.ReadUtf8(PayloadOf(data, result.BytesConsumed), out WebSocketCloseStatus status, out _) == CloseFrameError.None && status == result.Status,
                    $"{role}: the frame's payload reads as {(int)result.Status} on its own");
            }
        }
    }

    /// <summary>
    /// Writers, from a status, a truncation mode, a destination size and a reason (chars with any surrogates, or
    /// bytes): only ArgumentException-family exceptions, exactly when an independent model says the call is a caller
    /// mistake, and on success exactly the model's payload: the longest allowed prefix, never a split scalar.
    /// </summary>
    public static void Write(byte[] data)
    {
        if (data.Length < 4)
        {
            return;
        }

        var status = (WebSocketCloseStatus)BinaryPrimitives.ReadUInt16BigEndian(data);
        var truncation = (CloseReasonTruncation)(data[2] & 3);
        bool chars = (data[2] & 4) != 0;
        bool frame = (data[2] & 8) != 0;
        int destinationLength = data[3] % (CloseFrame.MaxLength + 10);
        byte[] reasonBytes = data[4..];
        string reasonChars = new(Utf16.FromPairs(reasonBytes));

        Model model = chars ? Model.ForChars(status, reasonChars, truncation) : Model.ForBytes(status, reasonBytes, truncation);
        byte[] destination = new byte[destinationLength];
        bool written;
        int bytesWritten;
        try
        {
            written = (chars, frame) switch
            {
                (true, false) => ClosePayload.TryWrite(destination, status, reasonChars, out bytesWritten, truncation),
                (false, false) => ClosePayload.TryWriteUtf8(destination, status, reasonBytes, out bytesWritten, truncation),
                (true, true) => CloseFrame.TryWrite(destination, WebSocketRole.Server, status, reasonChars, out bytesWritten, truncation),
                (false, true) => CloseFrame.TryWriteMaskedUtf8(destination, 0x5A5A5A5Au, status, reasonBytes, out bytesWritten, truncation),
            };
        }
        catch (ArgumentException e)
        {
            Check(model.Payload is null, $"threw {e.GetType().Name} ({e.Message}), but the model writes {Hex(model.Payload)}");
            return;
        }

        Check(model.Payload is not null, $"wrote, but the model says the call is a mistake: {model.Mistake}");
        byte[] payload = model.Payload!;
        int header = frame ? (chars ? 2 : 6) : 0;
        if (!written)
        {
            Check(destinationLength < header + payload.Length && bytesWritten == 0, $"false with room for {header + payload.Length} bytes in {destinationLength}");
            return;
        }

        Check(bytesWritten == header + payload.Length, $"wrote {bytesWritten} bytes, the model {header + payload.Length}");
        byte[] actual = destination[header..bytesWritten];
        if (frame && !chars)
        {
            CloseFrame.Mask(actual, 0x5A5A5A5Au);
        }

        Check(actual.AsSpan().SequenceEqual(payload), $"wrote {Hex(actual)}, the model {Hex(payload)}");
    }

    private static void CheckNeededIsExact(ReadOnlySpan<byte> prefix, WebSocketRole role, int needed)
    {
        // The least number of bytes: one fewer still needs more, that many end the wait once the header is known. The padding continues a close
        // frame's header for the role (FIN | close, then the mask bit and length 0) and is zeros after it.
        byte[] padded = [.. prefix, .. new byte[needed]];
        byte[] skeleton = [0x88, (byte)(role == WebSocketRole.Server ? 0x80 : 0x00)];
        for (int i = prefix.Length; i < Math.Min(2, padded.Length); i++)
        {
            padded[i] = skeleton[i];
        }

        OperationStatus fewer = CloseFrame.Read(padded.AsSpan(0, padded.Length - 1), role, new byte[ClosePayload.MaxLength], out _);
        OperationStatus enough = CloseFrame.Read(padded, role, new byte[ClosePayload.MaxLength], out _);
        Check(needed == 1 || fewer == OperationStatus.NeedMoreData, $"{role}: {needed - 1} of {needed} needed bytes already ended the wait");
        // Before the 2-byte header is complete, the length byte may reveal that a masking key and a payload follow.
        Check(enough != OperationStatus.NeedMoreData || prefix.Length < 2, $"{role}: {needed} needed bytes did not end the wait");
    }

    private static byte[] PayloadOf(byte[] frame, int length)
    {
        bool masked = (frame[1] & 0x80) != 0;
        byte[] payload = frame[(masked ? 6 : 2)..length];
        if (masked)
        {
            CloseFrame.Mask(payload, BinaryPrimitives.ReadUInt32BigEndian(frame.AsSpan(2)));
        }

        return payload;
    }

    // Three segments, split where the input's own first bytes say, so that the fuzzer explores the split points too.
    private static ReadOnlySequence<byte> Split(byte[] data)
    {
        if (data.Length < 2)
        {
            return new ReadOnlySequence<byte>(data);
        }

        int first = data[0] % (data.Length + 1);
        int second = first + (data[1] % (data.Length - first + 1));
        return Sequences.Of(data.AsMemory(0, first), data.AsMemory(first, second - first), data.AsMemory(second));
    }

    private static void Check([DoesNotReturnIf(false)] bool condition, string what)
    {
        if (!condition)
        {
            throw new FuzzFailureException(what);
        }
    }

    private static string Hex(byte[]? bytes) => bytes is null ? "(nothing)" : Convert.ToHexString(bytes);

    private static class Utf16
    {
        // Little-endian UTF-16 code units from pairs of bytes, any surrogates included; an odd last byte is ignored.
        public static char[] FromPairs(byte[] bytes) =>
            [.. Enumerable.Range(0, bytes.Length / 2).Select(i => (char)(bytes[2 * i] | (bytes[(2 * i) + 1] << 8)))];
    }

    private readonly record struct Snapshot(OperationStatus Status, CloseFrameError Error, int Consumed, int Needed, int DestinationNeeded, WebSocketCloseStatus Code, string Reason)
    {
        public Snapshot(OperationStatus status, CloseFrameReadResult result, byte[] buffer)
            : this(status, result.Error, result.BytesConsumed, result.BytesNeeded, result.DestinationLengthNeeded, result.Status, Convert.ToHexString(buffer.AsSpan(result.ReasonOffset, result.ReasonLength)))
        {
        }
    }
}
