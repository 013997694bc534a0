using System;
using System.Buffers;
using System.Linq;
using System.Text;
using FluentAssertions;
using WebSockets.CloseStatus.Tests.TestData;
using Xunit;

namespace WebSockets.CloseStatus.Tests;

/// <summary>Issue #42: the close a proxy sends on one side for the close the other side ended with; checked against RFC 6455 §7.4 typed in by hand (<see cref="Rfc6455"/>).</summary>
public class CloseRelayTests
{
    private const string Malformed = "malformed close on the other side";

    /// <summary>123 bytes each: Cyrillic (2-byte), CJK (3-byte), emoji (4-byte) and mixed text, none of them cut when kept whole.</summary>
    public static TheoryData<string> LongReasons() => new()
    {
        new string('ж', 61) + "!",
        new string('世', 41),
        string.Concat(Enumerable.Repeat("😀", 30)) + "abc",
        string.Concat(Enumerable.Repeat("Ж世😀é", 11)) + "ok",
    };

    private static int Expected(int code) =>
        Rfc6455.OracleValidOnWire(code) ? code
        : code == 1005 ? 1005
        : code == 1006 ? 1001
        : code == 1015 ? 1008
        : 1002;

    [Fact]
    public void Rfc6455_7_4_GetStatus_EveryCode_KeepsTheWireValidOnes_AndMapsTheRest()
    {
        for (int code = 0; code <= ushort.MaxValue; code++)
        {
            ((int)CloseRelay.GetStatus((WebSocketCloseStatus)code)).Should().Be(Expected(code), "code {0}", code);
        }
    }

    [Fact]
    public void Rfc6455_7_4_1_GetStatus_RegisteredCodes_ByName()
    {
        foreach (Rfc6455.Code code in Rfc6455.Codes)
        {
            ((int)CloseRelay.GetStatus((WebSocketCloseStatus)code.Value)).Should().Be(Expected(code.Value), code.Member);
        }

        CloseRelay.GetStatus(WebSocketCloseStatus.Empty).Should().Be(WebSocketCloseStatus.Empty, "1005 goes on as a close without a code");
        CloseRelay.GetStatus(WebSocketCloseStatus.AbnormalClosure).Should().Be(WebSocketCloseStatus.EndpointUnavailable);
        CloseRelay.GetStatus(WebSocketCloseStatus.TlsHandshakeFailure).Should().Be(WebSocketCloseStatus.PolicyViolation);
        CloseRelay.GetStatus(WebSocketCloseStatus.Reserved).Should().Be(WebSocketCloseStatus.ProtocolError);
    }

    [Theory]
    [InlineData(1006)]
    [InlineData(1015)]
    public void LocalOnlyCodes_MapToCodes_WhoseReconnectAdviceIsTheOriginals(int code)
    {
        var policy = new ReconnectPolicy();
        var original = (WebSocketCloseStatus)code;
        WebSocketCloseStatus relayed = CloseRelay.GetStatus(original);

        relayed.IsValidOnWire().Should().BeTrue();
        policy.GetAdvice(relayed, 0, new Random(1)).Action.Should().Be(policy.GetAdvice(original, 0, new Random(1)).Action);
        policy.GetAdvice(relayed, 3, new Random(1)).Delay.Should().Be(policy.GetAdvice(original, 3, new Random(1)).Delay);
    }

    [Fact]
    public void Rfc6455_7_4_TryWritePayload_EveryCode_CopiesAWellFormedPayload_And1002ForTheRest()
    {
        byte[] reason = "bye"u8.ToArray();
        byte[] destination = new byte[ClosePayload.MaxLength];
        byte[] malformed = Hex.Payload(1002, Encoding.ASCII.GetBytes(Malformed));
        for (int code = 0; code <= ushort.MaxValue; code++)
        {
            byte[] source = Hex.Payload(code, reason);
            CloseRelay.TryWritePayload(source, destination, out int written).Should().BeTrue();
            destination[..written].Should().Equal(Rfc6455.OracleValidOnWire(code) ? source : malformed, "code {0}", code);
        }
    }

    [Theory]
    [InlineData("", "")]
    [InlineData("03", "malformed")]                                   // §5.5.1: a 1-byte payload
    [InlineData("03E8FF", "malformed")]                               // §8.1: a reason that is not UTF-8
    [InlineData("03E8EDA080", "malformed")]                           // a UTF-16 surrogate in UTF-8
    [InlineData("03ED", "malformed")]                                 // 1005 on the wire, §7.4.1
    [InlineData("03EE", "malformed")]                                 // 1006
    [InlineData("03F7", "malformed")]                                 // 1015
    [InlineData("0BB8", "0BB8")]                                      // 3000
    [InlineData("1387", "1387")]                                      // 4999
    [InlineData("1388", "malformed")]                                 // 5000
    public void Rfc6455_5_5_1_TryWritePayload_ByHand(string sourceHex, string expectedHex)
    {
        byte[] destination = new byte[ClosePayload.MaxLength];
        CloseRelay.TryWritePayload(Convert.FromHexString(sourceHex), destination, out int written).Should().BeTrue();
        byte[] expected = expectedHex == "malformed" ? Hex.Payload(1002, Encoding.ASCII.GetBytes(Malformed)) : Convert.FromHexString(expectedHex);
        destination[..written].Should().Equal(expected);
    }

