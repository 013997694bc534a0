using System;
using System.Buffers;
using System.Linq;
using System.Text;
using FluentAssertions;
using WebSockets.CloseStatus.Tests.TestData;
using Xunit;

namespace WebSockets.CloseStatus.Tests;

public class ClosePayloadWriteTests
{
    private static readonly string s_fourByte = "😀"; // U+1F600: a surrogate pair, 4 bytes in UTF-8

    [Fact]
    public void TryWrite_EmptyWithoutReason_WritesEmptyPayload_SoThat1005RoundTrips()
    {
        // §7.1.5: 1005 means "no status code"; written back, it is an empty payload.
        Span<byte> destination = stackalloc byte[8];

        ClosePayload.TryWrite(destination, WebSocketCloseStatus.Empty, ReadOnlySpan<char>.Empty, out int charWritten).Should().BeTrue();
        ClosePayload.TryWriteUtf8(destination, WebSocketCloseStatus.Empty, ReadOnlySpan<byte>.Empty, out int byteWritten).Should().BeTrue();
        ClosePayload.TryWrite(Span<byte>.Empty, WebSocketCloseStatus.Empty, "", out int intoNothing).Should().BeTrue();

        charWritten.Should().Be(0);
        byteWritten.Should().Be(0);
        intoNothing.Should().Be(0);
        ClosePayload.ReadUtf8(destination[..charWritten], out WebSocketCloseStatus status, out _).Should().Be(CloseFrameError.None);
        status.Should().Be(WebSocketCloseStatus.Empty);
        ClosePayload.Create(WebSocketCloseStatus.Empty).Should().BeEmpty();
    }

    [Fact]
    public void TryWrite_EmptyWithReason_Throws()
    {
        byte[] destination = new byte[16];

        Action chars = () => ClosePayload.TryWrite(destination, WebSocketCloseStatus.Empty, "why", out _);
        Action bytes = () => ClosePayload.TryWriteUtf8(destination, WebSocketCloseStatus.Empty, "why"u8, out _);

        chars.Should().Throw<ArgumentOutOfRangeException>().WithMessage("1005 (Empty)*cannot carry a reason*").And.ParamName.Should().Be("status");
        bytes.Should().Throw<ArgumentOutOfRangeException>().WithMessage("1005 (Empty)*");
    }

    [Theory]
    [InlineData(1006, "1006 (AbnormalClosure) is reported locally and must not be sent*")]
    [InlineData(1015, "1015 (TlsHandshakeFailure) is reported locally and must not be sent*")]
    [InlineData(1005, "1005 (Empty)*")]
    [InlineData(1004, "1004 (Reserved)*must not be sent*")]
    [InlineData(0, "0 is in 0–999*")]
    [InlineData(999, "999 is in 0–999*")]
    [InlineData(1016, "1016 is in 1016–2999*")]
    [InlineData(2999, "2999 is in 1016–2999*")]
    [InlineData(5000, "5000 is above 4999*")]
    [InlineData(65535, "65535 is above 4999*")]
    public void TryWrite_StatusNotValidOnWire_ThrowsNamingCodeAndWhy_Rfc6455_7_4(int code, string message)
    {
        byte[] destination = new byte[ClosePayload.MaxLength];

        Action chars = () => ClosePayload.TryWrite(destination, (WebSocketCloseStatus)code, "x", out _);
        Action bytes = () => ClosePayload.TryWriteUtf8(destination, (WebSocketCloseStatus)code, "x"u8, out _);
        Action count = () => ClosePayload.GetByteCount((WebSocketCloseStatus)code, "x");

        chars.Should().Throw<ArgumentOutOfRangeException>().WithMessage(message).And.ParamName.Should().Be("status");
        bytes.Should().Throw<ArgumentOutOfRangeException>().WithMessage(message);
        count.Should().Throw<ArgumentOutOfRangeException>().WithMessage(message);
    }

