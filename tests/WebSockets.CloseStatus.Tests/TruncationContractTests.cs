using System;
using System.Buffers;
using System.Linq;
using System.Text;
using FluentAssertions;
using Xunit;

namespace WebSockets.CloseStatus.Tests;

/// <summary>Truncation keeps its documented promise at its edges: only the part written must be valid, and the cut is the same everywhere.</summary>
public class TruncationContractTests
{
    public static TheoryData<string, CloseReasonTruncation, string> LoneSurrogateInDroppedPart => new()
    {
        // 123 × 'a' fill the reason; the lone high surrogate after them is cut off (issue #14).
        { new string('a', 123) + "\uD800", CloseReasonTruncation.Truncate, new string('a', 123) },
        // With the ellipsis the cut is at 120 bytes, before the lone low surrogate at index 121.
        { new string('a', 121) + "\uDC00" + "bbbbbbbbbb", CloseReasonTruncation.TruncateWithEllipsis, new string('a', 120) + "…" },
        // A lone surrogate counts as 3 bytes (U+FFFD's size), so at index 121 it does not fit in 123 and is dropped.
        { new string('a', 121) + "\uD800", CloseReasonTruncation.Truncate, new string('a', 121) },
        // Several lone surrogates, all past the cut.
        { new string('é', 61) + "x" + "\uDFFF\uDFFF\uD800", CloseReasonTruncation.Truncate, new string('é', 61) + "x" },
    };

    [Theory]
    [MemberData(nameof(LoneSurrogateInDroppedPart))]
    public void LoneSurrogateInTheDroppedPart_IsDropped_ByEveryCharWriter(string reason, CloseReasonTruncation truncation, string expected)
    {
        byte[] expectedPayload = [0x03, 0xE8, .. Encoding.UTF8.GetBytes(expected)];
        byte[] destination = new byte[ClosePayload.MaxLength];

        ClosePayload.TryWrite(destination, WebSocketCloseStatus.NormalClosure, reason, out int written, truncation).Should().BeTrue();
        destination[..written].Should().Equal(expectedPayload);
        ClosePayload.TryWrite(destination, WebSocketCloseStatus.NormalClosure, reason.AsSpan(), out written, truncation).Should().BeTrue();
        destination[..written].Should().Equal(expectedPayload);

        ClosePayload.Create(WebSocketCloseStatus.NormalClosure, reason, truncation).Should().Equal(expectedPayload);

        var writer = new ArrayBufferWriter<byte>();
        CloseFrame.Write(writer, WebSocketRole.Server, WebSocketCloseStatus.NormalClosure, reason, truncation).Should().Be(2 + expectedPayload.Length);
        writer.WrittenSpan[2..].ToArray().Should().Equal(expectedPayload);

        byte[] frame = new byte[CloseFrame.MaxLength];
        CloseFrame.TryWrite(frame, WebSocketRole.Server, WebSocketCloseStatus.NormalClosure, reason, out int frameLength, truncation).Should().BeTrue();
        frame[2..frameLength].Should().Equal(expectedPayload);

        CloseFrame.TryWriteMasked(frame, 0u, WebSocketCloseStatus.NormalClosure, reason, out frameLength, truncation).Should().BeTrue();
        frame[6..frameLength].Should().Equal(expectedPayload, "a zero key leaves the payload as it is");

        ClosePayload.TruncateReason(reason, truncation).Should().Be(expected);
    }

    [Theory]
    [InlineData(CloseReasonTruncation.Truncate)]
    [InlineData(CloseReasonTruncation.TruncateWithEllipsis)]
    public void LoneSurrogateInTheKeptPart_Throws_WithItsIndex(CloseReasonTruncation truncation)
    {
        string reason = new string('a', 50) + "\uDC01" + new string('b', 200);
        byte[] destination = new byte[ClosePayload.MaxLength];

        Action write = () => ClosePayload.TryWrite(destination, WebSocketCloseStatus.NormalClosure, reason, out _, truncation);
        Action truncate = () => ClosePayload.TruncateReason(reason, truncation);

        write.Should().Throw<ArgumentException>().WithMessage("*U+DC01 at index 50*").Which.ParamName.Should().Be("reason");
        truncate.Should().Throw<ArgumentException>().WithMessage("*U+DC01 at index 50*").Which.ParamName.Should().Be("reason");
    }

    [Fact]
    public void Utf8_WellFormedUpToTheCut_IsKeptWhole_WhateverFollows()
    {
        // 119 × 'a' + 😀 (F0 9F 98 80) fill 123 bytes exactly; a stray continuation byte follows (issue #14).
        byte[] fourByte = [.. Enumerable.Repeat((byte)'a', 119), 0xF0, 0x9F, 0x98, 0x80, 0x80];
        // 121 × 'a' + é (C3 A9) fill 123 bytes; a stray continuation byte follows.
        byte[] twoByte = [.. Enumerable.Repeat((byte)'a', 121), 0xC3, 0xA9, 0x80, 0x80];
        byte[] destination = new byte[ClosePayload.MaxLength];

        foreach (byte[] reason in new[] { fourByte, twoByte })
        {
            ClosePayload.TryWriteUtf8(destination, WebSocketCloseStatus.NormalClosure, reason, out int written, CloseReasonTruncation.Truncate).Should().BeTrue();
            written.Should().Be(ClosePayload.MaxLength);
            destination.AsSpan(2).ToArray().Should().Equal(reason[..123]);
        }
    }

