using System;
using System.Buffers;
using System.Buffers.Binary;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using WebSockets.CloseStatus.Internal;

namespace WebSockets.CloseStatus;

public static partial class ClosePayload
{
    // "…" (U+2026), appended by CloseReasonTruncation.TruncateWithEllipsis.
    private const string EllipsisString = "\u2026";

    // The longest UTF-8 sequence (RFC 3629 §3).
    private const int MaxSequenceLength = 4;

    // The ellipsis in UTF-8.
    private static ReadOnlySpan<byte> Ellipsis => [0xE2, 0x80, 0xA6];

    // The fast path of TryWrite with truncation: a defined truncation, a sendable status, room for any payload, and no
    // lone surrogate in the part kept. One transcoding pass, as for a reason that fits; only a reason that does not
    // fit pays for its cut. No byte past the payload is left changed (cutting a reason after writing it would leave
    // its tail behind the ellipsis). False leaves the rest to the slow path, which gives the same answer.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool TryWriteCut(Span<byte> destination, WebSocketCloseStatus status, ReadOnlySpan<char> reason, CloseReasonTruncation truncation, out int bytesWritten)
    {
        bytesWritten = 0;
        if (destination.Length < MaxLength || (uint)truncation > (uint)CloseReasonTruncation.TruncateWithEllipsis || !status.IsValidOnWire())
        {
            return false;
        }

        Span<byte> area = destination.Slice(StatusLength, MaxReasonLength);

        // The last bytes an ellipsis can leave behind it, kept as they were in case the reason does not fit.
        byte tail0 = area[EllipsisCut], tail1 = area[EllipsisCut + 1], tail2 = area[EllipsisCut + 2];
        OperationStatus result = Utf16Transcoding.FromUtf16(reason, area, out int read, out int written);
        if (result == OperationStatus.InvalidData)
        {
            return false;
        }

        if (result == OperationStatus.DestinationTooSmall && truncation == CloseReasonTruncation.TruncateWithEllipsis)
        {
            // Back off whole scalars to 120 bytes, put the ellipsis there, and restore what it leaves behind.
            int end = written;
            while (written > EllipsisCut)
            {
                char last = reason[--read];
                int width = last < 0x80 ? 1 : last < 0x800 ? 2 : 3;
                if (char.IsLowSurrogate(last) && read > 0 && char.IsHighSurrogate(reason[read - 1]))
                {
                    read--;
                    width = 4;
                }

                written -= width;
            }

            Ellipsis.CopyTo(area.Slice(written));
            written += Ellipsis.Length;
            RestoreTail(area, written, end, tail0, tail1, tail2);
        }

        BinaryPrimitives.WriteUInt16BigEndian(destination, (ushort)status);
        bytesWritten = StatusLength + written;
        return true;
    }

    // Where an ellipsis starts when the reason does not fit: 120 bytes in, so that the reason ends within 123.
    private const int EllipsisCut = MaxReasonLength - 3;

    // Puts back the bytes of [from, to) in the last three of the reason area, which the first pass wrote past the cut.
    private static void RestoreTail(Span<byte> area, int from, int to, byte tail0, byte tail1, byte tail2)
    {
        for (int i = from; i < to; i++)
        {
            area[i] = (i - EllipsisCut) switch { 0 => tail0, 1 => tail1, _ => tail2 };
        }
    }

    // The rest of TryWrite(char) with a truncation other than None: a caller mistake, a short destination, or a reason to cut.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static bool TryWriteTruncatingSlow(Span<byte> destination, WebSocketCloseStatus status, ReadOnlySpan<char> reason, CloseReasonTruncation truncation, out int bytesWritten)
    {
        ValidateTruncation(truncation);
        Debug.Assert(truncation != CloseReasonTruncation.None, "TryWrite takes TryWriteSlow without truncation.");
        if (!ValidateStatus(status, reason.IsEmpty))
        {
            bytesWritten = 0;
            return true;
        }

        int kept = FitReason(reason, truncation, nameof(reason), out int reasonBytes);
        bool ellipsis = kept < reason.Length && truncation == CloseReasonTruncation.TruncateWithEllipsis;
        int total = StatusLength + reasonBytes + (ellipsis ? Ellipsis.Length : 0);
        if (destination.Length < total)
        {
            bytesWritten = 0;
            return false;
        }

        BinaryPrimitives.WriteUInt16BigEndian(destination, (ushort)status);
        OperationStatus result = Utf16Transcoding.FromUtf16(reason.Slice(0, kept), destination.Slice(StatusLength), out _, out int written);
        Debug.Assert(result == OperationStatus.Done && written == reasonBytes, "The measured prefix transcodes exactly.");
        if (ellipsis)
        {
            Ellipsis.CopyTo(destination.Slice(StatusLength + written));
        }

        bytesWritten = total;
        return true;
    }

