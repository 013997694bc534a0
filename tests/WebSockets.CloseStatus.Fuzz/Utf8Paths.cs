using System;
using System.Diagnostics;
using System.Linq;
using System.Text;
using System.Text.Unicode;
using System.Threading;
using System.Threading.Tasks;

namespace WebSockets.CloseStatus.Fuzz;

/// <summary>
/// The validator's differential check for a CPU the test suite cannot reach: CI publishes this program for linux-arm64
/// and runs it under QEMU, so the AdvSimd branch of the 128-bit path runs (the test suite runs on x64 only). Through
/// ClosePayload.Read's verdict against the runtime's Utf8.IsValid: every 1- and 2-byte sequence and all 2^24 3-byte ones
/// on and across the 16-byte block boundary, 4-byte sequences of the values that decide Table 3-7, 3- and 4-byte ones at
/// every position of a reason under 16 bytes (one zero-padded step), and mutated reasons in several scripts. About half a minute under emulation, a few seconds natively.
/// </summary>
public static class Utf8Paths
{
    // The byte values where Table 3-7 changes its answer, and one inside each range.
    private static readonly byte[] s_deciding =
        [0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC1, 0xC2, 0xDF, 0xE0, 0xE1, 0xEC, 0xED, 0xEE, 0xEF, 0xF0, 0xF1, 0xF3, 0xF4, 0xF5, 0xFF];

    private static readonly string[] s_texts =
    [
        "Сервер перезапускается, подключитесь снова через минуту",
        "服务器正在重新启动以进行更新请稍后重新连接",
        "👋😀🎉 bye 👋",
        "Ошибка: 服务器 😀 bye",
        "Closing for upkeep: ошибка",
        "going away, see you soon",
        "é€😀é€😀é€😀",
    ];

    private static long s_checks;
    private static long s_mismatches;

    [ThreadStatic]
    private static long t_checks; // counted per thread, added to s_checks at the end of each parallel body