    [Theory]
    [InlineData(1000)]
    [InlineData(1003)]
    [InlineData(1007)]
    [InlineData(1014)]
    [InlineData(3000)]
    [InlineData(4999)]
    public void TryWrite_ValidStatus_WritesBigEndianCodeThenReason_Rfc6455_5_5_1(int code)
    {
        byte[] destination = new byte[ClosePayload.MaxLength];

        ClosePayload.TryWrite(destination, (WebSocketCloseStatus)code, "ok", out int written).Should().BeTrue();

        destination[..written].Should().Equal((byte)(code >> 8), (byte)code, (byte)'o', (byte)'k');
    }

    [Fact]
    public void TryWrite_123ByteReasonEndingInFourByteChar_Fits()
    {
        string reason = new string('a', 119) + s_fourByte;
        byte[] destination = new byte[ClosePayload.MaxLength];

        ClosePayload.TryWrite(destination, WebSocketCloseStatus.NormalClosure, reason, out int written).Should().BeTrue();

        written.Should().Be(ClosePayload.MaxLength);
        destination.AsSpan(2).ToArray().Should().Equal(Encoding.UTF8.GetBytes(reason));
        ClosePayload.GetByteCount(WebSocketCloseStatus.NormalClosure, reason).Should().Be(125);
    }

    [Theory]
    [InlineData(124, 0)]
    [InlineData(120, 1)] // 120 + 4 = 124
    [InlineData(1000, 0)]
    public void TryWrite_ReasonOver123Bytes_ThrowsWithByteCountAndLimit_Rfc6455_5_5(int asciiCount, int fourByteCount)
    {
        string reason = new string('a', asciiCount) + string.Concat(Enumerable.Repeat(s_fourByte, fourByteCount));
        int byteCount = asciiCount + (4 * fourByteCount);
        byte[] destination = new byte[2000];

        Action chars = () => ClosePayload.TryWrite(destination, WebSocketCloseStatus.NormalClosure, reason, out _);
        Action bytes = () => ClosePayload.TryWriteUtf8(destination, WebSocketCloseStatus.NormalClosure, Encoding.UTF8.GetBytes(reason), out _);
        Action count = () => ClosePayload.GetByteCount(WebSocketCloseStatus.NormalClosure, reason);

        string expected = $"The reason is {byteCount} bytes in UTF-8; a close frame holds at most 123*";
        chars.Should().Throw<ArgumentException>().WithMessage(expected).And.ParamName.Should().Be("reason");
        bytes.Should().Throw<ArgumentException>().WithMessage(expected).And.ParamName.Should().Be("utf8Reason");
        count.Should().Throw<ArgumentException>().WithMessage(expected);
    }

    [Fact]
    public void TryWrite_LengthCheckAndEncoding_UseTheSameRules()
    {
        // 41 × "€" is 123 bytes in UTF-8 (but 41 chars); 42 × is 126 bytes. The limit counts UTF-8 bytes, exactly.
        byte[] destination = new byte[200];

        ClosePayload.TryWrite(destination, WebSocketCloseStatus.NormalClosure, new string('€', 41), out int written).Should().BeTrue();
        written.Should().Be(125);

        Action over = () => ClosePayload.TryWrite(destination, WebSocketCloseStatus.NormalClosure, new string('€', 42), out _);
        over.Should().Throw<ArgumentException>().WithMessage("The reason is 126 bytes*");
    }

