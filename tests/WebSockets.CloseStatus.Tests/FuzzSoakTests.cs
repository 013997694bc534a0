using System;
using System.Buffers;
using System.Globalization;
using FluentAssertions;
using WebSockets.CloseStatus.Tests.TestData;
using Xunit;

namespace WebSockets.CloseStatus.Tests;

/// <summary>
/// A bounded fuzz soak: a million payloads and a million frames, random and mutated from valid ones, through
/// ClosePayload.Read and CloseFrame.Read. Nothing may throw, every verdict must equal an independent oracle's, and
/// every valid result must re-encode to the same bytes. The seed is fixed (CLOSESTATUS_FUZZ_SEED changes it,
/// CLOSESTATUS_FUZZ_CASES the count) and printed in every failure.
/// </summary>
public class FuzzSoakTests
{
    private static readonly int s_seed = ReadSetting("CLOSESTATUS_FUZZ_SEED", 6455);
    private static readonly int s_cases = ReadSetting("CLOSESTATUS_FUZZ_CASES", 1_000_000);

    private static readonly int[] s_boundaryCodes = [0, 999, 1000, 1003, 1004, 1005, 1006, 1007, 1011, 1012, 1014, 1015, 1016, 2999, 3000, 3999, 4000, 4999, 5000, 65535];

