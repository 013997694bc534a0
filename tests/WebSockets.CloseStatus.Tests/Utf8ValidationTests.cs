using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Unicode;
using System.Threading;
using System.Threading.Tasks;
using FluentAssertions;
using WebSockets.CloseStatus.Internal;
using Xunit;

namespace WebSockets.CloseStatus.Tests;

/// <summary>
/// The UTF-8 validator (RFC 3629, Unicode Table 3-7): the netstandard2.0 build's scalar loop, and on .NET the runtime's
/// verdict and the index the writers' messages and cuts name, against .NET's own decoder (Utf8.ToUtf16 without
/// replacement: the index of the first ill-formed byte).
/// </summary>
public class Utf8ValidationTests
{
    // Where a sequence is put: on and across the 8-byte blocks of the scalar loop and the 16-, 32- and 64-byte vectors a validator may use.
    private static readonly int[] s_positions = [0, 1, 13, 14, 15, 16, 17, 29, 30, 31, 32, 33, 61, 62, 63, 64, 65, 125];

    // The byte values that decide Table 3-7: each range's edges, the special second bytes of E0, ED, F0, F4, and bytes that are never UTF-8.
    private static readonly byte[] s_deciding = [0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC1, 0xC2, 0xDF, 0xE0, 0xE1, 0xED, 0xEE, 0xEF, 0xF0, 0xF1, 0xF4, 0xF5, 0xFF];

    private static readonly int s_cases = int.TryParse(Environment.GetEnvironmentVariable("CLOSESTATUS_FUZZ_CASES"), out int cases) ? cases : 1_000_000;

    /// <summary>The index .NET's decoder stops at, or -1: an oracle outside this library.</summary>
    private static int Oracle(ReadOnlySpan<byte> source)
    {
        Span<char> chars = stackalloc char[source.Length + 1];
        return Utf8.ToUtf16(source, chars, out int read, out _, replaceInvalidSequences: false) == System.Buffers.OperationStatus.Done ? -1 : read;
    }

    /// <summary>Fails, with the input in hex, unless the validator names the index .NET's decoder stops at, and its verdict agrees.</summary>
    private static void AssertAgreesWithDotNet(ReadOnlySpan<byte> source)
    {
        int expected = Oracle(source);
        int actual = Utf8Validation.IndexOfInvalid(source);
        bool valid = Utf8Validation.IsValid(source);
        if (actual != expected || valid != expected < 0)
        {
            throw new Xunit.Sdk.XunitException($"{Convert.ToHexString(source)} ({source.Length} bytes): index {actual}, valid {valid}; .NET says {expected}");
        }
    }

    /// <summary>Puts <paramref name="sequence"/> at <paramref name="position"/> in 130 bytes of ASCII, after a 2-byte scalar at 0 when <paramref name="lead"/> is set (so no block before the sequence is ASCII), and checks the result.</summary>
    private static void CheckAt(byte[] buffer, ReadOnlySpan<byte> sequence, int position, bool lead)
    {
        buffer.AsSpan().Fill((byte)'a');
        if (lead)
        {
            buffer[0] = 0xC3;
            buffer[1] = 0xA9;
        }

        sequence.CopyTo(buffer.AsSpan(position));
        AssertAgreesWithDotNet(buffer.AsSpan(0, Math.Min(buffer.Length, position + sequence.Length + (position % 3))));
    }

    [Fact]
    public void Rfc3629_EveryOneAndTwoByteSequence_OnAndAcrossBlockBoundaries()
    {
        byte[] buffer = new byte[140];

        // A mutation run (CLOSESTATUS_FUZZ_CASES under a million) takes one position on each side of each boundary, and
        // after each lead byte the second bytes that decide Table 3-7 only.
        bool full = s_cases >= 1_000_000;
        int[] positions = full ? s_positions : [0, 15, 16, 31, 32, 63, 64];
        foreach (int position in positions)
        {
            foreach (bool lead in new[] { false, true })
            {
                if (lead && position < 2)
                {
                    continue;
                }

                for (int b0 = 0; b0 < 256; b0++)
                {
                    CheckAt(buffer, [(byte)b0], position, lead);
                    for (int b1 = 0; b1 < 256; b1++)
                    {
                        if (full || Array.IndexOf(s_deciding, (byte)b1) >= 0)
                        {
                            CheckAt(buffer, [(byte)b0, (byte)b1], position, lead);
                        }
                    }
                }
            }
        }
    }

