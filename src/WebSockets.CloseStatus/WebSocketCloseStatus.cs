using System.ComponentModel;
using WebSockets.CloseStatus.Internal;

namespace WebSockets.CloseStatus;

/// <summary>A WebSocket close status code (RFC 6455 §7.4 and the IANA WebSocket Close Code Number Registry).</summary>
/// <remarks>
/// Codes outside 1000–1015, such as the application codes 3000–4999, are used by casting the number:
/// <c>(WebSocketCloseStatus)4000</c>. A cast keeps only the low 16 bits of an <see cref="int"/>;
/// <see cref="WebSocketCloseStatusExtensions.FromCode(int)"/> checks the range instead, and
/// <see cref="WebSocketCloseStatusExtensions.TryParse(string, out WebSocketCloseStatus)"/> reads numbers and names.
/// Every method of this library accepts any 16-bit value.
/// <para>
/// <c>IConfiguration</c> binding, the options pattern and other <see cref="TypeDescriptor"/> users read a status in
/// every spelling <c>TryParse</c> reads ("going-away", "1001", "EndpointUnavailable", "4000"), through the enum's type
/// converter; any other value fails with a <see cref="System.FormatException"/> that names it (the binder wraps it in an
/// <see cref="System.InvalidOperationException"/>). Converted to a string, a status is its member name for 1000–1015
/// and its decimal number otherwise. The configuration binding source generator (<c>EnableConfigurationBindingGenerator</c>,
/// on by default in trimmed and Native AOT apps) ignores type converters and calls <c>Enum.Parse</c>: there only member
/// names and numbers bind.
/// </para>
/// </remarks>
[TypeConverter(typeof(WebSocketCloseStatusConverter))]
public enum WebSocketCloseStatus : ushort
{
    /// <summary>1000, Normal Closure: the purpose of the connection has been fulfilled; sent by either endpoint and valid in a close frame. Windows <c>WEB_SOCKET_SUCCESS_CLOSE_STATUS</c>; System.Net <c>NormalClosure</c>.</summary>
    NormalClosure = 1000,

    /// <summary>1001, Going Away: a server shutting down or a browser leaving the page; valid in a close frame. Windows <c>WEB_SOCKET_ENDPOINT_UNAVAILABLE_CLOSE_STATUS</c>; System.Net <c>EndpointUnavailable</c>.</summary>
    EndpointUnavailable = 1001,

    /// <summary>1002, Protocol error: the peer broke the WebSocket protocol; sent by the endpoint that detected it and valid in a close frame. Windows <c>WEB_SOCKET_PROTOCOL_ERROR_CLOSE_STATUS</c>; System.Net <c>ProtocolError</c>.</summary>
    ProtocolError = 1002,

    /// <summary>1003, Unsupported Data: a message of a type the endpoint cannot accept (text or binary); valid in a close frame. Windows <c>WEB_SOCKET_INVALID_DATA_TYPE_CLOSE_STATUS</c>; System.Net <c>InvalidMessageType</c>.</summary>
    InvalidMessageType = 1003,

    /// <summary>1004, Reserved: no meaning is defined and it must not be sent in a close frame. Neither Windows nor System.Net names it.</summary>
    Reserved = 1004,

    /// <summary>1005, No Status Rcvd: reported locally when a close frame carried no status code; never sent in a close frame (it is written as an empty payload). Windows <c>WEB_SOCKET_EMPTY_CLOSE_STATUS</c>; System.Net <c>Empty</c>.</summary>
    Empty = 1005,

    /// <summary>1006, Abnormal Closure: reported locally when the connection dropped without a close frame; never sent in a close frame. Windows <c>WEB_SOCKET_ABORTED_CLOSE_STATUS</c>; System.Net has no member for it.</summary>
    AbnormalClosure = 1006,

    /// <summary>1007, Invalid frame payload data: a message's data did not match its type, such as invalid UTF-8 in a text message; valid in a close frame. Windows <c>WEB_SOCKET_INVALID_PAYLOAD_CLOSE_STATUS</c>; System.Net <c>InvalidPayloadData</c>.</summary>
    InvalidPayloadData = 1007,

    /// <summary>1008, Policy Violation: a message broke the endpoint's policy, the generic refusal; valid in a close frame. Windows <c>WEB_SOCKET_POLICY_VIOLATION_CLOSE_STATUS</c>; System.Net <c>PolicyViolation</c>.</summary>
    PolicyViolation = 1008,

    /// <summary>1009, Message Too Big: a message was too large to process; valid in a close frame. Windows <c>WEB_SOCKET_MESSAGE_TOO_BIG_CLOSE_STATUS</c>; System.Net <c>MessageTooBig</c>.</summary>
    MessageTooBig = 1009,

    /// <summary>1010, Mandatory Ext.: sent by a client whose required extensions the server did not negotiate; valid in a close frame. Windows <c>WEB_SOCKET_UNSUPPORTED_EXTENSIONS_CLOSE_STATUS</c>; System.Net <c>MandatoryExtension</c>.</summary>
    MandatoryExtension = 1010,

    /// <summary>1011, Internal Error: sent by a server that met an unexpected condition; valid in a close frame. Windows <c>WEB_SOCKET_SERVER_ERROR_CLOSE_STATUS</c>; System.Net <c>InternalServerError</c>.</summary>
    InternalServerError = 1011,

    /// <summary>1012, Service Restart: sent by a server that is restarting, so the client may reconnect; valid in a close frame (IANA registry). Neither Windows nor System.Net names it.</summary>
    ServiceRestart = 1012,

    /// <summary>1013, Try Again Later: sent by a server under a temporary condition such as overload; valid in a close frame (IANA registry). Neither Windows nor System.Net names it.</summary>
    TryAgainLater = 1013,

    /// <summary>1014, Bad Gateway: sent by a gateway or proxy that got an invalid response upstream; valid in a close frame (IANA registry). Neither Windows nor System.Net names it.</summary>
    BadGateway = 1014,

    /// <summary>1015, TLS handshake: reported locally when the TLS handshake failed; never sent in a close frame. Windows <c>WEB_SOCKET_SECURE_HANDSHAKE_ERROR_CLOSE_STATUS</c>; System.Net has no member for it.</summary>
    TlsHandshakeFailure = 1015,
}
