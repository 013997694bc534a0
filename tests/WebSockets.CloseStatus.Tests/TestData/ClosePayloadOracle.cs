using System;
using System.Text;

namespace WebSockets.CloseStatus.Tests.TestData;

/// <summary>
/// An independent reader written from RFC 6455 §5.5, §5.5.1, §7.1.5 and §7.4, using the runtime's strict
/// UTF-8 decoder for RFC 3629 and <see cref="Rfc6455.OracleValidOnWire"/> for codes. It shares no code with the library.
/// </summary>
public static class ClosePayloadOracle
{
    private static readonly UTF8Encoding s_strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static (CloseFrameError Error, int Code, string Reason) Read(byte[] payload, bool lenient = false)
    {
        if (payload.Length == 0)
        {
            return (CloseFrameError.None, 1005, "");
        }

        if (payload.Length == 1)
        {
            return (CloseFrameError.TooShort, 0, "");
        }

        if (payload.Length > 125)
        {
            return (CloseFrameError.TooLong, 0, "");
        }

        int code = (payload[0] << 8) | payload[1];
        bool accepted = Rfc6455.OracleValidOnWire(code)
            || (lenient && code >= 1000 && code <= 4999 && !Rfc6455.OracleLocalOnly(code));
        if (!accepted)
        {
            return (CloseFrameError.InvalidStatus, 0, "");
        }

        try
        {
            return (CloseFrameError.None, code, s_strict.GetString(payload, 2, payload.Length - 2));
        }
        catch (DecoderFallbackException)
        {
            return (CloseFrameError.InvalidUtf8, 0, "");
        }
    }

    public static bool IsWellFormedUtf8(ReadOnlySpan<byte> bytes)
    {
        try
        {
            s_strict.GetString(bytes);
            return true;
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
    }
}
