using System;
using System.Buffers;
using System.Collections.Generic;
using System.Linq;
using System.Text.Unicode;
using FluentAssertions;
using WebSockets.CloseStatus.Internal;
using Xunit;

namespace WebSockets.CloseStatus.Tests;

/// <summary>
/// The UTF-16 to UTF-8 transcoder the char writers use (the netstandard2.0 build's scalar loop; on .NET, the call to the
/// runtime's), against .NET's own strict encoder, <c>Utf8.FromUtf16</c> with <c>replaceInvalidSequences: false</c>
/// (RFC 3629 §3: a lone surrogate is not a scalar value and has no UTF-8 form). Every check compares the status, both
/// counts and the bytes, and that no byte past the count was written.
/// </summary>
public class Utf16TranscodingTests
{
    private const byte Untouched = 0xA5; // a byte no UTF-8 output of these inputs ends with at the same place by chance alone

    private static readonly int s_cases = int.TryParse(Environment.GetEnvironmentVariable("CLOSESTATUS_FUZZ_CASES"), out int cases) ? cases / 5 : 200_000;

    // One char of each width, and both halves of a pair, and the edges of each range.
    private static readonly char[] s_chars =
    [
        'a', '\0', '\u007F', '\u0080', '\u00E9', '\u07FF', '\u0800', '\u20AC', '\u4E2D', '\uD7FF', '\uE000', '\uFFFD', '\uFFFF',
        '\u0421', '\u0430', ' ',
    ];

    /// <summary>Fails, with the input in hex, unless the transcoder and .NET agree on every output, and nothing past the output was written.</summary>
    private static void AssertAgreesWithDotNet(ReadOnlySpan<char> source, int destinationLength)
    {
        byte[] expected = new byte[destinationLength];
        OperationStatus expectedStatus = Utf8.FromUtf16(source, expected, out int expectedRead, out int expectedWritten, replaceInvalidSequences: false);

        byte[] actual = new byte[destinationLength];
        actual.AsSpan().Fill(Untouched);
        OperationStatus status = Utf16Transcoding.FromUtf16(source, actual, out int read, out int written);

        bool same = status == expectedStatus && read == expectedRead && written == expectedWritten
            && actual.AsSpan(0, written).SequenceEqual(expected.AsSpan(0, written))
            && actual.AsSpan(written).IndexOfAnyExcept(Untouched) < 0;
        if (!same)
        {
            string hex = string.Concat(source.ToArray().Select(c => ((int)c).ToString("X4", System.Globalization.CultureInfo.InvariantCulture) + " "));
            throw new Xunit.Sdk.XunitException(
                $"{hex}({source.Length} chars) into {destinationLength} bytes: {status}, {read} chars, {written} bytes " +
                $"{Convert.ToHexString(actual)}; .NET says {expectedStatus}, {expectedRead} chars, {expectedWritten} bytes {Convert.ToHexString(expected.AsSpan(0, expectedWritten))}");
        }
    }

    // Every destination length from empty to one past the output, so each scalar's "does it fit" is checked where it stops.
    private static void AssertAtEveryDestinationLength(ReadOnlySpan<char> source)
    {
        int needed = (source.Length * 3) + 1;
        for (int length = 0; length <= needed; length++)
        {
            AssertAgreesWithDotNet(source, length);
        }
    }

    [Fact]
    public void Every_BMP_char_at_each_position_of_short_texts()
    {
        // 4-7 chars (the first 4 and the last 4 as one block), 8 chars (one block), and 15 (a block and a last block that
        // shares 1 char with it; Each_kind_of_char_at_each_position covers every other overlap).
        // A mutation run (CLOSESTATUS_FUZZ_CASES under a million) takes the edges of each width, the surrogates' edges
        // and every 61st char.
        IEnumerable<int> chars = s_cases >= 200_000
            ? Enumerable.Range(0, 0x10000)
            : s_chars.Select(c => (int)c).Concat([0xD800, 0xDBFF, 0xDC00, 0xDFFF]).Concat(Enumerable.Range(0, 0x10000).Where(c => c % 61 == 0));
        Span<char> text = stackalloc char[15];
        foreach (int c in chars)
        {
            foreach (char filler in new[] { 'a', '\u0430', '\u4E2D' })
            {
                foreach (int length in new[] { 4, 5, 7, 8, 15 })
                {
                    for (int lane = 0; lane < length; lane += length == 15 ? 3 : 1)
                    {
                        text.Fill(filler);
                        text[lane] = (char)c;
                        AssertAgreesWithDotNet(text.Slice(0, length), 64);
                    }
                }
            }
        }
    }

    [Fact]
    public void Each_kind_of_char_at_each_position_of_each_length_up_to_24_at_every_destination_length()
    {
        // RFC 3629 §3: 1 byte below U+0080, 2 below U+0800, 3 up to U+FFFF; a pair is one scalar of 4 bytes.
        string[] pieces = [.. s_chars.Select(c => c.ToString()), "\uD83D\uDE00", "\uDBFF\uDFFF", "\uD800\uDC00"];
        foreach (char filler in new[] { 'a', '\u0430', '\u4E2D' })
        {
            for (int length = 1; length <= 24; length++)
            {
                foreach (string piece in pieces)
                {
                    for (int position = 0; position + piece.Length <= length; position++)
                    {
                        char[] text = Enumerable.Repeat(filler, length).ToArray();
                        piece.CopyTo(0, text, position, piece.Length);
                        AssertAtEveryDestinationLength(text);
                    }
                }
            }
        }
    }