    /// <summary>All 2^24 three-byte sequences at each boundary position of every path; with CLOSESTATUS_FUZZ_CASES under a million (mutation runs), the bytes that decide Table 3-7 only.</summary>
    [Fact]
    public void Rfc3629_EveryThreeByteSequence_OnAndAcrossBlockBoundaries()
    {
        byte[] values = s_cases >= 1_000_000
            ? [.. Enumerable.Range(0, 256).Select(v => (byte)v)]
            : [0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC1, 0xC2, 0xDF, 0xE0, 0xE1, 0xEC, 0xED, 0xEE, 0xEF, 0xF0, 0xF3, 0xF4, 0xF5, 0xFF];
        int[] positions = [0, 14, 15, 16, 30, 31, 32, 62, 63, 64];
        Parallel.ForEach(values, b0 =>
        {
            byte[] buffer = new byte[140];
            byte[] sequence = new byte[3];
            sequence[0] = b0;
            foreach (int position in positions)
            {
                foreach (byte b1 in values)
                {
                    sequence[1] = b1;
                    foreach (byte b2 in values)
                    {
                        sequence[2] = b2;
                        CheckAt(buffer, sequence, position + 2, lead: true);
                    }
                }
            }
        });
    }

    /// <summary>Four-byte sequences whose bytes decide Table 3-7, at each boundary; the whole 2^32 is the long-running <c>Utf8Exhaustive</c> test.</summary>
    [Fact]
    public void Rfc3629_FourByteSequences_BoundaryValues()
    {
        byte[] values = [0x00, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC2, 0xDF, 0xE0, 0xED, 0xEF, 0xF0, 0xF1, 0xF3, 0xF4, 0xF5, 0xF7, 0xF8, 0xFF];
        byte[] buffer = new byte[140];
        // A mutation run takes the positions on and just before each boundary.
        int[] positions = s_cases >= 1_000_000 ? [0, 13, 14, 15, 16, 29, 30, 31, 32, 61, 62, 63, 64] : [0, 13, 14, 29, 30, 61, 62];
        foreach (int position in positions)
        {
            foreach (byte b0 in values)
            {
                foreach (byte b1 in values)
                {
                    foreach (byte b2 in values)
                    {
                        foreach (byte b3 in values)
                        {
                            CheckAt(buffer, [b0, b1, b2, b3], position + 2, lead: true);
                        }
                    }
                }
            }
        }
    }