    [Fact]
    public void Rfc6455_5_5_TryWritePayload_OverlongPayload_Is1002()
    {
        byte[] source = Hex.Payload(1000, Enumerable.Repeat((byte)'a', 124).ToArray());   // 126 bytes
        byte[] destination = new byte[ClosePayload.MaxLength];
        CloseRelay.TryWritePayload(source, destination, out int written).Should().BeTrue();
        destination[..written].Should().Equal(Hex.Payload(1002, Encoding.ASCII.GetBytes(Malformed)));
    }

    [Fact]
    public void TryWritePayload_DestinationTooSmall_IsFalse_WithNothingWritten()
    {
        CloseRelay.TryWritePayload(Hex.Payload(1000, "bye"u8.ToArray()), new byte[4], out int written).Should().BeFalse();
        written.Should().Be(0);
        CloseRelay.TryWritePayload([3], new byte[4], out written).Should().BeFalse();
        written.Should().Be(0);
        CloseRelay.TryWritePayload([], [], out written).Should().BeTrue();
        written.Should().Be(0);
    }

    [Theory]
    [MemberData(nameof(LongReasons))]
    public void Rfc6455_5_3_TryWriteFrame_123ByteReasons_InEveryScript_GoOnWhole_MaskedOnlyTowardTheBackend(string reason)
    {
        Encoding.UTF8.GetByteCount(reason).Should().Be(123);
        byte[] source = Hex.Payload(4001, Encoding.UTF8.GetBytes(reason));
        foreach (WebSocketRole role in new[] { WebSocketRole.Server, WebSocketRole.Client })
        {
            byte[] frame = new byte[CloseFrame.MaxLength];
            CloseRelay.TryWriteFrame(source, frame, role, out int written).Should().BeTrue();
            Wire.Frame decoded = Wire.Decode(frame.AsSpan(0, written));
            decoded.Masked.Should().Be(role == WebSocketRole.Client, "§5.3: only a client masks");
            decoded.First.Should().Be(0x88);
            decoded.Payload.Should().Equal(source);
        }
    }

    [Theory]
    [MemberData(nameof(LongReasons))]
    public void Rfc6455_5_5_TryWriteFrame_FromAString_123BytesGoOnWhole_ALongerReasonIsCutOnACharBoundary(string reason)
    {
        byte[] frame = new byte[CloseFrame.MaxLength];
        CloseRelay.TryWriteFrame(frame, WebSocketRole.Server, (WebSocketCloseStatus)3000, reason, out int written).Should().BeTrue();
        Wire.Decode(frame.AsSpan(0, written)).Payload.Should().Equal(Hex.Payload(3000, Encoding.UTF8.GetBytes(reason)));

        // One more char: over 123 bytes, so cut to at most 120 bytes of whole chars and "…".
        string longer = reason + reason[^1];
        string relayed = CloseRelay.GetReason((WebSocketCloseStatus)3000, longer);
        relayed.Should().EndWith("…");
        longer.Should().StartWith(relayed[..^1]);
        Encoding.UTF8.GetByteCount(relayed).Should().BeLessThanOrEqualTo(ClosePayload.MaxReasonLength).And.BeGreaterThan(ClosePayload.MaxReasonLength - 7);
        CloseRelay.TryWriteFrame(frame, WebSocketRole.Client, (WebSocketCloseStatus)3000, longer, out written).Should().BeTrue();
        Wire.Frame decoded = Wire.Decode(frame.AsSpan(0, written));
        decoded.Payload.Should().Equal(Hex.Payload(3000, Encoding.UTF8.GetBytes(relayed)));
        ClosePayload.Read(decoded.Payload, out _, out string read).Should().Be(CloseFrameError.None, "the cut never splits a UTF-8 sequence");
        read.Should().Be(relayed);
    }

    [Fact]
    public void GetReason_LoneSurrogate_CutsBeforeIt_NeverThrows()
    {
        // Built in code: xUnit's theory data would replace a lone surrogate with U+FFFD.
        (string Reason, string Expected)[] cases =
        [
            ("ab" + '\uD800' + "cd", "ab"),
            ('\uDC00'.ToString(), ""),
            ("ok \uD83D\uDE00 " + '\uDE00' + " x", "ok \uD83D\uDE00 "),
            ("end" + '\uD83D', "end"),
        ];
        byte[] frame = new byte[CloseFrame.MaxLength];
        foreach ((string reason, string expected) in cases)
        {
            CloseRelay.GetReason(WebSocketCloseStatus.NormalClosure, reason).Should().Be(expected);
            CloseRelay.TryWriteFrame(frame, WebSocketRole.Server, WebSocketCloseStatus.NormalClosure, reason, out int written).Should().BeTrue();
            Wire.Decode(frame.AsSpan(0, written)).Payload.Should().Equal(Hex.Payload(1000, Encoding.UTF8.GetBytes(expected)));
        }
    }