    [Fact]
    public void ASCII_of_every_length_with_one_other_char_anywhere_or_none_at_every_destination_length()
    {
        // The short-reason step (8-32 chars: first and last 8 or 16 overlapping) and the 16-, 32- and 64-char ASCII runs,
        // each with a char that takes it off the ASCII step at every position, and cut by the destination at every length.
        string[] others = ["\u00E9", "\u4E2D", "\uD83D\uDE00", "\uD800"];
        for (int length = 0; length <= 70; length++)
        {
            AssertAtEveryDestinationLength(new string('a', length).ToCharArray());
            foreach (string other in others)
            {
                for (int position = 0; position + other.Length <= length; position += length > 34 ? 5 : 1)
                {
                    char[] text = Enumerable.Repeat('a', length).ToArray();
                    other.CopyTo(0, text, position, other.Length);
                    AssertAgreesWithDotNet(text, (length * 3) + 1);
                    AssertAgreesWithDotNet(text, length);
                }
            }
        }
    }

    [Fact]
    public void A_lone_surrogate_at_every_position_is_invalid_data_after_the_scalars_before_it()
    {
        // RFC 3629 §3: surrogate code points (U+D800-U+DFFF) must not be encoded; a high one needs a low one right after.
        // A high one before each char just outside the low range (DBFF, E000), as well as before a high one and ASCII.
        string[] lone = ["\uD800", "\uDBFF", "\uDC00", "\uDFFF", "\uDC00\uD800", "\uD83D\uD83D", "\uD83Da", "\uD83D\uE000", "\uDBFF\uDBFF", "\uD800\uE000"];
        foreach (char filler in new[] { 'a', '\u00E9', '\u4E2D' })
        {
            for (int length = 1; length <= 40; length++)
            {
                foreach (string surrogate in lone)
                {
                    for (int position = 0; position + surrogate.Length <= length; position++)
                    {
                        char[] text = Enumerable.Repeat(filler, length).ToArray();
                        surrogate.CopyTo(0, text, position, surrogate.Length);
                        Utf16Transcoding.FromUtf16(text, new byte[200], out _, out int written).Should().Be(OperationStatus.InvalidData);
                        written.Should().Be(System.Text.Encoding.UTF8.GetByteCount(text, 0, position));
                        AssertAgreesWithDotNet(text, 200);
                    }
                }
            }
        }
    }

    [Fact]
    public void Random_text_in_every_script_at_random_destination_lengths()
    {
        var random = new Random(28);
        string[] alphabet =
        [
            "a", " ", ",", "\u0421", "\u0435", "\u0440", "\u0432", "\u4E2D", "\u6587", "\u00E9", "\u20AC", "\uFFFF", "\u0800", "\u07FF",
            "\uD83D\uDC4B", "\uD83D\uDE00", "\uD800", "\uDC00",
        ];
        char[] buffer = new char[140];
        for (int n = 0; n < s_cases; n++)
        {
            // Mostly one script at a time, as reasons are written, with the odd char of another.
            int length = random.Next(0, 140);
            string main = alphabet[random.Next(alphabet.Length)];
            int count = 0;
            while (count < length)
            {
                string piece = random.Next(6) == 0 ? alphabet[random.Next(alphabet.Length)] : main;
                if (count + piece.Length > length)
                {
                    break;
                }

                piece.CopyTo(0, buffer, count, piece.Length);
                count += piece.Length;
            }

            int destination = random.Next(3) == 0 ? random.Next(0, (count * 3) + 2) : (count * 3) + 1;
            AssertAgreesWithDotNet(buffer.AsSpan(0, count), destination);
        }
    }

    [Fact]
    public void A_high_surrogate_that_ends_the_span_is_lone_though_a_low_one_follows_it_in_memory()
    {
        // RFC 3629 §3: the span is the text; a pair cut by its end is a lone high surrogate, whatever lies beyond it.
        foreach (char filler in new[] { 'a', '\u0430', '\u4E2D' })
        {
            for (int length = 1; length <= 40; length++)
            {
                char[] memory = [.. Enumerable.Repeat(filler, length - 1), '\uD83D', '\uDE00', 'a'];
                ReadOnlySpan<char> text = memory.AsSpan(0, length);
                Utf16Transcoding.FromUtf16(text, new byte[200], out _, out int written).Should().Be(OperationStatus.InvalidData);
                written.Should().Be(System.Text.Encoding.UTF8.GetByteCount(memory, 0, length - 1));
                AssertAgreesWithDotNet(text, 200);
            }
        }
    }

    [Fact]
    public void The_close_reasons_of_the_benchmarks_transcode_as_dotNet_does()
    {
        string[] reasons =
        [
            "server going down no", new string('a', 123), string.Concat(Enumerable.Repeat("\u00E9\u20AC\uD83D\uDE00", 13)) + "abc",
            "\u0421\u0435\u0440\u0432\u0435\u0440 \u0437\u0430\u043A\u0440\u044B\u0442", "\u670D\u52A1\u5668\u5DF2\u5173\u95ED", "\uD83D\uDC4B",
            "\u041E\u0448\u0438\u0431\u043A\u0430: \u670D\u52A1\u5668 \uD83D\uDE00 bye",
        ];
        foreach (string reason in reasons)
        {
            AssertAtEveryDestinationLength(reason);
        }
    }
}