    [Theory]
    [InlineData("", 0xD83D, 0, 0)]        // high surrogate at the end
    [InlineData("ab", 0xDE00, 0, 2)]      // low surrogate alone
    [InlineData("a", 0xD83D, 'b', 1)]     // high surrogate followed by a non-surrogate
    [InlineData("", 0xDE00, 0xD83D, 0)]   // reversed pair
    [InlineData("abcdefghijklmnopqrstuvwxyzabcdefghijklmn", 0xD83D, 'b', 40)] // after an ASCII run the vector narrowing takes
    public void TryWrite_LoneSurrogate_ThrowsWithIndex(string before, int surrogate, int after, int index)
    {
        // Lone surrogates are passed as numbers (0: none): test runners mangle them inside strings and test names.
        string reason = before + (char)surrogate + (after == 0 ? "" : ((char)after).ToString());
        byte[] destination = new byte[ClosePayload.MaxLength];

        Action write = () => ClosePayload.TryWrite(destination, WebSocketCloseStatus.NormalClosure, reason, out _);
        Action count = () => ClosePayload.GetByteCount(WebSocketCloseStatus.NormalClosure, reason);
        Action tooSmall = () => ClosePayload.TryWrite(new byte[1], WebSocketCloseStatus.NormalClosure, reason, out _);

        write.Should().Throw<ArgumentException>().WithMessage($"The reason has a lone surrogate U+{(int)reason[index]:X4} at index {index}*").And.ParamName.Should().Be("reason");
        count.Should().Throw<ArgumentException>().WithMessage("*lone surrogate*");
        tooSmall.Should().Throw<ArgumentException>().WithMessage("*lone surrogate*");
    }

    [Theory]
    [MemberData(nameof(Utf8Cases.Invalid), MemberType = typeof(Utf8Cases))]
    public void TryWrite_IllFormedUtf8Reason_Throws(string hex, string why)
    {
        byte[] destination = new byte[ClosePayload.MaxLength];

        Action act = () => ClosePayload.TryWriteUtf8(destination, WebSocketCloseStatus.NormalClosure, Hex.Parse(hex), out _);

        act.Should().Throw<ArgumentException>(why).WithMessage("The reason is not well-formed UTF-8 at byte index *").And.ParamName.Should().Be("utf8Reason");
    }

    [Fact]
    public void TryWrite_IllFormedUtf8_MessageNamesFirstBadIndex()
    {
        Action act = () => ClosePayload.TryWriteUtf8(new byte[125], WebSocketCloseStatus.NormalClosure, [0x61, 0x62, 0xE2, 0x28, 0xA1], out _);

        act.Should().Throw<ArgumentException>().WithMessage("*at byte index 2*");
    }

    [Theory]
    [InlineData("")]
    [InlineData("bye")]
    [InlineData("Grüße, 世界 😀")]
    public void TryWrite_DestinationTooSmall_ReturnsFalseAndZero(string reason)
    {
        int needed = ClosePayload.GetByteCount(WebSocketCloseStatus.NormalClosure, reason);
        byte[] utf8 = Encoding.UTF8.GetBytes(reason);
        for (int size = 0; size < needed; size++)
        {
            byte[] destination = new byte[size];

            ClosePayload.TryWrite(destination, WebSocketCloseStatus.NormalClosure, reason, out int charsWritten).Should().BeFalse("size {0}", size);
            ClosePayload.TryWriteUtf8(destination, WebSocketCloseStatus.NormalClosure, utf8, out int bytesWritten).Should().BeFalse("size {0}", size);
            charsWritten.Should().Be(0);
            bytesWritten.Should().Be(0);
        }

        ClosePayload.TryWrite(new byte[needed], WebSocketCloseStatus.NormalClosure, reason, out int exact).Should().BeTrue();
        exact.Should().Be(needed);
    }

    [Fact]
    public void TryWrite_TooSmallDestinationAndCallerMistake_ThrowsRatherThanFalse()
    {
        Action tooLong = () => ClosePayload.TryWrite(new byte[3], WebSocketCloseStatus.NormalClosure, new string('a', 200), out _);
        Action badStatus = () => ClosePayload.TryWrite(new byte[1], WebSocketCloseStatus.AbnormalClosure, "", out _);

        tooLong.Should().Throw<ArgumentException>().WithMessage("The reason is 200 bytes*");
        badStatus.Should().Throw<ArgumentOutOfRangeException>();
    }

