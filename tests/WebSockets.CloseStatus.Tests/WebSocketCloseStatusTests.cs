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
    public void WindowsCloseStatus_EachOfTheTwelveValues_MapsToMemberWithSameMeaning(string windowsName, int value)
    {
        // websocket.h WEB_SOCKET_CLOSE_STATUS: the numeric value names a defined member whose meaning matches.
        Enum.IsDefined(typeof(WebSocketCloseStatus), (ushort)value).Should().BeTrue();
        Rfc6455.Codes.Single(c => c.Value == value).WindowsName.Should().Be(windowsName);
    }

    [Fact]
    public void WindowsCloseStatus_HasTwelveValues()
    {
        Rfc6455.WindowsCloseStatus.Count.Should().Be(12);
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