    /// <summary>
    /// Every 1- and 2-byte sequence, the 3-byte ones Table 3-7 decides on and 4-byte boundary values, inside text of each
    /// kind the scalar loop has a fast path for (ASCII, a 2-byte script with spaces, a 3-byte script, mixed): after 0 to
    /// 11 of its characters, so the sequence falls on each offset of its eight-byte blocks and pairs, with 0 to 3 more
    /// after it, so the input ends on each byte of a zero-padded last block.
    /// </summary>
    [Fact]
    public void Rfc3629_SequencesInsideTextOfEveryScript_OnEachBlockOffset()
    {
        string[] texts = ["abcdefghijkl", "Жук и ёж, да", "世界你好再见谢谢服务器关", "Жa世😀é,b€Жы ф"];
        byte[] values = [0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC1, 0xC2, 0xDF, 0xE0, 0xE1, 0xED, 0xEE, 0xEF, 0xF0, 0xF1, 0xF4, 0xF5, 0xF8, 0xFF];
        byte[] fourByte = [0x7F, 0x80, 0x8F, 0x90, 0xBF, 0xC2, 0xE0, 0xF0, 0xF4, 0xF5];
        bool full = s_cases >= 1_000_000;
        Parallel.ForEach(texts, text =>
        {
            var sequences = new List<byte[]>();
            for (int b0 = 0; b0 < 256; b0++)
            {
                // A mutation run (CLOSESTATUS_FUZZ_CASES under a million) takes the decisive values only.
                if (!full && Array.IndexOf(values, (byte)b0) < 0)
                {
                    continue;
                }

                sequences.Add([(byte)b0]);
                for (int b1 = 0; b1 < 256; b1++)
                {
                    if (full || Array.IndexOf(values, (byte)b1) >= 0)
                    {
                        sequences.Add([(byte)b0, (byte)b1]);
                    }
                }
            }

            foreach (byte b0 in values)
            {
                foreach (byte b1 in values)
                {
                    foreach (byte b2 in values)
                    {
                        sequences.Add([b0, b1, b2]);
                    }
                }
            }

            foreach (byte b0 in fourByte)
            {
                foreach (byte b1 in fourByte)
                {
                    foreach (byte b2 in fourByte)
                    {
                        foreach (byte b3 in fourByte)
                        {
                            sequences.Add([b0, b1, b2, b3]);
                        }
                    }
                }
            }

            string[] chars = [.. EnumerateScalars(text)];
            byte[] buffer = new byte[64];
            for (int before = 0; before < chars.Length; before += full ? 1 : 3)
            {
                byte[] prefix = Encoding.UTF8.GetBytes(string.Concat(chars[..before]));
                for (int after = 0; after <= 3; after++)
                {
                    byte[] suffix = Encoding.UTF8.GetBytes(string.Concat(chars[..after]));
                    foreach (byte[] sequence in sequences)
                    {
                        prefix.CopyTo(buffer, 0);
                        sequence.CopyTo(buffer, prefix.Length);
                        suffix.CopyTo(buffer, prefix.Length + sequence.Length);
                        ReadOnlySpan<byte> source = buffer.AsSpan(0, prefix.Length + sequence.Length + suffix.Length);
                        AssertAgreesWithDotNet(source);
                    }
                }
            }
        });
    }

    /// <summary>
    /// ASCII runs of 0–100 bytes after multibyte text, which the scalar loop skips a vector and then eight bytes at a time,
    /// with an ill-formed or cut-off sequence at points along the run: a skip never passes over an error.
    /// </summary>
    [Fact]
    public void AsciiRunsAfterMultibyteText_SkipNoError()
    {
        string[] leads = ["é", "世", "😀", "Жы"];
        byte[][] errors = [[], [0xFF], [0x80], [0xC3], [0xE4, 0xB8], [0xED, 0xA0, 0x80], [0xF0, 0x9F, 0x98]];
        foreach (string lead in leads)
        {
            byte[] leadBytes = Encoding.UTF8.GetBytes(lead);
            for (int run = 0; run <= 100; run++)
            {
                foreach (byte[] error in errors)
                {
                    for (int at = 0; at <= run; at += Math.Max(1, run / 9))
                    {
                        byte[] source = [.. leadBytes, .. Enumerable.Repeat((byte)'a', at), .. error, .. Enumerable.Repeat((byte)'b', run - at)];
                        AssertAgreesWithDotNet(source);
                    }
                }
            }
        }
    }

    /// <summary>
    /// Each byte 0x80–0xFF followed by each ASCII byte repeated, at each offset of two blocks: the eight-byte loop judges
    /// a block by bit masks over its lanes, so the filler must take every bit pattern (a lowercase filler alone, as in
    /// the tests above, has bit 5 set, which hides a mask that forgets which lanes are leads; mutation testing found it).
    /// </summary>
    [Fact]
    public void NonAsciiByteBeforeEveryAsciiFiller_OnEachBlockOffset()
    {
        byte[] source = new byte[24];
        for (int filler = 0; filler < 0x80; filler++)
        {
            for (int high = 0x80; high <= 0xFF; high++)
            {
                for (int at = 0; at < 16; at++)
                {
                    source.AsSpan().Fill((byte)filler);
                    source[at] = (byte)high;
                    AssertAgreesWithDotNet(source);
                }
            }
        }
    }

    private static IEnumerable<string> EnumerateScalars(string text)
    {
        foreach (Rune rune in text.EnumerateRunes())
        {
            yield return rune.ToString();
        }
    }

