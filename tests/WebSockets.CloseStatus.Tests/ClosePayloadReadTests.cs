using System;
using System.Buffers;
using System.Linq;
using System.Text;
using FluentAssertions;
using WebSockets.CloseStatus.Tests.TestData;
using Xunit;

namespace WebSockets.CloseStatus.Tests;

public class ClosePayloadReadTests
{
    [Fact]
    public void Read_EmptyPayload_IsEmptyStatus1005_Rfc6455_7_1_5()
    {
        // §7.1.5: "If this Close control frame contains no status code, _The WebSocket Connection Close Code_ is considered to be 1005."
        ClosePayloadError error = ClosePayload.Read([], out WebSocketCloseStatus status, out ReadOnlySpan<byte> reason);

        error.Should().Be(ClosePayloadError.None);
        status.Should().Be(WebSocketCloseStatus.Empty);
        ((int)status).Should().Be(1005);
        reason.IsEmpty.Should().BeTrue();
    }

    public static TheoryData<int> Lengths0To130() => [.. Enumerable.Range(0, 131)];

    [Theory]
    [MemberData(nameof(Lengths0To130))]
    public void Read_EveryLength0To130_Rfc6455_5_5(int length)
    {
        // §5.5: control-frame payloads are 125 bytes at most; §5.5.1: a body starts with a 2-byte code.
        byte[] payload = new byte[length];
        if (length >= 2)
        {
            payload[0] = 0x03;
            payload[1] = 0xE8; // 1000
            payload.AsSpan(2).Fill((byte)'a');
        }
        else if (length == 1)
        {
            payload[0] = 0x03;
        }

        ClosePayloadError error = ClosePayload.Read(payload, out WebSocketCloseStatus status, out ReadOnlySpan<byte> reason);

        ClosePayloadError expected = length switch
        {
            0 => ClosePayloadError.None,
            1 => ClosePayloadError.TooShort,
            <= 125 => ClosePayloadError.None,
            _ => ClosePayloadError.TooLong,
        };
        error.Should().Be(expected);
        if (expected == ClosePayloadError.None && length >= 2)
        {
            status.Should().Be(WebSocketCloseStatus.NormalClosure);
            reason.Length.Should().Be(length - 2);
        }
    }

    [Theory]
    [InlineData(0x00)]
    [InlineData(0x03)]
    [InlineData(0xFF)]
    public void Read_OneByte_IsTooShort_Rfc6455_5_5_1(byte value)
    {
        ClosePayload.Read([value], out _, out _).Should().Be(ClosePayloadError.TooShort);
    }

    [Fact]
    public void Read_EveryStatusCode_MatchesOracle_Rfc6455_7_4()
    {
        // §7.4: all 65,536 codes, read unsigned big-endian, strict and lenient.
        byte[] payload = new byte[2];
        for (int code = 0; code <= ushort.MaxValue; code++)
        {
            payload[0] = (byte)(code >> 8);
            payload[1] = (byte)code;
            foreach (bool lenient in new[] { false, true })
            {
                var expected = ClosePayloadOracle.Read(payload, lenient);
                ClosePayloadError error = lenient
                    ? ClosePayload.Read(payload, ClosePayloadReadMode.Lenient, out WebSocketCloseStatus status, out _)
                    : ClosePayload.Read(payload, out status, out _);

                error.Should().Be(expected.Error, "code {0}, lenient {1}", code, lenient);
                ((int)status).Should().Be(expected.Code, "code {0}, lenient {1}", code, lenient);
            }
        }
    }