    [Fact]
    public void Utf8_ASequenceTheCutWouldSplit_IsDroppedWhole()
    {
        // 'é' at bytes 122–123: the cut at 123 would split it, so 122 bytes are kept.
        byte[] reason = [.. Enumerable.Repeat((byte)'a', 122), 0xC3, 0xA9, .. Enumerable.Repeat((byte)'b', 5)];
        byte[] destination = new byte[ClosePayload.MaxLength];

        ClosePayload.TryWriteUtf8(destination, WebSocketCloseStatus.NormalClosure, reason, out int written, CloseReasonTruncation.Truncate).Should().BeTrue();

        written.Should().Be(2 + 122);
        destination.AsSpan(2, 122).ToArray().Should().Equal(reason[..122]);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(100)]
    [InlineData(119)]
    public void Utf8_IllFormedBytesBeforeTheLastThree_Throw_WithTheirIndex(int at)
    {
        byte[] reason = [.. Enumerable.Repeat((byte)'a', 200)];
        reason[at] = 0xFF;
        byte[] destination = new byte[ClosePayload.MaxLength];

        Action write = () => ClosePayload.TryWriteUtf8(destination, WebSocketCloseStatus.NormalClosure, reason, out _, CloseReasonTruncation.Truncate);

        write.Should().Throw<ArgumentException>().WithMessage($"*byte index {at} *");
    }

    [Fact]
    public void TruncateReason_AReasonThatFits_ComesBackAsTheSameInstance()
    {
        string reason = new string('ж', 61) + "a";   // 123 bytes exactly

        ClosePayload.TruncateReason(reason, CloseReasonTruncation.None).Should().BeSameAs(reason);
        ClosePayload.TruncateReason(reason, CloseReasonTruncation.Truncate).Should().BeSameAs(reason);
        ClosePayload.TruncateReason(reason, CloseReasonTruncation.TruncateWithEllipsis).Should().BeSameAs(reason);
        ClosePayload.TruncateReason("", CloseReasonTruncation.Truncate).Should().BeSameAs("");
    }

    [Theory]
    [InlineData("Привет, мир! ", CloseReasonTruncation.Truncate)]
    [InlineData("服务器正在重启，请稍后重试。", CloseReasonTruncation.Truncate)]
    [InlineData("😀🎉👍", CloseReasonTruncation.TruncateWithEllipsis)]
    [InlineData("mixed é€😀 text ", CloseReasonTruncation.TruncateWithEllipsis)]
    [InlineData("a", CloseReasonTruncation.TruncateWithEllipsis)]
    public void TruncateReason_IsExactlyWhatTheByteWritersWrite(string unit, CloseReasonTruncation truncation)
    {
        byte[] destination = new byte[ClosePayload.MaxLength];
        for (int repeat = 1; repeat < 200; repeat += 7)
        {
            string reason = string.Concat(Enumerable.Repeat(unit, repeat));
            ClosePayload.TryWrite(destination, WebSocketCloseStatus.NormalClosure, reason, out int written, truncation).Should().BeTrue();

            string truncated = ClosePayload.TruncateReason(reason, truncation);

            truncated.Should().Be(Encoding.UTF8.GetString(destination, 2, written - 2));
            Encoding.UTF8.GetByteCount(truncated).Should().BeLessThanOrEqualTo(ClosePayload.MaxReasonLength);
            char.IsHighSurrogate(truncated.TrimEnd('…')[^1]).Should().BeFalse("a surrogate pair is never split");
        }
    }

    [Fact]
    public void TruncateReason_CallerMistakes_Throw()
    {
        Action none = () => ClosePayload.TruncateReason(new string('a', 124), CloseReasonTruncation.None);
        Action nullReason = () => ClosePayload.TruncateReason(null!, CloseReasonTruncation.Truncate);
        Action undefined = () => ClosePayload.TruncateReason("a", (CloseReasonTruncation)3);

        none.Should().Throw<ArgumentException>().WithMessage("*124 bytes*123*");
        nullReason.Should().Throw<ArgumentNullException>().Which.ParamName.Should().Be("reason");
        undefined.Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("truncation");
    }

