using System;

namespace WebSockets.CloseStatus.Internal;

/// <summary>The registry as data: one row per code 1000–1015, read by every predicate.</summary>
internal static class CloseStatusTable
{
    public const int First = 1000;
    public const int Count = 16;

    // Bit (code - 1000) is set when the code has the property. One mask per column of the registry.
    // Valid on the wire: 1000–1003 and 1007–1014 (RFC 6455 §7.4.1, IANA registry).
    public const int ValidOnWireMask = 0b0111_1111_1000_1111;

    // Reported locally, never sent: 1005, 1006, 1015 (RFC 6455 §7.4.1).
    public const int LocalOnlyMask = 0b1000_0000_0110_0000;

    // A normal end rather than an error: 1000, 1001, and 1005 (a close frame without a status).
    public const int NormalMask = 0b0000_0000_0010_0011;

    private static readonly string[] s_ianaNames =
    [
        "Normal Closure",
        "Going Away",
        "Protocol error",
        "Unsupported Data",
        "Reserved",
        "No Status Rcvd",
        "Abnormal Closure",
        "Invalid frame payload data",
        "Policy Violation",
        "Message Too Big",
        "Mandatory Ext.",
        "Internal Error",
        "Service Restart",
        "Try Again Later",
        "Bad Gateway",
        "TLS handshake",
    ];

    // The enum's member names; System.Net names the codes it knows the same way.
    private static readonly string[] s_memberNames =
    [
        "NormalClosure",
        "EndpointUnavailable",
        "ProtocolError",
        "InvalidMessageType",
        "Reserved",
        "Empty",
        "AbnormalClosure",
        "InvalidPayloadData",
        "PolicyViolation",
        "MessageTooBig",
        "MandatoryExtension",
        "InternalServerError",
        "ServiceRestart",
        "TryAgainLater",
        "BadGateway",
        "TlsHandshakeFailure",
    ];

    // WEB_SOCKET_CLOSE_STATUS in the Windows SDK's websocket.h; it has no name for 1004 and 1012–1014.
    private static readonly string?[] s_windowsNames =
    [
        "WEB_SOCKET_SUCCESS_CLOSE_STATUS",
        "WEB_SOCKET_ENDPOINT_UNAVAILABLE_CLOSE_STATUS",
        "WEB_SOCKET_PROTOCOL_ERROR_CLOSE_STATUS",
        "WEB_SOCKET_INVALID_DATA_TYPE_CLOSE_STATUS",
        null,
        "WEB_SOCKET_EMPTY_CLOSE_STATUS",
        "WEB_SOCKET_ABORTED_CLOSE_STATUS",
        "WEB_SOCKET_INVALID_PAYLOAD_CLOSE_STATUS",
        "WEB_SOCKET_POLICY_VIOLATION_CLOSE_STATUS",
        "WEB_SOCKET_MESSAGE_TOO_BIG_CLOSE_STATUS",
        "WEB_SOCKET_UNSUPPORTED_EXTENSIONS_CLOSE_STATUS",
        "WEB_SOCKET_SERVER_ERROR_CLOSE_STATUS",
        null,
        null,
        null,
        "WEB_SOCKET_SECURE_HANDSHAKE_ERROR_CLOSE_STATUS",
    ];

    /// <summary>Tests whether <paramref name="code"/> is in 1000–1015 and its bit is set in <paramref name="mask"/>.</summary>
    public static bool Has(int code, int mask)
    {
        uint offset = (uint)(code - First);
        return offset < Count && (mask & (1 << (int)offset)) != 0;
    }

    /// <summary>Gets the IANA registry name of a code in 1000–1015, or <see langword="null"/>.</summary>
    public static string? GetIanaName(int code)
    {
        uint offset = (uint)(code - First);
        return offset < Count ? s_ianaNames[offset] : null;
    }

    /// <summary>Gets the enum member name of a code in 1000–1015, or <see langword="null"/>.</summary>
    public static string? GetMemberName(int code)
    {
        uint offset = (uint)(code - First);
        return offset < Count ? s_memberNames[offset] : null;
    }

    /// <summary>Finds the code 1000–1015 that <paramref name="name"/> names: its member, IANA or Windows name, ignoring case, spaces, '-' and '_'.</summary>
    /// <returns>The code, or -1.</returns>
    public static int FindName(ReadOnlySpan<char> name)
    {
        for (int offset = 0; offset < Count; offset++)
        {
            string? windows = s_windowsNames[offset];
            if (NamesMatch(name, s_memberNames[offset].AsSpan())
                || NamesMatch(name, s_ianaNames[offset].AsSpan())
                || (windows is not null && NamesMatch(name, windows.AsSpan())))
            {
                return First + offset;
            }
        }

        return -1;
    }

    // Compares two names char by char, ignoring case and skipping separators on both sides.
    private static bool NamesMatch(ReadOnlySpan<char> input, ReadOnlySpan<char> name)
    {
        int i = 0;
        int j = 0;
        while (true)
        {
            while (i < input.Length && IsSeparator(input[i]))
            {
                i++;
            }

            while (j < name.Length && IsSeparator(name[j]))
            {
                j++;
            }

            if (i == input.Length || j == name.Length)
            {
                return i == input.Length && j == name.Length;
            }

            if (char.ToUpperInvariant(input[i]) != char.ToUpperInvariant(name[j]))
            {
                return false;
            }

            i++;
            j++;
        }
    }

    private static bool IsSeparator(char c) => c is ' ' or '-' or '_';
}