    [Theory]
    [InlineData(1005, "ignored", "")]
    [InlineData(1006, "ignored", "1001 1006 Abnormal Closure on the other side")]
    [InlineData(1015, null, "1008 1015 TLS handshake failure on the other side")]
    [InlineData(1004, "x", "1002 malformed close on the other side")]
    [InlineData(0, null, "1002 malformed close on the other side")]
    [InlineData(5000, "x", "1002 malformed close on the other side")]
    [InlineData(1000, null, "1000 ")]
    [InlineData(1012, "restarting", "1012 restarting")]
    public void Rfc6455_7_1_5_TryWriteFrame_FromAStatus_LocalOnlyAndInvalidCodes_GetTheProxysReason(int code, string? reason, string expected)
    {
        byte[] frame = new byte[CloseFrame.MaxLength];
        CloseRelay.TryWriteFrame(frame, WebSocketRole.Server, (WebSocketCloseStatus)code, reason, out int written).Should().BeTrue();
        byte[] payload = Wire.Decode(frame.AsSpan(0, written)).Payload;
        if (expected.Length == 0)
        {
            payload.Should().BeEmpty("1005 goes on as a close without a code (§7.1.5)");
            return;
        }

        string[] parts = expected.Split(' ', 2);
        payload.Should().Equal(Hex.Payload(int.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture), Encoding.UTF8.GetBytes(parts[1])));
        CloseRelay.GetReason((WebSocketCloseStatus)code, reason).Should().Be(parts[1]);
    }

    [Fact]
    public void TryWriteFrame_MalformedSource_Is1002_InEitherRole()
    {
        byte[] frame = new byte[CloseFrame.MaxLength];
        CloseRelay.TryWriteFrame(Convert.FromHexString("03E8FF"), frame, WebSocketRole.Client, out int written).Should().BeTrue();
        Wire.Frame decoded = Wire.Decode(frame.AsSpan(0, written));
        decoded.Masked.Should().BeTrue();
        decoded.Payload.Should().Equal(Hex.Payload(1002, Encoding.ASCII.GetBytes(Malformed)));

        CloseRelay.TryWriteFrame([], frame, WebSocketRole.Server, out written).Should().BeTrue();
        frame[..written].Should().Equal(new byte[] { 0x88, 0x00 });
    }

    [Fact]
    public void TryWriteFrame_UndefinedRole_Throws_NamingTheNumber()
    {
        FluentActions.Invoking(() => CloseRelay.TryWriteFrame([], new byte[CloseFrame.MaxLength], default, out _))
            .Should().Throw<ArgumentOutOfRangeException>().WithParameterName("role").WithMessage("*0*");
        FluentActions.Invoking(() => CloseRelay.TryWriteFrame(new byte[CloseFrame.MaxLength], (WebSocketRole)3, WebSocketCloseStatus.NormalClosure, null, out _))
            .Should().Throw<ArgumentOutOfRangeException>().WithParameterName("role").WithMessage("*3*");
    }

    [Fact]
    public void TryWriteFrame_DestinationTooSmall_IsFalse()
    {
        CloseRelay.TryWriteFrame(Hex.Payload(1000, "bye"u8.ToArray()), new byte[5], WebSocketRole.Server, out int written).Should().BeFalse();
        written.Should().Be(0);
        CloseRelay.TryWriteFrame(new byte[5], WebSocketRole.Server, WebSocketCloseStatus.AbnormalClosure, null, out written).Should().BeFalse();
        written.Should().Be(0);
    }

    [Fact]
    public void TryWritePayload_AllocatesNothing()
    {
        byte[] source = Hex.Payload(1001, "going"u8.ToArray());
        byte[] destination = new byte[CloseFrame.MaxLength];
        Allocations.Measure(() =>
        {
            CloseRelay.TryWritePayload(source, destination, out _);
            CloseRelay.TryWriteFrame(source, destination, WebSocketRole.Server, out _);
            CloseRelay.TryWritePayload([3], destination, out _);
        }).Should().Be(0);
    }

    [Fact]
    public void Untrusted_RandomPayloads_NeverThrow_AndAlwaysGiveAWellFormedClose()
    {
        var random = new Random(6455);
        byte[] destination = new byte[CloseFrame.MaxLength];
        byte[] unmasked = new byte[ClosePayload.MaxLength];
        for (int i = 0; i < TestScale.Cases(20_000); i++)
        {
            byte[] source = new byte[random.Next(0, 130)];
            random.NextBytes(source);
            CloseRelay.TryWriteFrame(source, destination, WebSocketRole.Server, out int written).Should().BeTrue();
            CloseFrame.Read(destination.AsSpan(0, written), WebSocketRole.Client, unmasked, out _).Should().Be(OperationStatus.Done);
        }
    }
}
