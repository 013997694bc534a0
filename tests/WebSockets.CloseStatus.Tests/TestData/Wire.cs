using System;
using System.Linq;

namespace WebSockets.CloseStatus.Tests.TestData;

/// <summary>An independent reading of a written close frame (RFC 6455 §5.2, §5.3), so tests need not trust the library's reader.</summary>
public static class Wire
{
    public sealed record Frame(byte First, bool Masked, uint? Key, byte[] Payload);

    public static Frame Decode(ReadOnlySpan<byte> frame)
    {
        int length = frame[1] & 0x7F;
        bool masked = (frame[1] & 0x80) != 0;
        if (length > 125 || frame.Length != (masked ? 6 : 2) + length)
        {
            throw new FormatException($"not a whole close frame with a 7-bit length: {Convert.ToHexString(frame)}");
        }

        byte[] payload = frame.Slice(masked ? 6 : 2).ToArray();
        if (!masked)
        {
            return new Frame(frame[0], false, null, payload);
        }

        byte[] key = frame.Slice(2, 4).ToArray();
        return new Frame(frame[0], true, (uint)(key[0] << 24 | key[1] << 16 | key[2] << 8 | key[3]), payload.Select((b, i) => (byte)(b ^ key[i % 4])).ToArray());
    }

    /// <summary>A client's frame (what a server receives), masked with <paramref name="key"/>.</summary>
    public static byte[] Masked(byte[] payload, byte[] key) =>
        [0x88, (byte)(0x80 | payload.Length), .. key, .. payload.Select((b, i) => (byte)(b ^ key[i % 4]))];
}
