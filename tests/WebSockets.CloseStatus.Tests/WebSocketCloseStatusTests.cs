using System;
using System.Linq;
using FluentAssertions;
using WebSockets.CloseStatus.Tests.TestData;
using Xunit;
using SystemNetCloseStatus = System.Net.WebSockets.WebSocketCloseStatus;

namespace WebSockets.CloseStatus.Tests;

public class WebSocketCloseStatusTests
{
    [Fact]
    public void Enum_UnderlyingType_IsUInt16()
    {
        Enum.GetUnderlyingType(typeof(WebSocketCloseStatus)).Should().Be<ushort>();
    }

    [Fact]
    public void Enum_Members_AreExactlyTheCodes1000To1015_RegistryTable()
    {
        // IANA WebSocket Close Code Number Registry, 1000–1015: one member per code, in order.
        Enum.GetValues<WebSocketCloseStatus>().Select(s => (int)s)
            .Should().Equal(Enumerable.Range(1000, 16));
    }

    [Theory]
    [MemberData(nameof(Rfc6455.NamedCodes), MemberType = typeof(Rfc6455))]
    public void Member_HasRegistryValue(int value, string member, string ianaName)
    {
        _ = ianaName;
        Enum.Parse<WebSocketCloseStatus>(member).Should().Be((WebSocketCloseStatus)value);
        ((WebSocketCloseStatus)value).ToString().Should().Be(member);
    }

    [Theory]
    [MemberData(nameof(Rfc6455.WindowsCloseStatus), MemberType = typeof(Rfc6455))]
    public void WindowsCloseStatus_EachOfTheTwelveValues_MapsToMemberWithSameMeaning(string windowsName, int value, string member)
    {
        // websocket.h WEB_SOCKET_CLOSE_STATUS: the same number is a defined member, the one of the same meaning.
        var status = (WebSocketCloseStatus)value;

        Enum.IsDefined(status).Should().BeTrue(windowsName);
        status.ToString().Should().Be(member, windowsName);
        status.IsLocalOnly().Should().Be(windowsName is "WEB_SOCKET_EMPTY_CLOSE_STATUS" or "WEB_SOCKET_ABORTED_CLOSE_STATUS" or "WEB_SOCKET_SECURE_HANDSHAKE_ERROR_CLOSE_STATUS");
    }

    [Fact]
    public void SystemNetMembers_EachMapsToSameNamedMember()
    {
        // System.Net.WebSockets.WebSocketCloseStatus has 10 members; every one has our member of the same name and number.
        SystemNetCloseStatus[] members = Enum.GetValues<SystemNetCloseStatus>();
        members.Should().HaveCount(10);
        foreach (SystemNetCloseStatus member in members)
        {
            WebSocketCloseStatus ours = member.ToCloseStatus();
            ((int)ours).Should().Be((int)member);
            ours.ToString().Should().Be(member.ToString());
        }
    }

    [Fact]
    public void ApplicationCodes_UsedByCast_KeepTheirValue()
    {
        var status = (WebSocketCloseStatus)4000;

        ((int)status).Should().Be(4000);
        status.IsValidOnWire().Should().BeTrue();
        status.GetRange().Should().Be(CloseStatusRange.PrivateUse);
    }
}
