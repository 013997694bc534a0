using System;
using FluentAssertions;
using WebSockets.CloseStatus.Tests.TestData;
using Xunit;
using SystemNetCloseStatus = System.Net.WebSockets.WebSocketCloseStatus;

namespace WebSockets.CloseStatus.Tests;

public class WebSocketCloseStatusExtensionsTests
{
    // RFC 6455 §7.4.1–7.4.2 + IANA registry, all 65,536 codes against the oracle written from the RFC text.
    [Fact]
    public void IsValidOnWire_Every16BitCode_MatchesRfcOracle()
    {
        for (int code = 0; code <= ushort.MaxValue; code++)
        {
            ((WebSocketCloseStatus)code).IsValidOnWire().Should().Be(Rfc6455.OracleValidOnWire(code), "code {0}", code);
        }
    }

    [Fact]
    public void IsLocalOnly_Every16BitCode_MatchesRfcOracle()
    {
        for (int code = 0; code <= ushort.MaxValue; code++)
        {
            ((WebSocketCloseStatus)code).IsLocalOnly().Should().Be(Rfc6455.OracleLocalOnly(code), "code {0}", code);
        }
    }

    [Fact]
    public void IsValidForBrowserClose_Every16BitCode_MatchesWhatwgOracle()
    {
        for (int code = 0; code <= ushort.MaxValue; code++)
        {
            ((WebSocketCloseStatus)code).IsValidForBrowserClose().Should().Be(Rfc6455.OracleBrowserClose(code), "code {0}", code);
        }
    }

    [Fact]
    public void IsNormal_Every16BitCode_IsTrueOnlyFor1000_1001_1005()
    {
        for (int code = 0; code <= ushort.MaxValue; code++)
        {
            ((WebSocketCloseStatus)code).IsNormal().Should().Be(Rfc6455.OracleNormal(code), "code {0}", code);
        }
    }

    [Fact]
    public void GetRange_Every16BitCode_MatchesRfcRanges()
    {
        // RFC 6455 §7.4.2: 0–999, 1000–2999, 3000–3999, 4000–4999; 5000+ is outside every range.
        for (int code = 0; code <= ushort.MaxValue; code++)
        {
            ((WebSocketCloseStatus)code).GetRange().Should().Be(Rfc6455.OracleRange(code), "code {0}", code);
        }
    }

    [Theory]
    [InlineData(999, false)]
    [InlineData(1000, true)]
    [InlineData(1003, true)]
    [InlineData(1004, false)]
    [InlineData(1005, false)]
    [InlineData(1006, false)]
    [InlineData(1007, true)]
    [InlineData(1011, true)]
    [InlineData(1012, true)]
    [InlineData(1014, true)]
    [InlineData(1015, false)]
    [InlineData(1016, false)]
    [InlineData(2999, false)]
    [InlineData(3000, true)]
    [InlineData(4999, true)]
    [InlineData(5000, false)]
    [InlineData(65535, false)]
    public void IsValidOnWire_RfcBoundaries(int code, bool expected)
    {
        // RFC 6455 §7.4.1 (1004–1006, 1015 must not be sent), §7.4.2 (ranges), IANA (1012–1014).
        ((WebSocketCloseStatus)code).IsValidOnWire().Should().Be(expected);
    }

    [Theory]
    [MemberData(nameof(Rfc6455.NamedCodes), MemberType = typeof(Rfc6455))]
    public void GetDescription_NamedCode_IsIanaRegistryName(int value, string member, string ianaName)
    {
        _ = member;
        ((WebSocketCloseStatus)value).GetDescription().Should().Be(ianaName);
    }

    [Theory]
    [InlineData(0, "Unused (0–999)")]
    [InlineData(999, "Unused (0–999)")]
    [InlineData(1016, "Unassigned protocol code (1016–2999)")]
    [InlineData(2999, "Unassigned protocol code (1016–2999)")]
    [InlineData(3000, "Library, framework or application code (3000–3999)")]
    [InlineData(3999, "Library, framework or application code (3000–3999)")]
    [InlineData(4000, "Private use (4000–4999)")]
    [InlineData(4999, "Private use (4000–4999)")]
    [InlineData(5000, "Outside the close code ranges (5000–65535)")]
    [InlineData(65535, "Outside the close code ranges (5000–65535)")]
    public void GetDescription_UnnamedCode_DescribesRange(int code, string expected)
    {
        ((WebSocketCloseStatus)code).GetDescription().Should().Be(expected);
    }

    [Fact]
    public void GetDescription_NamedCodes_DoNotAllocate()
    {
        int sum = 0;
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int code = 1000; code <= 1015; code++)
        {
            sum += ((WebSocketCloseStatus)code).GetDescription().Length;
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        allocated.Should().Be(0);
        sum.Should().BePositive();
    }

    [Fact]
    public void ToSystemNet_Every16BitCode_IsLosslessRoundTrip()
    {
        for (int code = 0; code <= ushort.MaxValue; code++)
        {
            SystemNetCloseStatus systemNet = ((WebSocketCloseStatus)code).ToSystemNet();
            ((int)systemNet).Should().Be(code);
            systemNet.ToCloseStatus().Should().Be((WebSocketCloseStatus)code);
        }
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(65536)]
    [InlineData(int.MaxValue)]
    [InlineData(int.MinValue)]
    public void ToCloseStatus_ValueOutside16Bits_ThrowsNamingValue(int value)
    {
        Action act = () => ((SystemNetCloseStatus)value).ToCloseStatus();

        act.Should().Throw<ArgumentOutOfRangeException>()
            .WithMessage($"The close status {value} does not fit in 16 bits*")
            .Where(e => e.Message.Contains(value.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal))
            .And.ParamName.Should().Be("status");
    }
}