    /// <summary>
    /// Inputs under 16 bytes, which .NET checks in one zero-padded 128-bit step (the zeros must not hide a sequence cut
    /// off at the end): every 1- and 2-byte sequence, and 3- and 4-byte ones of the bytes that decide RFC 3629's Table
    /// 3-7, at every position of short lengths, in ASCII and after a 2-byte character.
    /// </summary>
    [Fact]
    public void Rfc3629_ShortInputs_EverySequenceAtEveryPosition()
    {
        // A mutation run (CLOSESTATUS_FUZZ_CASES under a million) takes the 2-byte sequences of the deciding bytes only.
        IEnumerable<byte[]> pairs = s_cases >= 1_000_000
            ? Enumerable.Range(0, 1 << 16).Select(v => new[] { (byte)(v >> 8), (byte)v })
            : s_deciding.SelectMany(a => s_deciding.Select(b => new[] { a, b }));
        IEnumerable<byte[]> sequences = pairs
            .Concat(Enumerable.Range(0, 256).Select(v => new[] { (byte)v }))
            .Concat(s_deciding.SelectMany(a => s_deciding.SelectMany(b => s_deciding.Select(c => new[] { a, b, c }))))
            .Concat(s_deciding.Where(a => a >= 0xC0).SelectMany(a => s_deciding.Where(b => b >= 0x80).SelectMany(b => new byte[] { 0x80, 0xBF, 0x41 }.SelectMany(c => new byte[] { 0x80, 0xBF, 0x41 }.Select(d => new[] { a, b, c, d })))));
        Parallel.ForEach(sequences.Chunk(4096), chunk =>
        {
            byte[] buffer = new byte[15];
            foreach (byte[] sequence in chunk)
            {
                // Lengths on each side of the 8-byte halves of the step, every position in them.
                int[] lengths = s_cases >= 1_000_000 ? [sequence.Length, sequence.Length + 1, 7, 8, 9, 15] : [sequence.Length, 8, 15];
                foreach (int length in lengths)
                {
                    for (int position = 0; position + sequence.Length <= length; position++)
                    {
                        foreach (bool lead in new[] { false, true })
                        {
                            if (lead && position < 2)
                            {
                                continue;
                            }

                            buffer.AsSpan().Fill((byte)'a');
                            if (lead)
                            {
                                buffer[0] = 0xC3;
                                buffer[1] = 0xA9;
                            }

                            sequence.CopyTo(buffer.AsSpan(position));
                            AssertAgreesWithDotNet(buffer.AsSpan(0, length));
                        }
                    }
                }
            }
        });
    }

    /// <summary>Random reasons in many scripts, then mutated: bit flips, replaced, inserted and deleted bytes, cut ends.</summary>
    [Fact]
    public void MutatedRandomText_AgreesWithDotNet()
    {
        string[] pieces = ["a", "bye ", "é", "Ж", "ب", "ह", "世", "界", "한", "😀", "👍🏽", "\u0301", "\uFFFD", "\U0010FFFF", "\uE000"];
        byte[] specials = [0x80, 0xBF, 0xC0, 0xC1, 0xC2, 0xDF, 0xE0, 0xED, 0xEF, 0xF0, 0xF4, 0xF5, 0xFF, 0x00, 0x7F];
        var random = new Random(6455);
        int cases = Math.Max(20_000, s_cases / 2);
        var text = new StringBuilder();
        for (int n = 0; n < cases; n++)
        {
            text.Clear();
            int length = random.Next(0, 60);
            for (int k = 0; k < length; k++)
            {
                text.Append(pieces[random.Next(pieces.Length)]);
            }

            List<byte> bytes = [.. Encoding.UTF8.GetBytes(text.ToString())];
            int mutations = random.Next(0, 4);
            for (int m = 0; m < mutations && bytes.Count > 0; m++)
            {
                int at = random.Next(bytes.Count);
                switch (random.Next(5))
                {
                    case 0: bytes[at] ^= (byte)(1 << random.Next(8)); break;
                    case 1: bytes[at] = specials[random.Next(specials.Length)]; break;
                    case 2: bytes.Insert(at, specials[random.Next(specials.Length)]); break;
                    case 3: bytes.RemoveAt(at); break;
                    default: bytes.RemoveRange(at, bytes.Count - at); break;
                }
            }

            byte[] source = [.. bytes];
            AssertAgreesWithDotNet(source);
        }
    }

