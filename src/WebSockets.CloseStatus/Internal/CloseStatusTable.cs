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
}
