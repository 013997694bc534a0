using System;

namespace WebSockets.CloseStatus.Tests.TestData;

/// <summary>
/// An independent judge of close frames and close payloads for the fuzz soak, written from RFC 6455 §5.2–5.5, §7.4
/// and RFC 3629 §3–4. It decodes UTF-8 to code points and judges the values (overlong, surrogate, above U+10FFFF),
/// where the library checks byte ranges, and it throws nothing, so it is fast enough for millions of cases.
/// </summary>
public static class FrameOracle
{
    public static (CloseFrameError Error, int Code) ReadPayload(ReadOnlySpan<byte> payload)
    {
        if (payload.Length == 0)
        {
            return (CloseFrameError.None, 1005);
        }

        if (payload.Length == 1)
        {
            return (CloseFrameError.TooShort, 0);
        }

        if (payload.Length > 125)
        {
            return (CloseFrameError.TooLong, 0);
        }

        int code = (payload[0] << 8) | payload[1];
        if (!Rfc6455.OracleValidOnWire(code))
        {
            return (CloseFrameError.InvalidStatus, 0);
        }

        return IsWellFormedUtf8(payload[2..]) ? (CloseFrameError.None, code) : (CloseFrameError.InvalidUtf8, 0);
    }

    /// <summary>Judges a complete frame as a receiver in <paramref name="role"/>; null means "incomplete".</summary>
    public static (CloseFrameError Error, int Code, int Length)? ReadFrame(ReadOnlySpan<byte> frame, WebSocketRole role)
    {
        if (frame.Length == 0)
        {
            return null;
        }

        // A data frame or a fragment of one is no close frame, whatever FIN and RSV say (RFC 6455 §5.2, §5.5.1).
        byte first = frame[0];
        if ((first & 0x0F) != 8)
        {
            return (CloseFrameError.NotCloseFrame, 0, 0);
        }

        if ((first & 0x80) == 0)
        {
            return (CloseFrameError.NotFinal, 0, 0);
        }

        if ((first & 0x70) != 0)
        {
            return (CloseFrameError.ReservedBitsSet, 0, 0);
        }

        if (frame.Length < 2)
        {
            return null;
        }

        int length = frame[1] & 0x7F;
        bool masked = (frame[1] & 0x80) != 0;
        if (length >= 126)
        {
            return (CloseFrameError.TooLong, 0, 0);
        }

        if (role == WebSocketRole.Server && !masked)
        {
            return (CloseFrameError.MaskMissing, 0, 0);
        }

        if (role == WebSocketRole.Client && masked)
        {
            return (CloseFrameError.UnexpectedMask, 0, 0);
        }

        // A 1-byte payload cannot hold a code (§5.5.1); the header alone says so.
        if (length == 1)
        {
            return (CloseFrameError.TooShort, 0, 0);
        }

        int header = masked ? 6 : 2;
        if (frame.Length < header + length)
        {
            return null;
        }

        byte[] payload = frame.Slice(header, length).ToArray();
        if (masked)
        {
            for (int i = 0; i < payload.Length; i++)
            {
                payload[i] ^= frame[2 + (i % 4)];
            }
        }

        (CloseFrameError error, int code) = ReadPayload(payload);
        CloseFrameError frameError = error switch
        {
            CloseFrameError.None => CloseFrameError.None,
            CloseFrameError.TooShort => CloseFrameError.TooShort,
            CloseFrameError.InvalidStatus => CloseFrameError.InvalidStatus,
            _ => CloseFrameError.InvalidUtf8,
        };
        return (frameError, code, header + length);
    }

    public static bool IsWellFormedUtf8(ReadOnlySpan<byte> bytes)
    {
        int i = 0;
        while (i < bytes.Length)
        {
            int b = bytes[i];
            int count;
            int value;
            if (b < 0x80)
            {
                i++;
                continue;
            }
            else if ((b & 0xE0) == 0xC0)
            {
                count = 2;
                value = b & 0x1F;
            }
            else if ((b & 0xF0) == 0xE0)
            {
                count = 3;
                value = b & 0x0F;
            }
            else if ((b & 0xF8) == 0xF0)
            {
                count = 4;
                value = b & 0x07;
            }
            else
            {
                return false;
            }

            if (i + count > bytes.Length)
            {
                return false;
            }

            for (int k = 1; k < count; k++)
            {
                if ((bytes[i + k] & 0xC0) != 0x80)
                {
                    return false;
                }

                value = (value << 6) | (bytes[i + k] & 0x3F);
            }

            int smallest = count switch { 2 => 0x80, 3 => 0x800, _ => 0x10000 };
            if (value < smallest || value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF))
            {
                return false;
            }

            i += count;
        }

        return true;
    }
}