    [Fact]
    public void Writers_NameTheExactIndex()
    {
        byte[] destination = new byte[ClosePayload.MaxLength];
        foreach (int position in new[] { 0, 15, 16, 31, 32, 63, 64, 100, 120 })
        {
            byte[] reason = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("Ж世", 30)))[..123];
            reason = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(reason).TrimEnd('\uFFFD')); // whole scalars only
            reason[Math.Min(position, reason.Length - 1)] = 0xFF;
            int expected = Oracle(reason);

            Action write = () => ClosePayload.TryWriteUtf8(destination, WebSocketCloseStatus.NormalClosure, reason, out _);

            write.Should().Throw<ArgumentException>().WithMessage($"The reason is not well-formed UTF-8 at byte index {expected} *");
        }
    }

    /// <summary>
    /// Inputs that end at an unreadable page, and inputs that start right after one: every path reads only inside the
    /// span (a read outside it would crash the test run).
    /// </summary>
    [Fact]
    public void Reads_StayInsideTheSpan_BetweenGuardPages()
    {
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("the guard-page test maps pages with mmap and mprotect (Linux)");
        }

        nint page = GuardPage.Map(out int pageSize);
        try
        {
            string[] texts = ["aé€😀Ж", "Жук ", "世界", "a", "😀"];
            foreach (byte[] text in texts.Select(t => Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat(t, 140)))))
            {
                for (int length = 0; length <= 130; length++)
                {
                    foreach (byte last in new byte[] { (byte)'a', 0xC3, 0xE2, 0xF0, 0x80 })
                    {
                        foreach (bool atStart in new[] { false, true })
                        {
                            unsafe
                            {
                                byte* address = atStart ? (byte*)page : (byte*)page + pageSize - length;
                                var span = new Span<byte>(address, length);
                                text.AsSpan(0, length).CopyTo(span);
                                if (length > 0)
                                {
                                    span[^1] = last;
                                }

                                Utf8Validation.IndexOfInvalid(span).Should().Be(Oracle(span));
                                Utf8Validation.IsValid(span).Should().Be(Oracle(span) < 0);
                            }
                        }
                    }
                }
            }
        }
        finally
        {
            GuardPage.Unmap(page, pageSize);
        }
    }
}

/// <summary>One readable page between two that fault on any access.</summary>
internal static partial class GuardPage
{
    private const int ProtRead = 1, ProtWrite = 2, ProtNone = 0, MapPrivate = 2, MapAnonymous = 0x20;

    /// <summary>Maps the three pages; returns the readable one.</summary>
    public static nint Map(out int pageSize)
    {
        pageSize = Environment.SystemPageSize;
        nint address = Mmap(0, (nuint)(3 * pageSize), ProtRead | ProtWrite, MapPrivate | MapAnonymous, -1, 0);
        if (address == -1
            || Mprotect(address, (nuint)pageSize, ProtNone) != 0
            || Mprotect(address + (2 * pageSize), (nuint)pageSize, ProtNone) != 0)
        {
            throw new InvalidOperationException($"mmap/mprotect failed: errno {Marshal.GetLastPInvokeError()}");
        }

        return address + pageSize;
    }

    public static void Unmap(nint page, int pageSize)
    {
        if (Munmap(page - pageSize, (nuint)(3 * pageSize)) != 0)
        {
            throw new InvalidOperationException($"munmap failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    [LibraryImport("libc", EntryPoint = "mmap", SetLastError = true)]
    private static partial nint Mmap(nint address, nuint length, int protection, int flags, int fd, nint offset);

    [LibraryImport("libc", EntryPoint = "mprotect", SetLastError = true)]
    private static partial int Mprotect(nint address, nuint length, int protection);

    [LibraryImport("libc", EntryPoint = "munmap", SetLastError = true)]
    private static partial int Munmap(nint address, nuint length);
}
