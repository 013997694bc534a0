using WebSockets.CloseStatus.Internal;

namespace WebSockets.CloseStatus;

/// <summary>What the RFC 6455 ranges and the IANA registry say about each close status, and conversions to and from numbers, names and System.Net.</summary>
public static partial class WebSocketCloseStatusExtensions
{
    /// <summary>Determines whether <paramref name="status"/> may be sent, and accepted when received, in a close frame.</summary>
    /// <param name="status">The status to test; any 16-bit value.</param>
    /// <returns><see langword="true"/> for 1000–1003, 1007–1014 and 3000–4999; otherwise, <see langword="false"/>.</returns>
    /// <remarks>RFC 6455 §7.4.1–7.4.2 and the IANA registry, as the Autobahn testsuite judges close codes.</remarks>
    public static bool IsValidOnWire(this WebSocketCloseStatus status)
    {
        int code = (int)status;
        return (uint)(code - 3000) < 2000 || CloseStatusTable.Has(code, CloseStatusTable.ValidOnWireMask);
    }

    /// <summary>Determines whether <paramref name="status"/> exists only to be reported locally and must never be sent (1005, 1006, 1015).</summary>
    /// <param name="status">The status to test; any 16-bit value.</param>
    /// <returns><see langword="true"/> for <see cref="WebSocketCloseStatus.Empty"/>, <see cref="WebSocketCloseStatus.AbnormalClosure"/> and <see cref="WebSocketCloseStatus.TlsHandshakeFailure"/>; otherwise, <see langword="false"/>.</returns>
    public static bool IsLocalOnly(this WebSocketCloseStatus status) =>
        CloseStatusTable.Has((int)status, CloseStatusTable.LocalOnlyMask);

    /// <summary>Determines whether <paramref name="status"/> means a normal end of the connection rather than an error.</summary>
    /// <param name="status">The status to test; any 16-bit value.</param>
    /// <returns><see langword="true"/> for 1000, 1001 and 1005 (a close frame without a status); otherwise, <see langword="false"/>.</returns>
    public static bool IsNormal(this WebSocketCloseStatus status) =>
        CloseStatusTable.Has((int)status, CloseStatusTable.NormalMask);

    /// <summary>Determines whether a browser's <c>WebSocket.close(code)</c> accepts <paramref name="status"/>.</summary>
    /// <param name="status">The status to test; any 16-bit value.</param>
    /// <returns><see langword="true"/> for 1000 and 3000–4999; otherwise, <see langword="false"/>.</returns>
    /// <remarks>The WHATWG WebSockets standard makes <c>close()</c> throw <c>InvalidAccessError</c> for any other code.</remarks>
    public static bool IsValidForBrowserClose(this WebSocketCloseStatus status) =>
        status == WebSocketCloseStatus.NormalClosure || (uint)((int)status - 3000) < 2000;

    /// <summary>Gets the range of the close code space that <paramref name="status"/> belongs to.</summary>
    /// <param name="status">The status to classify; any 16-bit value.</param>
    /// <returns>The range that contains the code.</returns>
    public static CloseStatusRange GetRange(this WebSocketCloseStatus status) => (int)status switch
    {
        < 1000 => CloseStatusRange.Unused,
        < 3000 => CloseStatusRange.Protocol,
        < 4000 => CloseStatusRange.Registered,
        < 5000 => CloseStatusRange.PrivateUse,
        _ => CloseStatusRange.OutOfRange,
    };

    /// <summary>Gets a short English description: the IANA registry name for 1000–1015, otherwise a description of the code's range.</summary>
    /// <param name="status">The status to describe; any 16-bit value.</param>
    /// <returns>A description that does not change between calls; it is never allocated.</returns>
    public static string GetDescription(this WebSocketCloseStatus status) =>
        CloseStatusTable.GetIanaName((int)status) ?? GetRange(status) switch
        {
            CloseStatusRange.Unused => "Unused (0–999)",
            CloseStatusRange.Protocol => "Unassigned protocol code (1016–2999)",
            CloseStatusRange.Registered => "Library, framework or application code (3000–3999)",
            CloseStatusRange.PrivateUse => "Private use (4000–4999)",
            _ => "Outside the close code ranges (5000–65535)",
        };
}
