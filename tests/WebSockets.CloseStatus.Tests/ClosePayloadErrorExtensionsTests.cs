using System;
using FluentAssertions;
using Xunit;

namespace WebSockets.CloseStatus.Tests;

public class ClosePayloadErrorExtensionsTests
{
    [Theory]
    [InlineData(ClosePayloadError.TooShort, WebSocketCloseStatus.ProtocolError)]        // §5.5.1, answered per §7.1.7
    [InlineData(ClosePayloadError.TooLong, WebSocketCloseStatus.ProtocolError)]         // §5.5
    [InlineData(ClosePayloadError.InvalidStatus, WebSocketCloseStatus.ProtocolError)]   // §7.4
    [InlineData(ClosePayloadError.InvalidUtf8, WebSocketCloseStatus.InvalidPayloadData)] // §8.1: 1007
    public void ToCloseStatus_Error_IsStatusToAnswerWith(ClosePayloadError error, WebSocketCloseStatus expected)
    {
        error.ToCloseStatus().Should().Be(expected);
    }

    [Fact]
    public void ToCloseStatus_None_Throws()
    {
        Action act = () => ClosePayloadError.None.ToCloseStatus();

        act.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("error").WithMessage("*None is no error*");
    }

    [Fact]
    public void ToCloseStatus_UndefinedValue_Throws()
    {
        Action act = () => ((ClosePayloadError)42).ToCloseStatus();

        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("42 is not a defined ClosePayloadError*");
    }
}