    [Theory]
    [InlineData(0x03, 0xE8, 1000, ClosePayloadError.None)]
    [InlineData(0x03, 0xF3, 1011, ClosePayloadError.None)]
    [InlineData(0x03, 0xF4, 1012, ClosePayloadError.None)]
    [InlineData(0x03, 0xF6, 1014, ClosePayloadError.None)]
    [InlineData(0x03, 0xEC, 1004, ClosePayloadError.InvalidStatus)]
    [InlineData(0x03, 0xED, 1005, ClosePayloadError.InvalidStatus)]
    [InlineData(0x03, 0xEE, 1006, ClosePayloadError.InvalidStatus)]
    [InlineData(0x03, 0xF7, 1015, ClosePayloadError.InvalidStatus)]
    [InlineData(0x03, 0xF8, 1016, ClosePayloadError.InvalidStatus)]
    [InlineData(0x0B, 0xB7, 2999, ClosePayloadError.InvalidStatus)]
    [InlineData(0x0B, 0xB8, 3000, ClosePayloadError.None)]
    [InlineData(0x13, 0x87, 4999, ClosePayloadError.None)]
    [InlineData(0x13, 0x88, 5000, ClosePayloadError.InvalidStatus)]
    [InlineData(0x03, 0xE7, 999, ClosePayloadError.InvalidStatus)]
    [InlineData(0x00, 0x00, 0, ClosePayloadError.InvalidStatus)]
    [InlineData(0xFF, 0xFF, 65535, ClosePayloadError.InvalidStatus)]
    [InlineData(0xE8, 0x03, 59395, ClosePayloadError.InvalidStatus)] // 1000 little-endian is not 1000
    public void Read_BoundaryCodes_BigEndianUnsigned_Rfc6455_7_4(byte high, byte low, int code, ClosePayloadError expected)
    {
        ((high << 8) | low).Should().Be(code);

        ClosePayloadError error = ClosePayload.Read([high, low, (byte)'x'], out WebSocketCloseStatus status, out _);

        error.Should().Be(expected);
        ((int)status).Should().Be(expected == ClosePayloadError.None ? code : 0);
    }

    [Theory]
    [InlineData(1004)]
    [InlineData(1016)]
    [InlineData(2000)]
    [InlineData(2999)]
    [InlineData(3000)]
    [InlineData(4999)]
    public void Read_Lenient_AcceptsFutureCodes_KeepingRawValue(int code)
    {
        ClosePayloadError error = ClosePayload.Read(Hex.Payload(code, [(byte)'r']), ClosePayloadReadMode.Lenient, out WebSocketCloseStatus status, out ReadOnlySpan<byte> reason);

        error.Should().Be(ClosePayloadError.None);
        ((int)status).Should().Be(code);
        reason.ToArray().Should().Equal((byte)'r');
    }

    [Theory]
    [InlineData(999)]
    [InlineData(1005)]
    [InlineData(1006)]
    [InlineData(1015)]
    [InlineData(5000)]
    public void Read_Lenient_StillRejectsLocalOnlyAndOutOfRange(int code)
    {
        ClosePayload.Read(Hex.Payload(code, []), ClosePayloadReadMode.Lenient, out _, out _).Should().Be(ClosePayloadError.InvalidStatus);
    }

    [Theory]
    [InlineData(1016)]
    [InlineData(1004)]
    public void Read_StrictByDefault_RejectsUnregisteredCodes(int code)
    {
        ClosePayload.Read(Hex.Payload(code, []), out _, out _).Should().Be(ClosePayloadError.InvalidStatus);
        ClosePayload.Read(Hex.Payload(code, []), ClosePayloadReadMode.Strict, out _, out _).Should().Be(ClosePayloadError.InvalidStatus);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(-1)]
    public void Read_UndefinedMode_Throws(int mode)
    {
        Action act = () => ClosePayload.Read([], (ClosePayloadReadMode)mode, out _, out _);

        act.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("mode");
    }

    [Theory]
    [MemberData(nameof(Utf8Cases.Invalid), MemberType = typeof(Utf8Cases))]
    public void Read_IllFormedUtf8Reason_IsInvalidUtf8_Rfc6455_8_1(string hex, string why)
    {
        // §5.5.1 / §8.1: the reason is UTF-8; RFC 3629 rules out overlongs, surrogates, > U+10FFFF and broken sequences.
        ClosePayloadError error = ClosePayload.Read(Hex.Payload(1000, Hex.Parse(hex)), out WebSocketCloseStatus status, out ReadOnlySpan<byte> reason);

        error.Should().Be(ClosePayloadError.InvalidUtf8, why);
        status.Should().Be(default(WebSocketCloseStatus));
        reason.IsEmpty.Should().BeTrue();
    }