    [Fact]
    public void TryWrite_Utf8Overload_KeepsBomAndReplacementCharacter()
    {
        byte[] reason = [0xEF, 0xBB, 0xBF, 0x41, 0xEF, 0xBF, 0xBD];
        byte[] destination = new byte[ClosePayload.MaxLength];

        ClosePayload.TryWriteUtf8(destination, WebSocketCloseStatus.PolicyViolation, reason, out int written).Should().BeTrue();

        destination[..written].Should().Equal([0x03, 0xF0, .. reason]);
    }

    [Theory]
    [InlineData(0x007F, 1)] // RFC 3629 §3: U+0000–U+007F take 1 byte,
    [InlineData(0x0080, 2)] // U+0080–U+07FF take 2,
    [InlineData(0x07FF, 2)]
    [InlineData(0x0800, 3)] // U+0800–U+FFFF take 3 (surrogates aside),
    [InlineData(0xD7FF, 3)]
    [InlineData(0xE000, 3)]
    [InlineData(0xFFFF, 3)]
    public void GetByteCount_FollowsUtf8WidthBoundaries(int scalar, int width)
    {
        string reason = new((char)scalar, 41);

        ClosePayload.GetByteCount(WebSocketCloseStatus.NormalClosure, reason).Should().Be(2 + (41 * width));
    }

    [Theory]
    [InlineData(0x07FF, 61, 2)] // 61 × 2 = 122 bytes fit in 123; the 62nd char would not
    [InlineData(0x0800, 41, 3)] // 41 × 3 = 123 bytes, exactly the limit
    public void Truncate_CutsAtTheUtf8WidthOfEachChar(int scalar, int charsKept, int width)
    {
        // The cut is made by counting UTF-8 bytes per char (RFC 3629 §3), so the width boundaries decide it.
        string reason = new((char)scalar, 100);
        byte[] destination = new byte[ClosePayload.MaxLength];

        ClosePayload.TryWrite(destination, WebSocketCloseStatus.NormalClosure, reason, out int written, CloseReasonTruncation.Truncate).Should().BeTrue();

        written.Should().Be(2 + (charsKept * width));
        Encoding.UTF8.GetString(destination, 2, written - 2).Should().Be(reason[..charsKept]);
    }

    [Fact]
    public void Truncate_Utf8_StrayContinuationsBeyondTheCut_AreDroppedNotJudged()
    {
        // The cut steps back over at most 3 continuation bytes (a sequence has at most 4 bytes, RFC 3629 §3) and
        // validates only what is written: "ab…é" then four stray continuation bytes at the cut.
        byte[] reason = [.. Enumerable.Repeat((byte)'a', 118), 0xC3, 0xA9, 0x80, 0x80, 0x80, 0x80, .. Enumerable.Repeat((byte)'b', 10)];
        byte[] destination = new byte[ClosePayload.MaxLength];

        ClosePayload.TryWriteUtf8(destination, WebSocketCloseStatus.NormalClosure, reason, out int written, CloseReasonTruncation.Truncate).Should().BeTrue();

        written.Should().Be(2 + 120);
        destination.AsSpan(2, 120).ToArray().Should().Equal(reason[..120]);
    }

    [Theory]
    [InlineData("")]
    [InlineData("a")]
    [InlineData("é€😀")]
    public void GetByteCount_IsWhatTryWriteWrites(string reason)
    {
        byte[] destination = new byte[ClosePayload.MaxLength];
        ClosePayload.TryWrite(destination, WebSocketCloseStatus.TryAgainLater, reason, out int written);

        ClosePayload.GetByteCount(WebSocketCloseStatus.TryAgainLater, reason).Should().Be(written);
        ClosePayload.GetByteCount(WebSocketCloseStatus.Empty, "").Should().Be(0);
    }

