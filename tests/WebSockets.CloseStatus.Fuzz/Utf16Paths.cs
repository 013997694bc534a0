using System;
using System.Buffers;
using System.Diagnostics;
using System.Linq;
using System.Reflection;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;
using System.Runtime.Versioning;
using System.Text;
using System.Text.Unicode;
using System.Threading;
using System.Threading.Tasks;

namespace WebSockets.CloseStatus.Fuzz;

/// <summary>
/// The char writers' differential check for a CPU the test suite cannot reach (issue #28): CI runs it on Arm64 under QEMU,
/// so the AdvSimd branches of the transcoder's 128-bit path run (zip, tbl). Through ClosePayload.TryWrite from chars
/// against .NET's strict encoder (Utf8.FromUtf16, replaceInvalidSequences: false) and the writer's contract: every BMP
/// char on every lane of a block, in three scripts; surrogate pairs and lone surrogates at every position of reasons of
/// 1-40 chars; reasons too long for a close frame (the transcoder runs out of room in a vector block); random text in
/// every script at every destination length.
/// </summary>
public static class Utf16Paths
{
    private static readonly string[] s_alphabet =
    [
        "a", " ", ",", "С", "е", "р", "中", "文", "é", "€", "\uFFFF", "\u0800", "\u07FF", "👋", "😀", "\uD800", "\uDC00",
    ];

    private static long s_checks;
    private static long s_mismatches;

    [ThreadStatic]
    private static long t_checks; // counted per thread, added to s_checks at the end of each parallel body

    [ThreadStatic]
    private static byte[]? t_expected;

    [ThreadStatic]
    private static byte[]? t_actual;

    private enum Outcome
    {
        Written,
        TooSmall,
        Mistake,
    }

    public static int Run()
    {
        string path = Describe();
        Console.WriteLine($"utf16-paths: {System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture}, this runtime gives the {path} path");
        var stopwatch = Stopwatch.StartNew();

        // Every BMP char (surrogates included) on each lane of a short reason (4 and 7 chars: its first and last 4 chars
        // as one block), of one block (8), and of a block and a last block that shares 1 char with it (15), in ASCII,
        // Cyrillic and CJK.
        Parallel.For(0, 1 << 16, c =>
        {
            char[] text = new char[15];
            foreach (char filler in "aа中")
            {
                foreach (int length in new[] { 4, 7, 8, 15 })
                {
                    for (int lane = 0; lane < length; lane++)
                    {
                        text.AsSpan().Fill(filler);
                        text[lane] = (char)c;
                        Check(text.AsSpan(0, length), ClosePayload.MaxLength);
                    }
                }
            }

            Flush();
        });
        Report("BMP chars on every lane", stopwatch);

        // A pair or a lone surrogate at every position of every length to 40, at every destination length.
        string[] pieces = ["😀", "\uDBFF\uDFFF", "\uD800\uDC00", "\uD800", "\uDFFF", "\uDC00\uD800", "\uD83D\uD83D"];
        Parallel.For(1, 41, length =>
        {
            char[] text = new char[length];
            foreach (char filler in "aé中")
            {
                foreach (string piece in pieces)
                {
                    for (int position = 0; position + piece.Length <= length; position++)
                    {
                        text.AsSpan().Fill(filler);
                        piece.CopyTo(0, text, position, piece.Length);
                        for (int destination = 0; destination <= ClosePayload.MaxLength; destination += destination < 50 ? 1 : 25)
                        {
                            Check(text, destination);
                        }
                    }
                }
            }

            Flush();
        });
        Report("pairs and lone surrogates", stopwatch);

        // Random text, mostly one script at a time as reasons are written, up to 130 chars (many over 123 bytes).
        Parallel.For(0, 8, worker =>
        {
            var random = new Random(2800 + worker);
            var text = new StringBuilder();
            for (int i = 0; i < 25_000; i++)
            {
                text.Clear();
                string main = s_alphabet[random.Next(s_alphabet.Length)];
                int length = random.Next(131);
                while (text.Length < length)
                {
                    text.Append(random.Next(6) == 0 ? s_alphabet[random.Next(s_alphabet.Length)] : main);
                }

                Check(text.ToString(), random.Next(3) == 0 ? random.Next(ClosePayload.MaxLength + 1) : ClosePayload.MaxLength);
            }

            Flush();
        });
        Report("random text", stopwatch);

        Console.WriteLine($"utf16-paths: {s_checks} reasons, {s_mismatches} mismatches, {stopwatch.Elapsed.TotalSeconds:0} s ({path} path)");
        return s_checks > 0 && s_mismatches == 0 ? 0 : 1;
    }

    /// <summary>The transcoder's path, as the library's own dispatch chooses it.</summary>
    private static string Describe()
    {
        string? framework = typeof(ClosePayload).Assembly.GetCustomAttribute<TargetFrameworkAttribute>()?.FrameworkName;
        return framework?.StartsWith(".NETStandard", StringComparison.Ordinal) == true ? "scalar (netstandard2.0 build)"
            : Ssse3.IsSupported ? "128-bit (SSSE3)"
            : AdvSimd.Arm64.IsSupported ? "128-bit (Arm64 AdvSimd)"
            : "scalar";
    }

    // The writer's contract (RFC 6455 §5.5.1, RFC 3629 §3): a lone surrogate or more than 123 bytes is a caller mistake;
    // otherwise the code and exactly .NET's bytes when they fit in the destination, and false when they do not.
    private static void Check(ReadOnlySpan<char> reason, int destinationLength)
    {
        byte[] expected = t_expected ??= new byte[2 + (3 * 140)];
        byte[] actual = t_actual ??= new byte[ClosePayload.MaxLength];
        OperationStatus status = Utf8.FromUtf16(reason, expected.AsSpan(2), out _, out int expectedLength, replaceInvalidSequences: false);
        Outcome want = status != OperationStatus.Done || expectedLength > ClosePayload.MaxReasonLength ? Outcome.Mistake
            : destinationLength < 2 + expectedLength ? Outcome.TooSmall
            : Outcome.Written;
        expected[0] = 0x03;
        expected[1] = 0xE8;

        Outcome got;
        int written = 0;
        try
        {
            got = ClosePayload.TryWrite(actual.AsSpan(0, destinationLength), WebSocketCloseStatus.NormalClosure, reason, out written) ? Outcome.Written : Outcome.TooSmall;
        }
        catch (ArgumentException)
        {
            got = Outcome.Mistake;
        }

        t_checks++;
        bool same = got == want && (got != Outcome.Written || actual.AsSpan(0, written).SequenceEqual(expected.AsSpan(0, 2 + expectedLength)));
        if (!same && Interlocked.Increment(ref s_mismatches) <= 20)
        {
            string hex = string.Join(' ', reason.ToArray().Select(c => ((int)c).ToString("X4", System.Globalization.CultureInfo.InvariantCulture)));
            Console.WriteLine($"MISMATCH: reason {hex} into {destinationLength} bytes: ours {got} {Convert.ToHexString(actual, 0, written)}, " +
                $"expected {want} {(want == Outcome.Written ? Convert.ToHexString(expected, 0, 2 + expectedLength) : "")}");
        }
    }

    private static void Flush()
    {
        Interlocked.Add(ref s_checks, t_checks);
        t_checks = 0;
    }

    private static void Report(string stage, Stopwatch stopwatch) =>
        Console.WriteLine($"utf16-paths: {stage} done, {s_checks} reasons so far, {s_mismatches} mismatches, {stopwatch.Elapsed.TotalSeconds:0} s");
}
