using System.Globalization;

namespace WebSockets.CloseStatus.Analyzers;

/// <summary>Which close codes may be sent (RFC 6455 §7.4 and the IANA registry), as the library's <c>IsValidOnWire</c> says, and why the others may not.</summary>
internal static class CloseCodes
{
    public const int Empty = 1005;

    public static bool IsInRange(long code) => code is >= 0 and <= ushort.MaxValue;

    // 1000–1003, 1007–1014, 3000–4999: the codes a close frame may carry.
    public static bool IsSendable(long code) => code is (>= 1000 and <= 1003) or (>= 1007 and <= 1014) or (>= 3000 and <= 4999);

    /// <summary>Why <paramref name="code"/> (0–65535, not sendable) must not be sent.</summary>
    public static string WhyNot(long code) => code switch
    {
        1004 => "1004 is reserved with no meaning",
        Empty => "1005 (Empty) stands for a close without a code",
        1006 => "1006 (AbnormalClosure) is reported locally when a connection drops",
        1015 => "1015 (TlsHandshakeFailure) is reported locally when TLS fails",
        < 1000 => "0–999 are not used",
        < 3000 => "1016–2999 are reserved for future standards, and none is registered",
        _ => "codes above 4999 are outside the close code ranges",
    };

    /// <summary>The code as a message shows it: the number, and its member's name when it has one.</summary>
    public static string Describe(long code, string? memberName) =>
        memberName is null ? code.ToString(CultureInfo.InvariantCulture) : $"{code.ToString(CultureInfo.InvariantCulture)} ({memberName})";
}