    [Fact]
    public void Truncate_LongAsciiReason_KeepsFirst123Bytes()
    {
        string reason = new('a', 200);
        byte[] destination = new byte[ClosePayload.MaxLength];

        ClosePayload.TryWrite(destination, WebSocketCloseStatus.NormalClosure, reason, out int written, CloseReasonTruncation.Truncate).Should().BeTrue();

        written.Should().Be(125);
        destination.AsSpan(2).ToArray().Should().OnlyContain(b => b == (byte)'a');
        ClosePayload.TruncateReason(reason, CloseReasonTruncation.Truncate).Should().Be(new string('a', 123));
    }

    [Fact]
    public void Truncate_WithEllipsis_Keeps120BytesAndEllipsis()
    {
        string reason = new('a', 200);
        byte[] destination = new byte[ClosePayload.MaxLength];

        ClosePayload.TryWrite(destination, WebSocketCloseStatus.NormalClosure, reason, out int written, CloseReasonTruncation.TruncateWithEllipsis).Should().BeTrue();

        written.Should().Be(125);
        Encoding.UTF8.GetString(destination, 2, 123).Should().Be(new string('a', 120) + "…");
    }

    [Theory]
    [InlineData(CloseReasonTruncation.Truncate)]
    [InlineData(CloseReasonTruncation.TruncateWithEllipsis)]
    public void Truncate_ReasonThatFits_IsWrittenWhole(CloseReasonTruncation truncation)
    {
        string reason = new string('a', 119) + s_fourByte; // exactly 123 bytes
        byte[] destination = new byte[ClosePayload.MaxLength];

        ClosePayload.TryWrite(destination, WebSocketCloseStatus.NormalClosure, reason, out int written, truncation).Should().BeTrue();

        written.Should().Be(125);
        Encoding.UTF8.GetString(destination, 2, 123).Should().Be(reason);
    }

    [Fact]
    public void Truncate_NeverSplitsSurrogatePair()
    {
        string reason = new string('a', 121) + s_fourByte + "tail"; // the pair would need bytes 122–125
        byte[] destination = new byte[ClosePayload.MaxLength];

        ClosePayload.TryWrite(destination, WebSocketCloseStatus.NormalClosure, reason, out int written, CloseReasonTruncation.Truncate).Should().BeTrue();

        written.Should().Be(2 + 121);
        Encoding.UTF8.GetString(destination, 2, 121).Should().Be(new string('a', 121));
    }

    [Fact]
    public void Truncate_Utf8_NeverSplitsSequence()
    {
        byte[] reason = [.. Enumerable.Repeat((byte)'a', 121), 0xF0, 0x9F, 0x98, 0x80, (byte)'z'];
        byte[] destination = new byte[ClosePayload.MaxLength];

        ClosePayload.TryWriteUtf8(destination, WebSocketCloseStatus.NormalClosure, reason, out int written, CloseReasonTruncation.Truncate).Should().BeTrue();
        written.Should().Be(2 + 121);
        destination.AsSpan(2, 121).ToArray().Should().Equal(reason[..121]);

        ClosePayload.TryWriteUtf8(destination, WebSocketCloseStatus.NormalClosure, reason, out written, CloseReasonTruncation.TruncateWithEllipsis).Should().BeTrue();
        written.Should().Be(2 + 120 + 3);
        destination.AsSpan(2, 120).ToArray().Should().Equal(reason[..120]);
        destination.AsSpan(122, 3).ToArray().Should().Equal(0xE2, 0x80, 0xA6);
    }

    [Fact]
    public void Truncate_LoneSurrogateInDroppedPart_IsNotWritten_InKeptPart_Throws()
    {
        byte[] destination = new byte[ClosePayload.MaxLength];
        string droppedBad = new string('a', 130) + "\uD800";
        string keptBad = "a\uD800" + new string('a', 130);

        ClosePayload.TryWrite(destination, WebSocketCloseStatus.NormalClosure, droppedBad, out int written, CloseReasonTruncation.Truncate).Should().BeTrue();
        written.Should().Be(125);

        Action act = () => ClosePayload.TryWrite(destination, WebSocketCloseStatus.NormalClosure, keptBad, out _, CloseReasonTruncation.Truncate);
        act.Should().Throw<ArgumentException>().WithMessage("*lone surrogate U+D800 at index 1*");
    }