    [Theory]
    [MemberData(nameof(Utf8Cases.Valid), MemberType = typeof(Utf8Cases))]
    public void Read_WellFormedUtf8Reason_IsKeptByteForByte(string hex, string why)
    {
        byte[] expected = Hex.Parse(hex);

        ClosePayloadError error = ClosePayload.Read(Hex.Payload(1001, expected), out WebSocketCloseStatus status, out ReadOnlySpan<byte> reason);

        error.Should().Be(ClosePayloadError.None, why);
        status.Should().Be(WebSocketCloseStatus.EndpointUnavailable);
        reason.ToArray().Should().Equal(expected);
    }

    [Fact]
    public void Read_123ByteReasonEndingInFourByteChar_IsAccepted()
    {
        byte[] reason = [.. Enumerable.Repeat((byte)'a', 119), 0xF0, 0x9F, 0x98, 0x80];
        reason.Should().HaveCount(ClosePayload.MaxReasonLength);

        ClosePayload.Read(Hex.Payload(1000, reason), out _, out ReadOnlySpan<byte> read).Should().Be(ClosePayloadError.None);
        read.ToArray().Should().Equal(reason);
    }

    [Fact]
    public void Read_124ByteReason_IsTooLong_Rfc6455_5_5()
    {
        byte[] reason = [.. Enumerable.Repeat((byte)'a', 120), 0xF0, 0x9F, 0x98, 0x80];

        ClosePayload.Read(Hex.Payload(1000, reason), out _, out _).Should().Be(ClosePayloadError.TooLong);
    }

    [Fact]
    public void Read_ChecksLengthBeforeStatusBeforeUtf8()
    {
        byte[] badEverything = [0x00, 0x00, .. Enumerable.Repeat((byte)0xFF, 130)];
        byte[] badStatusAndUtf8 = [0x00, 0x00, 0xFF];

        ClosePayload.Read(badEverything, out _, out _).Should().Be(ClosePayloadError.TooLong);
        ClosePayload.Read(badStatusAndUtf8, out _, out _).Should().Be(ClosePayloadError.InvalidStatus);
    }

    [Fact]
    public void Read_Reason_IsSliceOfSource()
    {
        byte[] payload = Hex.Payload(1000, "abc"u8.ToArray());

        ClosePayload.Read(payload, out _, out ReadOnlySpan<byte> reason);
        payload[2] = (byte)'z';

        reason[0].Should().Be((byte)'z');
    }

    [Fact]
    public void Read_Sequence_EverySplitPoint_MatchesTheOracle()
    {
        byte[][] payloads =
        [
            [],
            [0x03],
            Hex.Payload(1000, "hello, wörld 😀"u8.ToArray()),
            Hex.Payload(1006, []),
            Hex.Payload(1000, [0xE2, 0x82]),
            Hex.Payload(4000, [.. Enumerable.Repeat((byte)'a', 124)]),
        ];
        foreach (byte[] payload in payloads)
        {
            // The oracle is independent of the library's span reader.
            var oracle = ClosePayloadOracle.Read(payload, lenient: false);
            ClosePayloadError expected = oracle.Error;
            var expectedStatus = (WebSocketCloseStatus)oracle.Code;
            byte[] expectedReasonBytes = Encoding.UTF8.GetBytes(oracle.Reason);
            for (int split = 0; split <= payload.Length; split++)
            {
                ReadOnlySequence<byte> sequence = Segments.Split(payload, split);

                ClosePayloadError error = ClosePayload.Read(sequence, out WebSocketCloseStatus status, out ReadOnlySequence<byte> reason);

                error.Should().Be(expected);
                status.Should().Be(expectedStatus);
                reason.ToArray().Should().Equal(expectedReasonBytes);
            }
        }
    }

