using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace WebSockets.CloseStatus.Fuzz;

/// <summary>
/// What a truncating writer must do, worked out from RFC 6455 and the documented contract alone, without the library:
/// the payload it writes, or why the call is a caller mistake.
/// </summary>
internal sealed record Model(byte[]? Payload, int Dropped, string Mistake)
{
    private const int MaxReason = 123;
    private static readonly byte[] s_ellipsis = [0xE2, 0x80, 0xA6];

    public static Model ForChars(WebSocketCloseStatus status, string reason, CloseReasonTruncation truncation)
    {
        if (Precheck(status, reason.Length == 0, truncation) is { } early)
        {
            return early;
        }

        // Scalars with their UTF-8 widths; a lone surrogate is 3 bytes wide (U+FFFD's size) and may only be dropped.
        var scalars = new List<(int Chars, int Width, bool Lone)>();
        for (int i = 0; i < reason.Length;)
        {
            char c = reason[i];
            if (char.IsHighSurrogate(c) && i + 1 < reason.Length && char.IsLowSurrogate(reason[i + 1]))
            {
                scalars.Add((2, 4, false));
                i += 2;
                continue;
            }

            scalars.Add((1, c < 0x80 ? 1 : c < 0x800 ? 2 : 3, char.IsSurrogate(c)));
            i++;
        }

        int total = scalars.Sum(s => s.Width);
        int keptScalars = scalars.Count;
        bool cut = total > MaxReason;
        if (cut)
        {
            if (truncation == CloseReasonTruncation.None)
            {
                return Fail($"the reason is {total} bytes");
            }

            int budget = truncation == CloseReasonTruncation.TruncateWithEllipsis ? MaxReason - 3 : MaxReason;
            int bytes = 0;
            keptScalars = 0;
            while (keptScalars < scalars.Count && bytes + scalars[keptScalars].Width <= budget)
            {
                bytes += scalars[keptScalars++].Width;
            }
        }

        if (scalars.Take(keptScalars).Any(s => s.Lone))
        {
            return Fail("a lone surrogate in the part written");
        }

        int keptChars = scalars.Take(keptScalars).Sum(s => s.Chars);
        byte[] utf8 = Encoding.UTF8.GetBytes(reason[..keptChars]);
        return Success(status, utf8, cut && truncation == CloseReasonTruncation.TruncateWithEllipsis, reason.Length - keptChars);
    }

    public static Model ForBytes(WebSocketCloseStatus status, byte[] reason, CloseReasonTruncation truncation)
    {
        if (Precheck(status, reason.Length == 0, truncation) is { } early)
        {
            return early;
        }

        if (reason.Length <= MaxReason)
        {
            return FirstInvalid(reason) < 0 ? Success(status, reason, false, 0) : Fail("ill-formed UTF-8");
        }

        if (truncation == CloseReasonTruncation.None)
        {
            return Fail($"the reason is {reason.Length} bytes");
        }

        // The longest well-formed prefix within the budget; a scalar boundary is never more than 3 bytes before the cut.
        int budget = truncation == CloseReasonTruncation.TruncateWithEllipsis ? MaxReason - 3 : MaxReason;
        int invalid = FirstInvalid(reason.AsSpan(0, budget));
        int kept = invalid < 0 ? budget : invalid;
        if (kept < budget - 3)
        {
            return Fail($"ill-formed UTF-8 at byte {invalid}, in the part written");
        }

        return Success(status, reason[..kept], truncation == CloseReasonTruncation.TruncateWithEllipsis, reason.Length - kept);
    }

    private static Model? Precheck(WebSocketCloseStatus status, bool reasonIsEmpty, CloseReasonTruncation truncation)
    {
        if ((int)truncation > 2)
        {
            return Fail("an undefined truncation");
        }

        // RFC 6455 §7.4.1 and the IANA registry: 1000–1003, 1007–1014 and 3000–4999 may be sent.
        int code = (int)status;
        bool sendable = code is (>= 1000 and <= 1003) or (>= 1007 and <= 1014) or (>= 3000 and <= 4999);
        if (sendable)
        {
            return null;
        }

        return code == 1005 && reasonIsEmpty ? new Model([], 0, "") : Fail($"{code} must not be sent");
    }

    private static Model Success(WebSocketCloseStatus status, byte[] reason, bool ellipsis, int dropped) =>
        new([(byte)((int)status >> 8), (byte)status, .. reason, .. ellipsis ? s_ellipsis : []], dropped, "");

    private static Model Fail(string mistake) => new(null, 0, mistake);

    // The start of the first ill-formed sequence (RFC 3629 §4), decoding code points the plain way; -1 if none.
    private static int FirstInvalid(ReadOnlySpan<byte> bytes)
    {
        int i = 0;
        while (i < bytes.Length)
        {
            byte b = bytes[i];
            int length = b < 0x80 ? 1 : b >= 0xC0 && b < 0xE0 ? 2 : b >= 0xE0 && b < 0xF0 ? 3 : b >= 0xF0 && b < 0xF8 ? 4 : 0;
            if (length == 0 || i + length > bytes.Length)
            {
                return i;
            }

            int scalar = length == 1 ? b : b & (0xFF >> (length + 1));
            for (int k = 1; k < length; k++)
            {
                if ((bytes[i + k] & 0xC0) != 0x80)
                {
                    return i;
                }

                scalar = (scalar << 6) | (bytes[i + k] & 0x3F);
            }

            int least = length switch { 1 => 0, 2 => 0x80, 3 => 0x800, _ => 0x10000 };
            if (scalar < least || scalar > 0x10FFFF || scalar is >= 0xD800 and <= 0xDFFF)
            {
                return i;
            }

            i += length;
        }

        return -1;
    }
}
