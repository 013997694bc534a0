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
        CloseFrameError error = ClosePayload.ReadUtf8([], out WebSocketCloseStatus status, out ReadOnlySpan<byte> reason);

        error.Should().Be(CloseFrameError.None);
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

        CloseFrameError error = ClosePayload.ReadUtf8(payload, out WebSocketCloseStatus status, out ReadOnlySpan<byte> reason);

        CloseFrameError expected = length switch
        {
            0 => CloseFrameError.None,
            1 => CloseFrameError.TooShort,
            <= 125 => CloseFrameError.None,
            _ => CloseFrameError.TooLong,
        };
        error.Should().Be(expected);
        if (expected == CloseFrameError.None && length >= 2)
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
        ClosePayload.ReadUtf8([value], out _, out _).Should().Be(CloseFrameError.TooShort);
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
                CloseFrameError error = lenient
                    ? ClosePayload.ReadUtf8(payload, out WebSocketCloseStatus status, out _, ClosePayloadReadMode.Lenient)
                    : ClosePayload.ReadUtf8(payload, out status, out _);

                error.Should().Be(expected.Error, "code {0}, lenient {1}", code, lenient);
                ((int)status).Should().Be(expected.Code, "code {0}, lenient {1}", code, lenient);
            }
        }
    }

    [Theory]
    [InlineData(0x03, 0xE8, 1000, CloseFrameError.None)]
    [InlineData(0x03, 0xF3, 1011, CloseFrameError.None)]
    [InlineData(0x03, 0xF4, 1012, CloseFrameError.None)]
    [InlineData(0x03, 0xF6, 1014, CloseFrameError.None)]
    [InlineData(0x03, 0xEC, 1004, CloseFrameError.InvalidStatus)]
    [InlineData(0x03, 0xED, 1005, CloseFrameError.InvalidStatus)]
    [InlineData(0x03, 0xEE, 1006, CloseFrameError.InvalidStatus)]
    [InlineData(0x03, 0xF7, 1015, CloseFrameError.InvalidStatus)]
    [InlineData(0x03, 0xF8, 1016, CloseFrameError.InvalidStatus)]
    [InlineData(0x0B, 0xB7, 2999, CloseFrameError.InvalidStatus)]
    [InlineData(0x0B, 0xB8, 3000, CloseFrameError.None)]
    [InlineData(0x13, 0x87, 4999, CloseFrameError.None)]
    [InlineData(0x13, 0x88, 5000, CloseFrameError.InvalidStatus)]
    [InlineData(0x03, 0xE7, 999, CloseFrameError.InvalidStatus)]
    [InlineData(0x00, 0x00, 0, CloseFrameError.InvalidStatus)]
    [InlineData(0xFF, 0xFF, 65535, CloseFrameError.InvalidStatus)]
    [InlineData(0xE8, 0x03, 59395, CloseFrameError.InvalidStatus)] // 1000 little-endian is not 1000
    public void Read_BoundaryCodes_BigEndianUnsigned_Rfc6455_7_4(byte high, byte low, int code, CloseFrameError expected)
    {
        ((high << 8) | low).Should().Be(code);

        CloseFrameError error = ClosePayload.ReadUtf8([high, low, (byte)'x'], out WebSocketCloseStatus status, out _);

        error.Should().Be(expected);
        ((int)status).Should().Be(expected == CloseFrameError.None ? code : 0);
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
        CloseFrameError error = ClosePayload.ReadUtf8(Hex.Payload(code, [(byte)'r']), out WebSocketCloseStatus status, out ReadOnlySpan<byte> reason, ClosePayloadReadMode.Lenient);

        error.Should().Be(CloseFrameError.None);
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
        ClosePayload.ReadUtf8(Hex.Payload(code, []), out _, out _, ClosePayloadReadMode.Lenient).Should().Be(CloseFrameError.InvalidStatus);
    }

    [Theory]
    [InlineData(1016)]
    [InlineData(1004)]
    public void Read_StrictByDefault_RejectsUnregisteredCodes(int code)
    {
        ClosePayload.ReadUtf8(Hex.Payload(code, []), out _, out _).Should().Be(CloseFrameError.InvalidStatus);
        ClosePayload.ReadUtf8(Hex.Payload(code, []), out _, out _, ClosePayloadReadMode.Strict).Should().Be(CloseFrameError.InvalidStatus);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(-1)]
    public void Read_UndefinedMode_Throws(int mode)
    {
        Action act = () => ClosePayload.ReadUtf8([], out _, out _, (ClosePayloadReadMode)mode);

        act.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("mode");
    }

    [Theory]
    [MemberData(nameof(Utf8Cases.Invalid), MemberType = typeof(Utf8Cases))]
    public void Read_IllFormedUtf8Reason_IsInvalidUtf8_Rfc6455_8_1(string hex, string why)
    {
        // §5.5.1 / §8.1: the reason is UTF-8; RFC 3629 rules out overlongs, surrogates, > U+10FFFF and broken sequences.
        CloseFrameError error = ClosePayload.ReadUtf8(Hex.Payload(1000, Hex.Parse(hex)), out WebSocketCloseStatus status, out ReadOnlySpan<byte> reason);

        error.Should().Be(CloseFrameError.InvalidUtf8, why);
        status.Should().Be(default(WebSocketCloseStatus));
        reason.IsEmpty.Should().BeTrue();
    }

    [Theory]
    [MemberData(nameof(Utf8Cases.Valid), MemberType = typeof(Utf8Cases))]
    public void Read_WellFormedUtf8Reason_IsKeptByteForByte(string hex, string why)
    {
        byte[] expected = Hex.Parse(hex);

        CloseFrameError error = ClosePayload.ReadUtf8(Hex.Payload(1001, expected), out WebSocketCloseStatus status, out ReadOnlySpan<byte> reason);

        error.Should().Be(CloseFrameError.None, why);
        status.Should().Be(WebSocketCloseStatus.EndpointUnavailable);
        reason.ToArray().Should().Equal(expected);
    }

    [Fact]
    public void Read_123ByteReasonEndingInFourByteChar_IsAccepted()
    {
        byte[] reason = [.. Enumerable.Repeat((byte)'a', 119), 0xF0, 0x9F, 0x98, 0x80];
        reason.Should().HaveCount(ClosePayload.MaxReasonLength);

        ClosePayload.ReadUtf8(Hex.Payload(1000, reason), out _, out ReadOnlySpan<byte> read).Should().Be(CloseFrameError.None);
        read.ToArray().Should().Equal(reason);
    }

    [Fact]
    public void Read_124ByteReason_IsTooLong_Rfc6455_5_5()
    {
        byte[] reason = [.. Enumerable.Repeat((byte)'a', 120), 0xF0, 0x9F, 0x98, 0x80];

        ClosePayload.ReadUtf8(Hex.Payload(1000, reason), out _, out _).Should().Be(CloseFrameError.TooLong);
    }

    [Fact]
    public void Read_ChecksLengthBeforeStatusBeforeUtf8()
    {
        byte[] badEverything = [0x00, 0x00, .. Enumerable.Repeat((byte)0xFF, 130)];
        byte[] badStatusAndUtf8 = [0x00, 0x00, 0xFF];

        ClosePayload.ReadUtf8(badEverything, out _, out _).Should().Be(CloseFrameError.TooLong);
        ClosePayload.ReadUtf8(badStatusAndUtf8, out _, out _).Should().Be(CloseFrameError.InvalidStatus);
    }

    [Fact]
    public void Read_Reason_IsSliceOfSource()
    {
        byte[] payload = Hex.Payload(1000, "abc"u8.ToArray());

        ClosePayload.ReadUtf8(payload, out _, out ReadOnlySpan<byte> reason);
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
            CloseFrameError expected = oracle.Error;
            var expectedStatus = (WebSocketCloseStatus)oracle.Code;
            byte[] expectedReasonBytes = Encoding.UTF8.GetBytes(oracle.Reason);
            for (int split = 0; split <= payload.Length; split++)
            {
                ReadOnlySequence<byte> sequence = Segments.Split(payload, split);

                CloseFrameError error = ClosePayload.ReadUtf8(sequence, out WebSocketCloseStatus status, out ReadOnlySequence<byte> reason);

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

        ClosePayload.ReadUtf8(sequence, out WebSocketCloseStatus status, out ReadOnlySequence<byte> reason, ClosePayloadReadMode.Lenient).Should().Be(CloseFrameError.None);
        ((int)status).Should().Be(2000);
        Encoding.ASCII.GetString(reason.ToArray()).Should().Be("ok");
        ClosePayload.ReadUtf8(sequence, out _, out _).Should().Be(CloseFrameError.InvalidStatus);
    }

    [Fact]
    public void Read_Sequence_LongMultiSegment_IsTooLong()
    {
        ReadOnlySequence<byte> sequence = Segments.Of([0x03, 0xE8], new byte[100], new byte[24]);

        ClosePayload.ReadUtf8(sequence, out _, out ReadOnlySequence<byte> reason).Should().Be(CloseFrameError.TooLong);
        reason.IsEmpty.Should().BeTrue();
    }

    [Fact]
    public void Read_String_DecodesReason_Rfc6455_5_5_1()
    {
        // §5.5.1: after the code, the body is a UTF-8 reason; Read decodes it.
        ClosePayload.Read(Hex.Payload(1000, "Grüße 😀"u8.ToArray()), out WebSocketCloseStatus status, out string reason).Should().Be(CloseFrameError.None);
        status.Should().Be(WebSocketCloseStatus.NormalClosure);
        reason.Should().Be("Grüße 😀");

        ClosePayload.Read([], out status, out reason).Should().Be(CloseFrameError.None);
        status.Should().Be(WebSocketCloseStatus.Empty);
        reason.Should().BeEmpty();

        ClosePayload.Read(Hex.Payload(1001, []), out status, out reason).Should().Be(CloseFrameError.None);
        status.Should().Be(WebSocketCloseStatus.EndpointUnavailable);
        reason.Should().BeSameAs(string.Empty, "a code alone allocates no reason");
    }

    public static TheoryData<byte[], CloseFrameError, WebSocketCloseStatus> MalformedPayloads() => new()
    {
        { [0x03], CloseFrameError.TooShort, WebSocketCloseStatus.ProtocolError },                                 // §5.5.1: 1 byte holds no code
        { [0x03, 0xE8, .. new byte[124]], CloseFrameError.TooLong, WebSocketCloseStatus.ProtocolError },          // §5.5: 126 bytes
        { Hex.Payload(1006, "x"u8.ToArray()), CloseFrameError.InvalidStatus, WebSocketCloseStatus.ProtocolError }, // §7.4.1: local only
        { Hex.Payload(999, []), CloseFrameError.InvalidStatus, WebSocketCloseStatus.ProtocolError },              // §7.4.2: 0–999 unused
        { Hex.Payload(1000, [0xC0, 0x80]), CloseFrameError.InvalidUtf8, WebSocketCloseStatus.InvalidPayloadData }, // §8.1: overlong NUL
        { Hex.Payload(1000, [0x61, 0xED, 0xA0, 0x80]), CloseFrameError.InvalidUtf8, WebSocketCloseStatus.InvalidPayloadData }, // a surrogate
    };

    [Theory]
    [MemberData(nameof(MalformedPayloads))]
    public void Read_String_Malformed_ReturnsTheError_SoTheCallerAnswers1002Or1007_Rfc6455_7_1_7_8_1(byte[] payload, CloseFrameError error, WebSocketCloseStatus answer)
    {
        // §7.1.7 fails the connection over a malformed close, and §8.1 answers bad UTF-8 with 1007: the verdict says which,
        // also where no span overload can be called (netstandard2.0 in C# 7.3); it is the one ReadUtf8 gives.
        ClosePayload.Read(payload, out WebSocketCloseStatus status, out string reason).Should().Be(error);

        status.Should().Be(default(WebSocketCloseStatus));
        reason.Should().BeEmpty();
        error.ToCloseStatus().Should().Be(answer);
        ClosePayload.ReadUtf8(payload, out _, out ReadOnlySpan<byte> _).Should().Be(error);
    }

    [Fact]
    public void Read_String_Mode_IsTheOptionalLastArgument()
    {
        byte[] payload = Hex.Payload(2999, "x"u8.ToArray());

        ClosePayload.Read(payload, out _, out string _).Should().Be(CloseFrameError.InvalidStatus, "Strict unless asked");
        ClosePayload.Read(payload, out WebSocketCloseStatus status, out string reason, ClosePayloadReadMode.Lenient).Should().Be(CloseFrameError.None);
        ((int)status, reason).Should().Be((2999, "x"));

        Action undefined = () => ClosePayload.Read(payload, out _, out string _, (ClosePayloadReadMode)2);
        undefined.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("mode").WithMessage("2 is not a defined ClosePayloadReadMode*");
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
                sink += (int)ClosePayload.ReadUtf8(payload, out _, out ReadOnlySpan<byte> reason) + reason.Length;
            }

            sink += (int)ClosePayload.ReadUtf8(sequence, out _, out _);
        });

        allocated.Should().Be(0);
        sink.Should().BePositive();
    }

    [Fact]
    public void Read_IsStrict_RejectsUnregisteredCodes()
    {
        byte[] payload = Hex.Payload(1016, []);

        ClosePayload.ReadUtf8(payload, out _, out ReadOnlySpan<byte> _).Should().Be(CloseFrameError.InvalidStatus);
        ClosePayload.Read(payload, out _, out string _).Should().Be(CloseFrameError.InvalidStatus);
    }

    [Fact]
    public void Read_Sequence_UndefinedMode_Throws()
    {
        ReadOnlySequence<byte> sequence = Segments.Of([0x03], [0xE8]);

        Action act = () => ClosePayload.ReadUtf8(sequence, out _, out _, (ClosePayloadReadMode)5);

        act.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("mode").WithMessage("5 is not a defined ClosePayloadReadMode*");
    }

    [Fact]
    public void Read_Sequence_Exactly125BytesInSegments_IsAccepted()
    {
        byte[] payload = Hex.Payload(1000, [.. Enumerable.Repeat((byte)'a', 123)]);

        ClosePayload.ReadUtf8(Segments.Split(payload, 50), out _, out ReadOnlySequence<byte> reason).Should().Be(CloseFrameError.None);
        reason.Length.Should().Be(123);
    }
}
