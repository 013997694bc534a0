using System;
using System.ComponentModel;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace WebSockets.CloseStatus.Internal;

/// <summary>
/// The <see cref="TypeConverter"/> of <see cref="WebSocketCloseStatus"/>: reads every spelling that
/// <see cref="WebSocketCloseStatusExtensions.TryParse(string, out WebSocketCloseStatus)"/> reads, so that configuration
/// binding and other <see cref="TypeDescriptor"/> users accept "going-away", "1001", "EndpointUnavailable" and "4000".
/// </summary>
/// <remarks>
/// It replaces <see cref="EnumConverter"/>, which would call <see cref="Enum.Parse(Type, string, bool)"/>: every member
/// name, in any case, still converts; a comma-separated list of names or a signed number no longer does, as
/// <c>TryParse</c> refuses them. To a string it writes the member name for 1000–1015 and the decimal number otherwise,
/// as <see cref="Enum.ToString()"/> does, without reflection. It uses no reflection, so trimming keeps it whole.
/// </remarks>
[SuppressMessage("Performance", "CA1812:Avoid uninstantiated internal classes", Justification = "TypeDescriptor creates it from the enum's TypeConverterAttribute.")]
internal sealed class WebSocketCloseStatusConverter : TypeConverter
{
    // The defined members, for editors that offer a list; any other 16-bit code converts as well.
    private static readonly StandardValuesCollection s_members = new(new object[]
    {
        WebSocketCloseStatus.NormalClosure, WebSocketCloseStatus.EndpointUnavailable, WebSocketCloseStatus.ProtocolError,
        WebSocketCloseStatus.InvalidMessageType, WebSocketCloseStatus.Reserved, WebSocketCloseStatus.Empty,
        WebSocketCloseStatus.AbnormalClosure, WebSocketCloseStatus.InvalidPayloadData, WebSocketCloseStatus.PolicyViolation,
        WebSocketCloseStatus.MessageTooBig, WebSocketCloseStatus.MandatoryExtension, WebSocketCloseStatus.InternalServerError,
        WebSocketCloseStatus.ServiceRestart, WebSocketCloseStatus.TryAgainLater, WebSocketCloseStatus.BadGateway,
        WebSocketCloseStatus.TlsHandshakeFailure,
    });

    public override bool CanConvertFrom(ITypeDescriptorContext? context, Type sourceType) =>
        sourceType == typeof(string) || base.CanConvertFrom(context, sourceType);

    /// <exception cref="FormatException"><paramref name="value"/> is a string that is no close code and no name of one.</exception>
    public override object? ConvertFrom(ITypeDescriptorContext? context, CultureInfo? culture, object value)
    {
        if (value is not string text)
        {
            return base.ConvertFrom(context, culture, value);
        }

        if (WebSocketCloseStatusExtensions.TryParse(text, out WebSocketCloseStatus status))
        {
            return status;
        }

        throw new FormatException(string.Format(
            CultureInfo.InvariantCulture,
            "'{0}' is not a WebSocket close status: give a number 0–65535 or a name of 1000–1015, such as 1001, EndpointUnavailable, Going Away or going-away.",
            text));
    }

    public override object? ConvertTo(ITypeDescriptorContext? context, CultureInfo? culture, object? value, Type destinationType)
    {
        if (destinationType == typeof(string) && value is WebSocketCloseStatus status)
        {
            int code = (int)status;
            return CloseStatusTable.GetMemberName(code) ?? code.ToString(CultureInfo.InvariantCulture);
        }

        return base.ConvertTo(context, culture, value, destinationType);
    }

    public override bool IsValid(ITypeDescriptorContext? context, object? value) => value switch
    {
        string text => WebSocketCloseStatusExtensions.TryParse(text, out _),
        WebSocketCloseStatus => true,
        _ => false,
    };

    public override bool GetStandardValuesSupported(ITypeDescriptorContext? context) => true;

    public override bool GetStandardValuesExclusive(ITypeDescriptorContext? context) => false;

    public override StandardValuesCollection GetStandardValues(ITypeDescriptorContext? context) => s_members;
}