    private static readonly byte[][] s_badUtf8 =
    [
        [0xC0, 0x80], [0xE0, 0x80, 0x80], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xF5], [0xFF], [0x80], [0xC3], [0xE2, 0x82], [0xF0, 0x9F, 0x98],
    ];

    [Fact]
    public void Payloads_MillionCases_NeverThrow_MatchOracle_AndReEncode()
    {
        var random = new Random(s_seed);
        byte[] buffer = new byte[140];
        byte[] written = new byte[ClosePayload.MaxLength];
        for (int n = 0; n < s_cases; n++)
        {
            int length = NextPayload(random, buffer);
            ReadOnlySpan<byte> payload = buffer.AsSpan(0, length);

            CloseFrameError error = ClosePayload.ReadUtf8(payload, out WebSocketCloseStatus status, out ReadOnlySpan<byte> reason);

            (CloseFrameError expectedError, int expectedCode) = FrameOracle.ReadPayload(payload);
            if (error != expectedError || (int)status != expectedCode)
            {
                Fail(n, payload, $"Read said {error}/{(int)status}, the oracle {expectedError}/{expectedCode}");
            }

            if (error == CloseFrameError.None
                && (!ClosePayload.TryWriteUtf8(written, status, reason, out int count) || !written.AsSpan(0, count).SequenceEqual(payload)))
            {
                Fail(n, payload, "a valid payload did not re-encode to the same bytes");
            }
        }
    }

    [Fact]
    public void Frames_MillionCases_NeverThrow_MatchOracle_AndReEncode()
    {
        var random = new Random(s_seed + 1);
        byte[] buffer = new byte[160];
        byte[] payload = new byte[140];
        byte[] unmasked = new byte[ClosePayload.MaxLength];
        byte[] written = new byte[CloseFrame.MaxLength];
        for (int n = 0; n < s_cases; n++)
        {
            int frameLength = NextFrame(random, buffer, payload);
            ReadOnlySpan<byte> frame = buffer.AsSpan(0, frameLength);
            WebSocketRole role = random.Next(2) == 0 ? WebSocketRole.Server : WebSocketRole.Client;

            OperationStatus result = CloseFrame.Read(frame, role, unmasked, out CloseFrameReadResult read);

            (CloseFrameError Error, int Code, int Length)? expected = FrameOracle.ReadFrame(frame, role);
            OperationStatus expectedResult = expected is null ? OperationStatus.NeedMoreData
                : expected.Value.Error == CloseFrameError.None ? OperationStatus.Done : OperationStatus.InvalidData;
            if (result != expectedResult
                || (expected is { } e && (read.Error != e.Error || (int)read.Status != e.Code || (result == OperationStatus.Done && read.BytesConsumed != e.Length))))
            {
                Fail(n, frame, $"Read said {result}/{read.Error}/{(int)read.Status} as {role}, the oracle {expectedResult}/{expected}");
            }

            // An incomplete frame: the bytes still to come, from the header's own length field (RFC 6455 §5.2).
            if (result == OperationStatus.NeedMoreData)
            {
                int needed = frame.Length < 2 ? 2 - frame.Length : ((frame[1] & 0x80) != 0 ? 6 : 2) + (frame[1] & 0x7F) - frame.Length;
                if (read.BytesNeeded != needed)
                {
                    Fail(n, frame, $"Read said {read.BytesNeeded} more bytes are needed, the header says {needed}");
                }
            }

            if (result == OperationStatus.Done)
            {
                bool ok = role == WebSocketRole.Server
                    ? CloseFrame.TryWriteMaskedUtf8(written, (uint)((frame[2] << 24) | (frame[3] << 16) | (frame[4] << 8) | frame[5]), read.Status, unmasked.AsSpan(0, read.ReasonLength), out int count)
                    : CloseFrame.TryWriteUtf8(written, WebSocketRole.Server, read.Status, unmasked.AsSpan(0, read.ReasonLength), out count);
                if (!ok || !written.AsSpan(0, count).SequenceEqual(frame[..read.BytesConsumed]))
                {
                    Fail(n, frame, "a valid frame did not re-encode to the same bytes");
                }
            }
        }
    }

    // Random bytes, or a valid payload then bit flips, truncation, extension, a boundary code or a bad UTF-8 splice.
    private static int NextPayload(Random random, byte[] buffer)
    {
        if (random.Next(4) == 0)
        {
            int length = random.Next(0, 131);
            random.NextBytes(buffer.AsSpan(0, length));
            return length;
        }

        int reasonLength = random.Next(0, 124);
        int total = 2 + FillValidUtf8(random, buffer.AsSpan(2, reasonLength));
        int code = random.Next(3) == 0 ? s_boundaryCodes[random.Next(s_boundaryCodes.Length)] : ValidCode(random);
        buffer[0] = (byte)(code >> 8);
        buffer[1] = (byte)code;
        switch (random.Next(6))
        {
            case 0:
                buffer[random.Next(total)] ^= (byte)(1 << random.Next(8));
                break;
            case 1:
                total = random.Next(total + 1);
                break;
            case 2:
                int extra = random.Next(1, 8);
                random.NextBytes(buffer.AsSpan(total, extra));
                total += extra;
                break;
            case 3:
                byte[] bad = s_badUtf8[random.Next(s_badUtf8.Length)];
                int at = 2 + random.Next(Math.Max(1, total - 1));
                if (at + bad.Length <= buffer.Length)
                {
                    bad.CopyTo(buffer, at);
                    total = Math.Max(total, at + bad.Length);
                }

                break;
        }

        return total;
    }

    private static int NextFrame(Random random, byte[] buffer, byte[] payload)
    {
        int payloadLength = NextPayload(random, payload);
        bool masked = random.Next(2) == 0;
        int header = masked ? 6 : 2;
        buffer[0] = 0x88;
        buffer[1] = (byte)((masked ? 0x80 : 0) | Math.Min(payloadLength, 127));
        if (masked)
        {
            random.NextBytes(buffer.AsSpan(2, 4));
        }

        int length = Math.Min(payloadLength, buffer.Length - header);
        for (int i = 0; i < length; i++)
        {
            buffer[header + i] = masked ? (byte)(payload[i] ^ buffer[2 + (i % 4)]) : payload[i];
        }

        int total = header + length;
        switch (random.Next(8))
        {
            case 0:
                buffer[random.Next(2)] ^= (byte)(1 << random.Next(8)); // FIN, RSV, opcode, MASK or length bits
                break;
            case 1:
                total = random.Next(total + 1); // incomplete
                break;
            case 2:
                random.NextBytes(buffer.AsSpan(0, total));
                break;
        }

        return total;
    }

    private static int FillValidUtf8(Random random, Span<byte> destination)
    {
        int i = 0;
        while (i < destination.Length)
        {
            int room = destination.Length - i;
            int scalar = random.Next(5) switch
            {
                0 => random.Next(0x80, 0x800),
                1 => random.Next(0x800, 0xD800),
                2 => random.Next(0xE000, 0x10000),
                3 => random.Next(0x10000, 0x110000),
                _ => random.Next(0x00, 0x80),
            };
            var rune = new System.Text.Rune(scalar);
            if (rune.Utf8SequenceLength > room)
            {
                scalar = random.Next(0x20, 0x7F);
                rune = new System.Text.Rune(scalar);
            }

            i += rune.EncodeToUtf8(destination[i..]);
        }

        return i;
    }

    private static int ValidCode(Random random) => random.Next(3) switch
    {
        0 => random.Next(1000, 1004),
        1 => random.Next(1007, 1015),
        _ => random.Next(3000, 5000),
    };

    private static void Fail(int caseNumber, ReadOnlySpan<byte> input, string what) =>
        throw new Xunit.Sdk.XunitException(
            $"fuzz seed {s_seed} (CLOSESTATUS_FUZZ_SEED), case {caseNumber}: {what}. Input: {Convert.ToHexString(input)}");

    private static int ReadSetting(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) ? value : fallback;
}