    // TryWriteUtf8 with a reason over MaxReasonLength bytes to cut, and a defined truncation other than None.
    private static bool TryWriteUtf8Cut(Span<byte> destination, WebSocketCloseStatus status, ReadOnlySpan<byte> utf8Reason, CloseReasonTruncation truncation, out int bytesWritten)
    {
        // A reason this long is never empty, so the status is either sendable or a caller mistake that throws.
        _ = ValidateStatus(status, reasonIsEmpty: false);

        bool ellipsis = truncation == CloseReasonTruncation.TruncateWithEllipsis;
        int kept = FitUtf8Reason(utf8Reason, ellipsis ? MaxReasonLength - Ellipsis.Length : MaxReasonLength);
        int total = StatusLength + kept + (ellipsis ? Ellipsis.Length : 0);
        if (destination.Length < total)
        {
            bytesWritten = 0;
            return false;
        }

        BinaryPrimitives.WriteUInt16BigEndian(destination, (ushort)status);
        utf8Reason.Slice(0, kept).CopyTo(destination.Slice(StatusLength));
        if (ellipsis)
        {
            Ellipsis.CopyTo(destination.Slice(StatusLength + kept));
        }

        bytesWritten = total;
        return true;
    }

    /// <summary>Cuts a reason to what a close frame holds, for APIs that take the reason as a string, such as <see cref="System.Net.WebSockets.WebSocket.CloseAsync"/>.</summary>
    /// <param name="reason">The closing reason.</param>
    /// <param name="truncation">What to do with a reason over <see cref="MaxReasonLength"/> bytes in UTF-8.</param>
    /// <returns>
    /// <paramref name="reason"/> itself when it fits; otherwise its longest prefix whose UTF-8 form fits in <see cref="MaxReasonLength"/>
    /// bytes, followed by "…" for <see cref="CloseReasonTruncation.TruncateWithEllipsis"/>: exactly the reason that
    /// <see cref="TryWrite(Span{byte}, WebSocketCloseStatus, string?, out int, CloseReasonTruncation)"/> writes.
    /// </returns>
    /// <exception cref="ArgumentNullException"><paramref name="reason"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="truncation"/> is not a defined value.</exception>
    /// <exception cref="ArgumentException"><paramref name="reason"/> has a lone surrogate in the part kept, or is too long and <paramref name="truncation"/> is <see cref="CloseReasonTruncation.None"/>.</exception>
    public static string TruncateReason(string reason, CloseReasonTruncation truncation) =>
        TruncateReason(reason, truncation, nameof(reason));

    // TruncateReason for callers whose own parameter holds the reason, so that exceptions name it.
    internal static string TruncateReason(string reason, CloseReasonTruncation truncation, string paramName)
    {
        if (reason is null)
        {
            ThrowHelper.ThrowArgumentNull(paramName);
        }

        ValidateTruncation(truncation);
        if (truncation == CloseReasonTruncation.None)
        {
            _ = MeasureStrict(reason.AsSpan(), paramName);
            return reason;
        }

        int kept = FitReason(reason.AsSpan(), truncation, paramName, out _);
        if (kept == reason.Length)
        {
            return reason;
        }

        string prefix = reason.Substring(0, kept);
        return truncation == CloseReasonTruncation.TruncateWithEllipsis ? prefix + EllipsisString : prefix;
    }

    private static void ValidateTruncation(CloseReasonTruncation truncation)
    {
        if ((uint)truncation > (uint)CloseReasonTruncation.TruncateWithEllipsis)
        {
            ThrowHelper.ThrowUndefinedEnum(truncation, nameof(truncation));
        }
    }

    /// <summary>The number of chars of <paramref name="reason"/> to write under <paramref name="truncation"/>; throws for a lone surrogate in them.</summary>
    private static int FitReason(ReadOnlySpan<char> reason, CloseReasonTruncation truncation, string paramName, out int reasonBytes)
    {
        int loneSurrogate = Utf16Transcoding.Measure(reason, MaxReasonLength, out int kept, out long bytes);
        if (kept < reason.Length && truncation == CloseReasonTruncation.TruncateWithEllipsis)
        {
            // It does not fit whole: make room for the ellipsis. A lone surrogate past the new cut is dropped, not written.
            loneSurrogate = Utf16Transcoding.Measure(reason, MaxReasonLength - Ellipsis.Length, out kept, out bytes);
        }

        if (loneSurrogate >= 0)
        {
            ThrowHelper.ThrowLoneSurrogate(reason, loneSurrogate, paramName);
        }

        reasonBytes = (int)bytes;
        return kept;
    }

    /// <summary>The number of bytes of a reason over <see cref="MaxReasonLength"/> bytes to keep within <paramref name="budget"/>; throws for ill-formed UTF-8 in them.</summary>
    private static int FitUtf8Reason(ReadOnlySpan<byte> utf8Reason, int budget)
    {
        // The longest well-formed prefix within the budget, which a scalar boundary puts at most 3 bytes before it:
        // a sequence the cut would split, or stray bytes there, are dropped with the rest. Anything ill-formed
        // earlier is in the part that must be written.
        int invalidAt = Utf8Validation.IndexOfInvalid(utf8Reason.Slice(0, budget));
        if (invalidAt < 0)
        {
            return budget;
        }

        if (invalidAt < budget - (MaxSequenceLength - 1))
        {
            ThrowHelper.ThrowInvalidUtf8(invalidAt, nameof(utf8Reason));
        }

        return invalidAt;
    }
}
