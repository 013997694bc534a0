using System.Collections.Generic;
using System.Linq;
using Xunit;

namespace WebSockets.CloseStatus.Tests.TestData;

/// <summary>
/// The close codes as RFC 6455 §7.4 and the IANA WebSocket Close Code Number Registry list them,
/// typed in from those documents, independently of the library's own tables.
/// </summary>
public static class Rfc6455
{
    public sealed record Code(int Value, string Member, string IanaName, string? WindowsName, string? SystemNetName, bool ValidOnWire);

    public static readonly IReadOnlyList<Code> Codes =
    [
        new(1000, "NormalClosure", "Normal Closure", "WEB_SOCKET_SUCCESS_CLOSE_STATUS", "NormalClosure", true),
        new(1001, "EndpointUnavailable", "Going Away", "WEB_SOCKET_ENDPOINT_UNAVAILABLE_CLOSE_STATUS", "EndpointUnavailable", true),
        new(1002, "ProtocolError", "Protocol error", "WEB_SOCKET_PROTOCOL_ERROR_CLOSE_STATUS", "ProtocolError", true),
        new(1003, "InvalidMessageType", "Unsupported Data", "WEB_SOCKET_INVALID_DATA_TYPE_CLOSE_STATUS", "InvalidMessageType", true),
        new(1004, "Reserved", "Reserved", null, null, false),
        new(1005, "Empty", "No Status Rcvd", "WEB_SOCKET_EMPTY_CLOSE_STATUS", "Empty", false),
        new(1006, "AbnormalClosure", "Abnormal Closure", "WEB_SOCKET_ABORTED_CLOSE_STATUS", null, false),
        new(1007, "InvalidPayloadData", "Invalid frame payload data", "WEB_SOCKET_INVALID_PAYLOAD_CLOSE_STATUS", "InvalidPayloadData", true),
        new(1008, "PolicyViolation", "Policy Violation", "WEB_SOCKET_POLICY_VIOLATION_CLOSE_STATUS", "PolicyViolation", true),
        new(1009, "MessageTooBig", "Message Too Big", "WEB_SOCKET_MESSAGE_TOO_BIG_CLOSE_STATUS", "MessageTooBig", true),
        new(1010, "MandatoryExtension", "Mandatory Ext.", "WEB_SOCKET_UNSUPPORTED_EXTENSIONS_CLOSE_STATUS", "MandatoryExtension", true),
        new(1011, "InternalServerError", "Internal Error", "WEB_SOCKET_SERVER_ERROR_CLOSE_STATUS", "InternalServerError", true),
        new(1012, "ServiceRestart", "Service Restart", null, null, true),
        new(1013, "TryAgainLater", "Try Again Later", null, null, true),
        new(1014, "BadGateway", "Bad Gateway", null, null, true),
        new(1015, "TlsHandshakeFailure", "TLS handshake", "WEB_SOCKET_SECURE_HANDSHAKE_ERROR_CLOSE_STATUS", null, false),
    ];

    /// <summary>The Windows <c>WEB_SOCKET_CLOSE_STATUS</c> enumeration of websocket.h: name, value, and the member of the same meaning.</summary>
    public static TheoryData<string, int, string> WindowsCloseStatus => new()
    {
        { "WEB_SOCKET_SUCCESS_CLOSE_STATUS", 1000, "NormalClosure" },
        { "WEB_SOCKET_ENDPOINT_UNAVAILABLE_CLOSE_STATUS", 1001, "EndpointUnavailable" },
        { "WEB_SOCKET_PROTOCOL_ERROR_CLOSE_STATUS", 1002, "ProtocolError" },
        { "WEB_SOCKET_INVALID_DATA_TYPE_CLOSE_STATUS", 1003, "InvalidMessageType" },
        { "WEB_SOCKET_EMPTY_CLOSE_STATUS", 1005, "Empty" },
        { "WEB_SOCKET_ABORTED_CLOSE_STATUS", 1006, "AbnormalClosure" },
        { "WEB_SOCKET_INVALID_PAYLOAD_CLOSE_STATUS", 1007, "InvalidPayloadData" },
        { "WEB_SOCKET_POLICY_VIOLATION_CLOSE_STATUS", 1008, "PolicyViolation" },
        { "WEB_SOCKET_MESSAGE_TOO_BIG_CLOSE_STATUS", 1009, "MessageTooBig" },
        { "WEB_SOCKET_UNSUPPORTED_EXTENSIONS_CLOSE_STATUS", 1010, "MandatoryExtension" },
        { "WEB_SOCKET_SERVER_ERROR_CLOSE_STATUS", 1011, "InternalServerError" },
        { "WEB_SOCKET_SECURE_HANDSHAKE_ERROR_CLOSE_STATUS", 1015, "TlsHandshakeFailure" },
    };

    public static TheoryData<int, string, string> NamedCodes()
    {
        var data = new TheoryData<int, string, string>();
        foreach (Code code in Codes)
        {
            data.Add(code.Value, code.Member, code.IanaName);
        }

        return data;
    }

    /// <summary>
    /// The oracle for "valid in a close frame", written from the RFC's prose rather than the library's masks:
    /// §7.4.1 lists the defined codes and forbids 1004–1006 and 1015; §7.4.2 reserves 0–999 and leaves
    /// 1016–2999 to future standards; the IANA registry adds 1012–1014; 3000–4999 are for applications.
    /// </summary>
    public static bool OracleValidOnWire(int code) =>
        code is >= 3000 and <= 4999
        || new[] { 1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014 }.Contains(code);

    public static bool OracleLocalOnly(int code) => code is 1005 or 1006 or 1015;

    /// <summary>The WHATWG WebSocket <c>close(code)</c> check: 1000, or 3000 to 4999 inclusive.</summary>
    public static bool OracleBrowserClose(int code) => code == 1000 || (code >= 3000 && code <= 4999);

    public static bool OracleNormal(int code) => code is 1000 or 1001 or 1005;

    public static CloseStatusRange OracleRange(int code)
    {
        if (code <= 999)
        {
            return CloseStatusRange.Unused;
        }

        if (code <= 2999)
        {
            return CloseStatusRange.Protocol;
        }

        if (code <= 3999)
        {
            return CloseStatusRange.Registered;
        }

        return code <= 4999 ? CloseStatusRange.PrivateUse : CloseStatusRange.OutOfRange;
    }
}