    public static int Run()
    {
        string path = ValidatorPath.Describe();
        Console.WriteLine($"utf8-paths: {System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture}, this runtime gives the {path} path");
        var stopwatch = Stopwatch.StartNew();

        // 1- and 2-byte sequences at each position around the first two block boundaries, in ASCII and after a 2-byte
        // scalar, with ASCII after them or cut off by the end of the reason.
        int[] positions = [0, 1, 2, 13, 14, 15, 16, 17, 29, 30, 31, 32, 33];
        Parallel.For(0, 1 << 16, value =>
        {
            byte[] payload = new byte[2 + 48];
            foreach (int position in positions)
            {
                foreach (bool lead in new[] { false, true })
                {
                    if (value < 256)
                    {
                        Check(payload, [(byte)value], position, lead);
                    }

                    Check(payload, [(byte)(value >> 8), (byte)value], position, lead);
                }
            }

            Flush();
        });
        Report("1- and 2-byte sequences", stopwatch);

        // All 3-byte sequences across the first block boundary (bytes 14-16 and 15-17).
        Parallel.For(0, 256, first =>
        {
            byte[] payload = new byte[2 + 40];
            for (int rest = 0; rest < 1 << 16; rest++)
            {
                byte[] sequence = [(byte)first, (byte)(rest >> 8), (byte)rest];
                Check(payload, sequence, 14, lead: true);
                Check(payload, sequence, 15, lead: false);
            }

            Flush();
        });
        Report("3-byte sequences", stopwatch);

        // 4-byte sequences of the deciding values, across the boundary and at the end.
        Parallel.ForEach(s_deciding, a =>
        {
            byte[] payload = new byte[2 + 40];
            foreach (byte b in s_deciding)
            {
                foreach (byte c in s_deciding)
                {
                    foreach (byte d in s_deciding)
                    {
                        foreach (int position in new[] { 12, 13, 14, 15, 16, 28, 29 })
                        {
                            Check(payload, [a, b, c, d], position, lead: position % 2 == 0);
                        }
                    }
                }
            }

            Flush();
        });
        Report("4-byte sequences", stopwatch);

        // Reasons under 16 bytes (one zero-padded 128-bit step on .NET): 3- and 4-byte sequences of the deciding values at
        // every position, with ASCII after them to the 15th byte and cut off after them.
        Parallel.ForEach(s_deciding, a =>
        {
            byte[] payload = new byte[2 + 15];
            foreach (byte b in s_deciding)
            {
                foreach (byte c in s_deciding)
                {
                    for (int position = 0; position <= 12; position++)
                    {
                        Check(payload, [a, b, c], position, lead: position % 2 == 0);
                    }

                    foreach (byte d in s_deciding)
                    {
                        for (int position = 0; position <= 11; position++)
                        {
                            Check(payload, [a, b, c, d], position, lead: position % 2 == 1);
                        }
                    }
                }
            }

            Flush();
        });
        Report("short reasons", stopwatch);

        // Reasons in several scripts, every length, with bytes flipped, replaced and cut.
        Parallel.For(0, 8, worker =>
        {
            var random = new Random(6455 + worker);
            byte[] payload = new byte[2 + 123];
            payload[0] = 0x03;
            payload[1] = 0xE8;
            for (int i = 0; i < 25_000; i++)
            {
                string text = string.Concat(Enumerable.Range(0, 4).Select(_ => s_texts[random.Next(s_texts.Length)]));
                byte[] utf8 = Encoding.UTF8.GetBytes(text);
                int length = random.Next(Math.Min(utf8.Length, 123) + 1);
                utf8.AsSpan(0, length).CopyTo(payload.AsSpan(2));
                Span<byte> reason = payload.AsSpan(2, length);
                for (int m = random.Next(3); m > 0 && length > 0; m--)
                {
                    reason[random.Next(length)] ^= (byte)(1 << random.Next(8));
                }

                Compare(payload.AsSpan(0, 2 + length));
            }

            Flush();
        });
        Report("mutated reasons", stopwatch);

        Console.WriteLine($"utf8-paths: {s_checks} reasons, {s_mismatches} mismatches, {stopwatch.Elapsed.TotalSeconds:0} s ({path} path)");
        return s_checks > 0 && s_mismatches == 0 ? 0 : 1;
    }

    // The sequence at position in ASCII (after a 2-byte scalar at 0 if lead), once with ASCII to the end of the buffer and once cut off after it.
    private static void Check(byte[] payload, ReadOnlySpan<byte> sequence, int position, bool lead)
    {
        payload[0] = 0x03;
        payload[1] = 0xE8;
        Span<byte> reason = payload.AsSpan(2);
        reason.Fill((byte)'a');
        if (lead && position >= 2)
        {
            reason[0] = 0xC3;
            reason[1] = 0xA9;
        }

        sequence.CopyTo(reason.Slice(position));
        Compare(payload);
        Compare(payload.AsSpan(0, 2 + position + sequence.Length));
    }

    private static void Compare(ReadOnlySpan<byte> payload)
    {
        bool ours = ClosePayload.Read(payload, out _, out _) == ClosePayloadError.None;
        t_checks++;
        if (ours != Utf8.IsValid(payload.Slice(2)) && Interlocked.Increment(ref s_mismatches) <= 20)
        {
            Console.WriteLine($"MISMATCH: reason {Convert.ToHexString(payload.Slice(2))}: ours {(ours ? "valid" : "invalid")}");
        }
    }

    private static void Flush()
    {
        Interlocked.Add(ref s_checks, t_checks);
        t_checks = 0;
    }

    private static void Report(string stage, Stopwatch stopwatch) =>
        Console.WriteLine($"utf8-paths: {stage} done, {s_checks} reasons so far, {s_mismatches} mismatches, {stopwatch.Elapsed.TotalSeconds:0} s");
}
