using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Linq;
using FluentAssertions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Xunit;

namespace WebSockets.CloseStatus.Tests;

/// <summary>The enum's type converter: configuration and options binding read every spelling <c>TryParse</c> reads, and nothing else.</summary>
public class WebSocketCloseStatusConverterTests
{
    private static readonly TypeConverter s_converter = TypeDescriptor.GetConverter(typeof(WebSocketCloseStatus));

    public static TheoryData<string, int> Spellings() => new()
    {
        { "going-away", 1001 },
        { "1001", 1001 },
        { "EndpointUnavailable", 1001 },
        { "endpointunavailable", 1001 },
        { "Going Away", 1001 },
        { "4000", 4000 },
        { " 4000 ", 4000 },
        { "WEB_SOCKET_ABORTED_CLOSE_STATUS", 1006 },
        { "0", 0 },
        { "65535", 65535 },
    };

    [Theory]
    [MemberData(nameof(Spellings))]
    public void Configuration_BindsEverySpellingOfTryParse_ToTheEnumAndItsNullable(string value, int expected)
    {
        IConfiguration config = Config(("Close:Status", value), ("Close:Optional", value));

        Settings? settings = config.GetSection("Close").Get<Settings>();

        settings.Should().NotBeNull();
        ((int)settings!.Status).Should().Be(expected);
        ((int?)settings.Optional).Should().Be(expected);
        ((int)config.GetValue<WebSocketCloseStatus>("Close:Status")).Should().Be(expected);
        ((int?)config.GetValue<WebSocketCloseStatus?>("Close:Optional")).Should().Be(expected);
    }

    [Fact]
    public void Options_ConfiguredFromASection_ReadTheNames()
    {
        IConfiguration config = Config(("Close:Status", "going-away"), ("Close:Optional", "4000"));
        using ServiceProvider services = new ServiceCollection().Configure<Settings>(config.GetSection("Close")).BuildServiceProvider();

        Settings settings = services.GetRequiredService<IOptions<Settings>>().Value;

        settings.Status.Should().Be(WebSocketCloseStatus.EndpointUnavailable);
        settings.Optional.Should().Be((WebSocketCloseStatus)4000);
    }

    [Fact]
    public void Configuration_WithoutTheKey_LeavesTheDefaults_AndAnEmptyNullableIsNull()
    {
        Settings settings = Config(("Close:Optional", ""), ("Close:Other", "x")).GetSection("Close").Get<Settings>()!;

        settings.Status.Should().Be(WebSocketCloseStatus.NormalClosure, "the property's initial value stays");
        settings.Optional.Should().BeNull();
    }

    [Theory]
    [InlineData("going-nowhere")]
    [InlineData("70000")]
    [InlineData("+1000")]
    [InlineData("-1")]
    [InlineData("NormalClosure, EndpointUnavailable")]
    [InlineData("")]
    public void Configuration_RefusesWhatTryParseRefuses_NamingTheValue(string value)
    {
        WebSocketCloseStatusExtensions.TryParse(value, out _).Should().BeFalse();
        IConfiguration config = Config(("Close:Status", value), ("Close:Optional", value));

        Action bind = () => config.GetSection("Close").Get<Settings>();
        Action options = () => new ServiceCollection().Configure<Settings>(config.GetSection("Close")).BuildServiceProvider()
            .GetRequiredService<IOptions<Settings>>().Value.ToString();

        bind.Should().Throw<InvalidOperationException>().WithMessage("*Close:Status*")
            .WithInnerException<FormatException>().WithMessage($"'{value}' is not a WebSocket close status*");
        options.Should().Throw<InvalidOperationException>().WithInnerException<FormatException>();
    }

    [Fact]
    public void Converter_ReadsWhatTryParseReads_AndEveryMemberNameThatEnumParseRead()
    {
        foreach ((string value, int code) in Spellings().Select(row => ((string)row[0], (int)row[1])))
        {
            s_converter.IsValid(value).Should().BeTrue(value);
            ((int)(WebSocketCloseStatus)s_converter.ConvertFromInvariantString(value)!).Should().Be(code, value);
        }

        foreach (string name in Enum.GetNames<WebSocketCloseStatus>())
        {
            WebSocketCloseStatus parsed = Enum.Parse<WebSocketCloseStatus>(name, ignoreCase: true);
            foreach (string spelling in new[] { name, name.ToUpperInvariant(), name.ToLowerInvariant() })
            {
                s_converter.ConvertFromInvariantString(spelling).Should().Be(parsed, spelling);
            }
        }

        s_converter.IsValid("going-nowhere").Should().BeFalse();
        s_converter.IsValid((WebSocketCloseStatus)4001).Should().BeTrue("any value of the enum is a code");
        s_converter.IsValid(1001).Should().BeFalse("an int is not a close status until cast");
        s_converter.IsValid(null!).Should().BeFalse();
        s_converter.CanConvertFrom(typeof(string)).Should().BeTrue();
        TypeDescriptor.GetConverter(typeof(WebSocketCloseStatus?)).ConvertFromInvariantString("going-away").Should().Be(WebSocketCloseStatus.EndpointUnavailable);
    }

    [Fact]
    public void Converter_WritesTheMemberNameOrTheNumber_AsEnumToStringDoes_AndReadsItBack()
    {
        s_converter.ConvertToInvariantString(WebSocketCloseStatus.EndpointUnavailable).Should().Be("EndpointUnavailable");
        s_converter.ConvertToInvariantString((WebSocketCloseStatus)4000).Should().Be("4000");

        for (int code = 0; code <= ushort.MaxValue; code++)
        {
            var status = (WebSocketCloseStatus)code;
            string text = s_converter.ConvertToInvariantString(status)!;
            if (text != status.ToString() || (WebSocketCloseStatus)s_converter.ConvertFromInvariantString(text)! != status)
            {
                Assert.Fail($"{code}: wrote '{text}', Enum.ToString says '{status}'");
            }
        }
    }

    [Fact]
    public void Converter_OffersTheMembers_AsNonExclusiveStandardValues()
    {
        s_converter.GetStandardValuesSupported().Should().BeTrue();
        s_converter.GetStandardValuesExclusive().Should().BeFalse();
        s_converter.GetStandardValues()!.Cast<WebSocketCloseStatus>().Should().Equal(Enum.GetValues<WebSocketCloseStatus>());
    }

    [Fact]
    public void Converter_RefusesOtherTypes()
    {
        Action fromInt = () => s_converter.ConvertFrom(1001);
        Action toInt = () => s_converter.ConvertTo(WebSocketCloseStatus.NormalClosure, typeof(int));

        fromInt.Should().Throw<NotSupportedException>();
        toInt.Should().Throw<NotSupportedException>();
    }

    private static IConfiguration Config(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();

    private sealed class Settings
    {
        public WebSocketCloseStatus Status { get; set; } = WebSocketCloseStatus.NormalClosure;

        public WebSocketCloseStatus? Optional { get; set; }
    }
}