    [Fact]
    public void Truncate_None_StaysStrict()
    {
        Action chars = () => ClosePayload.TryWrite(new byte[125], WebSocketCloseStatus.NormalClosure, new string('a', 124), out _, CloseReasonTruncation.None);
        Action bytes = () => ClosePayload.TryWriteUtf8(new byte[125], WebSocketCloseStatus.NormalClosure, new byte[124], out _, CloseReasonTruncation.None);

        chars.Should().Throw<ArgumentException>().WithMessage("The reason is 124 bytes*");
        bytes.Should().Throw<ArgumentException>().WithMessage("The reason is 124 bytes*");
    }

    [Fact]
    public void Truncate_DestinationTooSmall_ReturnsFalse()
    {
        ClosePayload.TryWrite(new byte[124], WebSocketCloseStatus.NormalClosure, new string('a', 200), out int written, CloseReasonTruncation.Truncate).Should().BeFalse();
        written.Should().Be(0);

        ClosePayload.TryWriteUtf8(new byte[124], WebSocketCloseStatus.NormalClosure, new byte[200], out written, CloseReasonTruncation.Truncate).Should().BeFalse();
        written.Should().Be(0);
    }

    [Fact]
    public void Truncate_UndefinedValue_Throws()
    {
        Action act = () => ClosePayload.TryWrite(new byte[125], WebSocketCloseStatus.NormalClosure, "a", out _, (CloseReasonTruncation)3);

        act.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("truncation");
    }

    [Fact]
    public void Truncate_EmptyStatus_StillNeedsEmptyReason()
    {
        ClosePayload.TryWrite(new byte[4], WebSocketCloseStatus.Empty, "", out int written, CloseReasonTruncation.Truncate).Should().BeTrue();
        written.Should().Be(0);
        ClosePayload.TryWriteUtf8(new byte[4], WebSocketCloseStatus.Empty, ReadOnlySpan<byte>.Empty, out written, CloseReasonTruncation.Truncate).Should().BeTrue();
        written.Should().Be(0);

        Action act = () => ClosePayload.TryWriteUtf8(new byte[125], WebSocketCloseStatus.Empty, new byte[200], out _, CloseReasonTruncation.Truncate);
        act.Should().Throw<ArgumentOutOfRangeException>();
    }

    [Fact]
    public void Create_ReturnsExactPayload()
    {
        ClosePayload.Create(WebSocketCloseStatus.MessageTooBig, "big").Should().Equal(0x03, 0xF1, (byte)'b', (byte)'i', (byte)'g');
        ClosePayload.Create(WebSocketCloseStatus.NormalClosure).Should().Equal(0x03, 0xE8);
        ClosePayload.Create(WebSocketCloseStatus.NormalClosure, new string('a', 300), CloseReasonTruncation.TruncateWithEllipsis).Should().HaveCount(125);
    }

    [Fact]
    public void TryWrite_DoesNotAllocate()
    {
        byte[] destination = new byte[ClosePayload.MaxLength];
        string ascii = new('a', 123);
        string mixed = string.Concat(Enumerable.Repeat("é€😀", 13));
        byte[] utf8 = Encoding.UTF8.GetBytes(mixed);
        string longReason = new('a', 300);
        int sink = 0;

        long allocated = Allocations.Measure(() =>
        {
            ClosePayload.TryWrite(destination, WebSocketCloseStatus.NormalClosure, ReadOnlySpan<char>.Empty, out int written);
            sink += written;
            ClosePayload.TryWrite(destination, WebSocketCloseStatus.NormalClosure, ascii, out written);
            sink += written;
            ClosePayload.TryWrite(destination, WebSocketCloseStatus.NormalClosure, mixed, out written);
            sink += written;
            ClosePayload.TryWriteUtf8(destination, WebSocketCloseStatus.NormalClosure, utf8, out written);
            sink += written;
            ClosePayload.TryWrite(destination, WebSocketCloseStatus.NormalClosure, longReason, out written, CloseReasonTruncation.TruncateWithEllipsis);
            sink += written;
            ClosePayload.TryWrite(Span<byte>.Empty, WebSocketCloseStatus.NormalClosure, ascii, out written);
            sink += written;
        });

        allocated.Should().Be(0);
        sink.Should().BePositive();
    }

