using System;
using System.Linq;
using FluentAssertions;
using Xunit;

namespace WebSockets.CloseStatus.Tests;

public class CloseErrorExtensionsTests
{
    // Every error a payload or frame reader reports, with the rule it breaks and the status that answers it: a malformed
    // close fails the connection (RFC 6455 §7.1.7) with 1002 (§7.4.1), except a reason that is not UTF-8, 1007 (§8.1).
    public static TheoryData<CloseFrameError, WebSocketCloseStatus> Errors() => new()
    {
        { CloseFrameError.NotFinal, WebSocketCloseStatus.ProtocolError },         // §5.4, §5.5: control frames are not fragmented
        { CloseFrameError.ReservedBitsSet, WebSocketCloseStatus.ProtocolError },  // §5.2
        { CloseFrameError.NotCloseFrame, WebSocketCloseStatus.ProtocolError },    // §5.2, §5.5.1
        { CloseFrameError.TooLong, WebSocketCloseStatus.ProtocolError },          // §5.5: over 125 bytes, or a 16/64-bit length
        { CloseFrameError.MaskMissing, WebSocketCloseStatus.ProtocolError },      // §5.1
        { CloseFrameError.UnexpectedMask, WebSocketCloseStatus.ProtocolError },   // §5.1
        { CloseFrameError.TooShort, WebSocketCloseStatus.ProtocolError },         // §5.5.1: a 1-byte payload
        { CloseFrameError.InvalidStatus, WebSocketCloseStatus.ProtocolError },    // §7.4
        { CloseFrameError.InvalidUtf8, WebSocketCloseStatus.InvalidPayloadData }, // §8.1: 1007
    };

    [Theory]
    [MemberData(nameof(Errors))]
    public void ToCloseStatus_Error_IsStatusToAnswerWith_Rfc6455_7_1_7(CloseFrameError error, WebSocketCloseStatus expected)
    {
        error.ToCloseStatus().Should().Be(expected);
    }

    [Fact]
    public void Errors_CoverEveryMemberButNone()
    {
        Errors().Select(row => (CloseFrameError)row[0]).Should().BeEquivalentTo(Enum.GetValues<CloseFrameError>().Where(e => e != CloseFrameError.None));
    }

    [Fact]
    public void Members_KeepTheirNumbers()
    {
        // ClosePayloadError was folded into CloseFrameError; the frame reader's numbers stayed, ExtendedLength is TooLong.
        Enum.GetValues<CloseFrameError>().Select(e => ((int)e, e.ToString())).Should().Equal(
            (0, "None"), (1, "NotFinal"), (2, "ReservedBitsSet"), (3, "NotCloseFrame"), (4, "TooLong"),
            (5, "MaskMissing"), (6, "UnexpectedMask"), (7, "TooShort"), (8, "InvalidStatus"), (9, "InvalidUtf8"));
    }

    [Fact]
    public void ToCloseStatus_None_Throws()
    {
        Action act = () => CloseFrameError.None.ToCloseStatus();

        act.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("error").WithMessage("CloseFrameError.None is no error*");
    }

    [Theory]
    [InlineData(10)]
    [InlineData(42)]
    [InlineData(-1)]
    public void ToCloseStatus_UndefinedValue_Throws(int value)
    {
        Action act = () => ((CloseFrameError)value).ToCloseStatus();

        act.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("error").WithMessage($"{value} is not a defined CloseFrameError*");
    }
}