    [Theory]
    [InlineData("a", 121)]
    [InlineData("a", 123)]
    [InlineData("\u0416", 122)]
    [InlineData("\u4E2D", 123)]
    [InlineData("\uD83D\uDC4B", 123)]
    public void AReasonOf121To123Bytes_IsWrittenWhole_WithTheEllipsisOn(string unit, int bytes)
    {
        // RFC 6455 §5.5: 123 bytes of reason fit, so nothing is cut, though the first 120 bytes leave too little room for
        // the rest and an ellipsis.
        int width = Encoding.UTF8.GetByteCount(unit);
        string reason = new string('x', bytes % width) + string.Concat(Enumerable.Repeat(unit, bytes / width));
        byte[] destination = new byte[ClosePayload.MaxLength];

        ClosePayload.TryWrite(destination, WebSocketCloseStatus.NormalClosure, reason, out int written, CloseReasonTruncation.TruncateWithEllipsis).Should().BeTrue();

        destination[2..written].Should().Equal(Encoding.UTF8.GetBytes(reason));
    }

    // The scalars a cut backs off over, by UTF-8 width at each edge of the width classes (RFC 3629 §3): U+007F and U+0080,
    // U+07FF and U+0800, U+FFFD, and a surrogate pair.
    private static readonly string[] s_edgeScalars = ["\u007F", "\u0080", "\u07FF", "\u0800", "\uFFFD", "\U0001F44B"];

    public static TheoryData<string> ReasonsCutAtEveryWidth()
    {
        var data = new TheoryData<string>();
        foreach (string first in s_edgeScalars)
        {
            foreach (string second in s_edgeScalars)
            {
                // ASCII up to just before 120 bytes, then two scalars that straddle the cut, then more than fits.
                for (int ascii = 113; ascii <= 121; ascii++)
                {
                    data.Add(new string('a', ascii) + first + second + "zzzzzz");
                }
            }
        }

        return data;
    }

    // RFC 6455 §5.5: with TruncateWithEllipsis a reason that fits is written whole, and one that does not keeps its longest
    // prefix of whole scalars within 120 bytes, then "…". The expected bytes come from the runtime's own encoder, scalar by scalar; the destination is
    // filled with distinct bytes first, so that a byte past the payload that was written and not put back shows.
    [Theory]
    [MemberData(nameof(ReasonsCutAtEveryWidth))]
    public void TruncateWithEllipsis_CutsAtTheLastWholeScalarWithin120Bytes_AndLeavesTheRestOfTheDestination(string reason)
    {
        var kept = new StringBuilder();
        int keptBytes = 0;
        foreach (Rune rune in reason.EnumerateRunes())
        {
            if (keptBytes + rune.Utf8SequenceLength > ClosePayload.MaxReasonLength - 3)
            {
                break;
            }

            kept.Append(rune.ToString());
            keptBytes += rune.Utf8SequenceLength;
        }

        byte[] whole = Encoding.UTF8.GetBytes(reason);
        byte[] expected = whole.Length <= ClosePayload.MaxReasonLength
            ? [0x03, 0xE8, .. whole]
            : [0x03, 0xE8, .. Encoding.UTF8.GetBytes(kept.ToString()), 0xE2, 0x80, 0xA6];
        foreach (int length in new[] { ClosePayload.MaxLength, ClosePayload.MaxLength + 6 })
        {
            byte[] destination = [.. Enumerable.Range(0, length).Select(i => (byte)(i * 7 + 3))];
            byte[] before = (byte[])destination.Clone();

            ClosePayload.TryWrite(destination, WebSocketCloseStatus.NormalClosure, reason, out int written, CloseReasonTruncation.TruncateWithEllipsis).Should().BeTrue();

            destination[..written].Should().Equal(expected);
            destination[written..].Should().Equal(before[written..], "no byte past the payload changes");
        }
    }

    // A UTF-8 reason of exactly 123 bytes fits: no truncation asks for a cut, not even TruncateWithEllipsis (§5.5).
    [Theory]
    [InlineData(CloseReasonTruncation.Truncate)]
    [InlineData(CloseReasonTruncation.TruncateWithEllipsis)]
    public void TryWriteUtf8_AReasonOfExactly123Bytes_IsWrittenWhole(CloseReasonTruncation truncation)
    {
        byte[] reason = Encoding.UTF8.GetBytes(new string('b', 120) + "é" + "c");
        reason.Should().HaveCount(ClosePayload.MaxReasonLength);
        byte[] destination = new byte[ClosePayload.MaxLength];

        ClosePayload.TryWriteUtf8(destination, WebSocketCloseStatus.NormalClosure, reason, out int written, truncation).Should().BeTrue();

        destination[..written].Should().Equal([0x03, 0xE8, .. reason]);

        // Nothing is cut from it, so an ill-formed byte near its end is in the part written: a caller mistake (§8.1).
        reason[^2] = 0xFF;
        Action write = () => ClosePayload.TryWriteUtf8(new byte[ClosePayload.MaxLength], WebSocketCloseStatus.NormalClosure, reason, out _, truncation);
        write.Should().Throw<ArgumentException>().WithParameterName("utf8Reason");
    }
}