    [Fact]
    public void TryWrite_ShortButSufficientDestination_WritesSameBytes()
    {
        // Destinations under MaxLength take the general path; the bytes must be the same.
        byte[] exact = new byte[5];

        ClosePayload.TryWrite(exact, WebSocketCloseStatus.TryAgainLater, "abc", out int written).Should().BeTrue();

        exact[..written].Should().Equal(0x03, 0xF5, (byte)'a', (byte)'b', (byte)'c');
    }

    [Fact]
    public void TryWrite_Utf8_Exactly123Bytes_TooSmallDestination_ReturnsFalse()
    {
        ClosePayload.TryWriteUtf8(new byte[10], WebSocketCloseStatus.NormalClosure, new byte[123], out int written).Should().BeFalse();
        written.Should().Be(0);
    }

    [Fact]
    public void TryWrite_TwoLoneSurrogates_MessageNamesTheFirst()
    {
        string reason = "a" + (char)0xD800 + "b" + (char)0xDC00;

        Action act = () => ClosePayload.TryWrite(new byte[125], WebSocketCloseStatus.NormalClosure, reason, out _);

        act.Should().Throw<ArgumentException>().WithMessage("*U+D800 at index 1*");
    }

    [Fact]
    public void Truncate_Utf8_WritesStatusAndValidatesKeptPart()
    {
        byte[] reason = [.. Enumerable.Repeat((byte)'a', 200)];
        byte[] destination = new byte[ClosePayload.MaxLength];

        ClosePayload.TryWriteUtf8(destination, WebSocketCloseStatus.PolicyViolation, reason, out int written, CloseReasonTruncation.Truncate).Should().BeTrue();
        destination[..2].Should().Equal(0x03, 0xF0);
        written.Should().Be(125);

        byte[] badKept = [0x61, 0xC0, 0x80, .. Enumerable.Repeat((byte)'a', 200)];
        Action kept = () => ClosePayload.TryWriteUtf8(destination, WebSocketCloseStatus.NormalClosure, badKept, out _, CloseReasonTruncation.Truncate);
        kept.Should().Throw<ArgumentException>().WithMessage("*not well-formed UTF-8 at byte index 1*");

        // All continuation bytes: the cut steps back at most 3 bytes, and the kept part is still ill-formed.
        byte[] continuations = [.. Enumerable.Repeat((byte)0x80, 200)];
        Action stray = () => ClosePayload.TryWriteUtf8(destination, WebSocketCloseStatus.NormalClosure, continuations, out _, CloseReasonTruncation.TruncateWithEllipsis);
        stray.Should().Throw<ArgumentException>().WithMessage("*not well-formed UTF-8 at byte index 0*");
    }

    [Fact]
    public void Truncate_Utf8_UndefinedValue_Throws()
    {
        Action act = () => ClosePayload.TryWriteUtf8(new byte[125], WebSocketCloseStatus.NormalClosure, "a"u8, out _, (CloseReasonTruncation)7);

        act.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("truncation").WithMessage("7 is not a defined CloseReasonTruncation*");
    }

    [Fact]
    public void Truncate_LoneSurrogateAtIndex0_Throws()
    {
        string reason = (char)0xDC00 + new string('a', 200);

        Action act = () => ClosePayload.TryWrite(new byte[125], WebSocketCloseStatus.NormalClosure, reason, out _, CloseReasonTruncation.Truncate);

        act.Should().Throw<ArgumentException>().WithMessage("*U+DC00 at index 0*");
    }
}
