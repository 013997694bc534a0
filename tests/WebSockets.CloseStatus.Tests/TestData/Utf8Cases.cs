using Xunit;

namespace WebSockets.CloseStatus.Tests.TestData;

/// <summary>UTF-8 per RFC 3629 §4 and Unicode Table 3-7, as hex strings with what each case shows.</summary>
public static class Utf8Cases
{
    public static TheoryData<string, string> Invalid => new()
    {
        { "C0 80", "overlong NUL (C0 lead)" },
        { "C1 BF", "overlong (C1 lead)" },
        { "E0 80 80", "overlong 3-byte" },
        { "E0 9F BF", "overlong 3-byte, largest" },
        { "F0 80 80 80", "overlong 4-byte" },
        { "F0 8F BF BF", "overlong 4-byte, largest" },
        { "ED A0 80", "surrogate U+D800" },
        { "ED BF BF", "surrogate U+DFFF" },
        { "ED A0 BD ED B2 A9", "surrogate pair encoded as two 3-byte sequences (CESU-8)" },
        { "F4 90 80 80", "code point U+110000, above U+10FFFF" },
        { "F5 80 80 80", "lead F5" },
        { "F8 88 80 80 80", "5-byte form" },
        { "FC 84 80 80 80 80", "6-byte form" },
        { "FE", "byte FE" },
        { "FF", "byte FF" },
        { "80", "stray continuation byte" },
        { "BF", "stray continuation byte BF" },
        { "41 80 42", "continuation byte after ASCII" },
        { "C3", "truncated 2-byte sequence" },
        { "E2 82", "truncated 3-byte sequence" },
        { "F0 9F 98", "truncated 4-byte sequence" },
        { "C3 41", "2-byte lead followed by ASCII" },
        { "E2 41 AC", "3-byte sequence broken in the middle" },
        { "F0 9F 41 80", "4-byte sequence broken in the middle" },
        { "41 41 41 41 41 41 41 41 41 41 41 41 41 41 41 41 C0", "invalid byte after an ASCII run (fast path boundary)" },
        { "41 41 41 41 41 41 41 C3", "truncated sequence at the end of an 8-byte block" },
        { "C3 A9 " + AsciiRun(40) + " C0", "invalid byte after a multibyte char and a 40-byte ASCII run (fast paths resumed mid-reason)" },
    };

    public static TheoryData<string, string> Valid => new()
    {
        { "", "empty" },
        { "41", "ASCII" },
        { "7F", "U+007F, largest 1-byte" },
        { "C2 80", "U+0080, smallest 2-byte" },
        { "DF BF", "U+07FF, largest 2-byte" },
        { "E0 A0 80", "U+0800, smallest 3-byte" },
        { "ED 9F BF", "U+D7FF, just below the surrogates" },
        { "EE 80 80", "U+E000, just above the surrogates" },
        { "EF BB BF", "BOM U+FEFF, kept as is" },
        { "EF BF BD", "U+FFFD replacement character, kept as is" },
        { "EF BF BF", "U+FFFF, largest 3-byte" },
        { "F0 90 80 80", "U+10000, smallest 4-byte" },
        { "F4 8F BF BF", "U+10FFFF, largest code point" },
        { "F0 9F 98 80", "emoji U+1F600" },
        { "00", "U+0000 NUL is valid UTF-8" },
        { "C3 A9 " + AsciiRun(40), "a multibyte char, then a 40-byte ASCII run to the end (fast paths resumed mid-reason)" },
    };

    // "41 41 ... 41": long enough runs reach the vector and eight-byte ASCII paths after a multibyte char.
    private static string AsciiRun(int length) => string.Join(" ", System.Linq.Enumerable.Repeat("41", length));
}
