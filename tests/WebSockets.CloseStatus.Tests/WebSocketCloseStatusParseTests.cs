using System;
using FluentAssertions;
using Xunit;

namespace WebSockets.CloseStatus.Tests;

public class WebSocketCloseStatusParseTests
{
    [Theory]
    [InlineData("1000", 1000)]
    [InlineData("0", 0)]
    [InlineData("65535", 65535)]
    [InlineData(" 4001\t", 4001)]
    [InlineData("01006", 1006)]
    [InlineData("NormalClosure", 1000)]
    [InlineData("Going Away", 1001)]
    [InlineData("going-away", 1001)]
    [InlineData("GOING_AWAY", 1001)]
    [InlineData("abnormal-closure", 1006)]
    [InlineData("AbnormalClosure", 1006)]
    [InlineData("WEB_SOCKET_ABORTED_CLOSE_STATUS", 1006)]
    [InlineData("web socket aborted close status", 1006)]
    [InlineData("EndpointUnavailable", 1001)]
    [InlineData("Mandatory Ext.", 1010)]
    [InlineData("No Status Rcvd", 1005)]
    [InlineData("Empty", 1005)]
    [InlineData("TLS handshake", 1015)]
    [InlineData("tls_handshake_failure", 1015)]
    [InlineData("Try Again Later", 1013)]
    [InlineData("WEB_SOCKET_SECURE_HANDSHAKE_ERROR_CLOSE_STATUS", 1015)]
    [InlineData("Reserved", 1004)]
    public void TryParse_AcceptsNumbersAndEveryName(string value, int expected)
    {
        WebSocketCloseStatusExtensions.TryParse(value, out WebSocketCloseStatus status).Should().BeTrue();
        ((int)status).Should().Be(expected);

        WebSocketCloseStatusExtensions.TryParse(value.AsSpan(), out status).Should().BeTrue();
        ((int)status).Should().Be(expected);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("-1")]
    [InlineData("+1000")]
    [InlineData("70000")]
    [InlineData("65536")]
    [InlineData("99999999999999999999")]
    [InlineData("1 000")]
    [InlineData("1000.0")]
    [InlineData("0x3E8")]
    [InlineData("Going")]
    [InlineData("Normal Closure!")]
    [InlineData("WEB_SOCKET")]
    [InlineData("-_ _-")]
    [InlineData("Mandatory Ext")]
    [InlineData("١٠٠٠")]
    public void TryParse_RejectsAnythingElse(string value)
    {
        WebSocketCloseStatusExtensions.TryParse(value, out WebSocketCloseStatus status).Should().BeFalse();
        status.Should().Be(default(WebSocketCloseStatus));
    }

    [Fact]
    public void TryParse_Null_IsFalse()
    {
        WebSocketCloseStatusExtensions.TryParse((string?)null, out _).Should().BeFalse();
    }

    [Fact]
    public void TryParse_RoundTripsEveryCodeAndEveryMemberName()
    {
        for (int code = 0; code <= ushort.MaxValue; code++)
        {
            WebSocketCloseStatusExtensions.TryParse(code.ToString(System.Globalization.CultureInfo.InvariantCulture), out WebSocketCloseStatus status).Should().BeTrue();
            ((int)status).Should().Be(code);
        }

        foreach (WebSocketCloseStatus member in Enum.GetValues<WebSocketCloseStatus>())
        {
            WebSocketCloseStatusExtensions.TryParse(member.ToString().ToUpperInvariant(), out WebSocketCloseStatus parsed).Should().BeTrue();
            parsed.Should().Be(member);
            WebSocketCloseStatusExtensions.TryParse(member.GetDescription(), out parsed).Should().BeTrue();
            parsed.Should().Be(member);
        }

        foreach (System.Net.WebSockets.WebSocketCloseStatus systemNet in Enum.GetValues<System.Net.WebSockets.WebSocketCloseStatus>())
        {
            WebSocketCloseStatusExtensions.TryParse(systemNet.ToString(), out WebSocketCloseStatus parsed).Should().BeTrue();
            ((int)parsed).Should().Be((int)systemNet, "System.Net's name {0} means the same code", systemNet);
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1000)]
    [InlineData(4999)]
    [InlineData(65535)]
    public void FromCode_KeepsEvery16BitCode(int code)
    {
        ((int)WebSocketCloseStatusExtensions.FromCode(code)).Should().Be(code);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(65536)]
    [InlineData(66536)]
    [InlineData(70000)]
    [InlineData(int.MinValue)]
    public void FromCode_OutsideTheRange_Throws_WhereACastWouldWrap(int code)
    {
        Action convert = () => WebSocketCloseStatusExtensions.FromCode(code);

        convert.Should().Throw<ArgumentOutOfRangeException>()
            .WithMessage($"*{code}*0–65535*")
            .Which.ParamName.Should().Be("code");
    }
}