    [Fact]
    public void Read_Sequence_ThreeSegments_Lenient()
    {
        ReadOnlySequence<byte> sequence = Segments.Of([0x07], [0xD0, (byte)'o'], [(byte)'k']); // 2000

        ClosePayload.Read(sequence, ClosePayloadReadMode.Lenient, out WebSocketCloseStatus status, out ReadOnlySequence<byte> reason).Should().Be(ClosePayloadError.None);
        ((int)status).Should().Be(2000);
        Encoding.ASCII.GetString(reason.ToArray()).Should().Be("ok");
        ClosePayload.Read(sequence, out _, out _).Should().Be(ClosePayloadError.InvalidStatus);
    }

    [Fact]
    public void Read_Sequence_LongMultiSegment_IsTooLong()
    {
        ReadOnlySequence<byte> sequence = Segments.Of([0x03, 0xE8], new byte[100], new byte[24]);

        ClosePayload.Read(sequence, out _, out ReadOnlySequence<byte> reason).Should().Be(ClosePayloadError.TooLong);
        reason.IsEmpty.Should().BeTrue();
    }

    [Fact]
    public void TryRead_String_DecodesReason()
    {
        ClosePayload.TryRead(Hex.Payload(1000, "Grüße 😀"u8.ToArray()), out WebSocketCloseStatus status, out string reason).Should().BeTrue();
        status.Should().Be(WebSocketCloseStatus.NormalClosure);
        reason.Should().Be("Grüße 😀");

        ClosePayload.TryRead([], out status, out reason).Should().BeTrue();
        status.Should().Be(WebSocketCloseStatus.Empty);
        reason.Should().BeEmpty();

        ClosePayload.TryRead(Hex.Payload(1000, [0xC0, 0x80]), out status, out reason).Should().BeFalse();
        status.Should().Be(default(WebSocketCloseStatus));
        reason.Should().BeEmpty();
    }

    [Fact]
    public void Read_DoesNotAllocate()
    {
        byte[][] payloads =
        [
            Hex.Payload(1000, []),
            Hex.Payload(1000, [.. Enumerable.Repeat((byte)'a', 123)]),
            Hex.Payload(1000, Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("é€😀", 13)))),
            Hex.Payload(1000, [.. Enumerable.Repeat((byte)'a', 100), 0xFF]),
        ];
        ReadOnlySequence<byte> sequence = Segments.Split(payloads[1], 60);
        int sink = 0;

        long allocated = Allocations.Measure(() =>
        {
            foreach (byte[] payload in payloads)
            {
                sink += (int)ClosePayload.Read(payload, out _, out ReadOnlySpan<byte> reason) + reason.Length;
            }

            sink += (int)ClosePayload.Read(sequence, out _, out _);
        });

        allocated.Should().Be(0);
        sink.Should().BePositive();
    }

    [Fact]
    public void TryRead_IsStrict_RejectsUnregisteredCodes()
    {
        byte[] payload = Hex.Payload(1016, []);

        ClosePayload.Read(payload, out _, out ReadOnlySpan<byte> _).Should().Be(ClosePayloadError.InvalidStatus);
        ClosePayload.TryRead(payload, out _, out string _).Should().BeFalse();
    }

    [Fact]
    public void Read_Sequence_UndefinedMode_Throws()
    {
        ReadOnlySequence<byte> sequence = Segments.Of([0x03], [0xE8]);

        Action act = () => ClosePayload.Read(sequence, (ClosePayloadReadMode)5, out _, out _);

        act.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("mode").WithMessage("5 is not a defined ClosePayloadReadMode*");
    }

    [Fact]
    public void Read_Sequence_Exactly125BytesInSegments_IsAccepted()
    {
        byte[] payload = Hex.Payload(1000, [.. Enumerable.Repeat((byte)'a', 123)]);

        ClosePayload.Read(Segments.Split(payload, 50), out _, out ReadOnlySequence<byte> reason).Should().Be(ClosePayloadError.None);
        reason.Length.Should().Be(123);
    }
}
