using System;
using WebSockets.CloseStatus.Internal;

namespace WebSockets.CloseStatus;

public static partial class WebSocketCloseStatusExtensions
{
    /// <summary>Converts a number to a <see cref="WebSocketCloseStatus"/>, checking that it is a 16-bit close code.</summary>
    /// <param name="code">The close code.</param>
    /// <returns>The status with that number.</returns>
    /// <remarks>A cast, <c>(WebSocketCloseStatus)code</c>, keeps only the low 16 bits: 70000 becomes 4464 and 66536 becomes 1000.</remarks>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="code"/> is outside 0–65535.</exception>
    public static WebSocketCloseStatus FromCode(int code)
    {
        if ((uint)code > ushort.MaxValue)
        {
            ThrowHelper.ThrowCodeOutOfRange(code, nameof(code));
        }

        return (WebSocketCloseStatus)code;
    }

    /// <summary>Parses a close code from its number or any of its names.</summary>
    /// <param name="value">
    /// A number 0–65535 in decimal digits, or a name of a code 1000–1015: the member name (<c>AbnormalClosure</c>, which is
    /// also the System.Net name where System.Net has one), the IANA name (<c>Going Away</c>) or the Windows name
    /// (<c>WEB_SOCKET_ABORTED_CLOSE_STATUS</c>). Case, spaces, '-' and '_' in a name do not matter; white space around the value is ignored.
    /// </param>
    /// <param name="status">When this method returns, the parsed status; <see langword="default"/> on failure.</param>
    /// <returns><see langword="true"/> if <paramref name="value"/> is a close code or one of its names; otherwise, <see langword="false"/>.</returns>
    public static bool TryParse(ReadOnlySpan<char> value, out WebSocketCloseStatus status)
    {
        ReadOnlySpan<char> trimmed = value.Trim();
        int code = IsDigits(trimmed) ? ParseDigits(trimmed) : CloseStatusTable.FindName(trimmed);
        if (code < 0)
        {
            status = default;
            return false;
        }

        status = (WebSocketCloseStatus)code;
        return true;
    }

    /// <inheritdoc cref="TryParse(ReadOnlySpan{char}, out WebSocketCloseStatus)"/>
    /// <remarks>A <see langword="null"/> value is no code.</remarks>
    public static bool TryParse(string? value, out WebSocketCloseStatus status) =>
        TryParse(value.AsSpan(), out status);

    private static bool IsDigits(ReadOnlySpan<char> value)
    {
        foreach (char c in value)
        {
            if ((uint)(c - '0') > 9)
            {
                return false;
            }
        }

        return !value.IsEmpty;
    }

    // The value of a run of decimal digits, or -1 above 65535 (leading zeros are fine).
    private static int ParseDigits(ReadOnlySpan<char> digits)
    {
        int value = 0;
        foreach (char c in digits)
        {
            value = (value * 10) + (c - '0');
            if (value > ushort.MaxValue)
            {
                return -1;
            }
        }

        return value;
    }
}
