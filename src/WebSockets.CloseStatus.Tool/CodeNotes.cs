namespace WebSockets.CloseStatus.Tool;

/// <summary>What <c>wsclose explain</c> says of each code 1000–1015 beyond the library's registry knowledge.</summary>
internal sealed record CodeNotes(string? WindowsName, string? SystemNetName, string SentBy, string Check)
{
    private static readonly CodeNotes[] s_notes =
    [
        new("WEB_SOCKET_SUCCESS_CLOSE_STATUS", "NormalClosure",
            "either endpoint, when it is done with the connection",
            "nothing: the connection ended as intended."),
        new("WEB_SOCKET_ENDPOINT_UNAVAILABLE_CLOSE_STATUS", "EndpointUnavailable",
            "a server shutting down or restarting, or a browser leaving or reloading the page",
            "server deploys and shutdowns, page navigation; reconnect with backoff."),
        new("WEB_SOCKET_PROTOCOL_ERROR_CLOSE_STATUS", "ProtocolError",
            "the endpoint that received a malformed frame",
            "frame encoding on the other side: masking, fragmented control frames, reserved bits, bad close payloads."),
        new("WEB_SOCKET_INVALID_DATA_TYPE_CLOSE_STATUS", "InvalidMessageType",
            "an endpoint that got text where it takes only binary, or the reverse",
            "the message type (text or binary) the sender uses against what the receiver accepts."),
        new(null, null,
            "nobody: it is reserved and must not be sent",
            "the peer's stack: sending 1004 is a bug."),
        new("WEB_SOCKET_EMPTY_CLOSE_STATUS", "Empty",
            "nobody: a stack reports it as the connection close code when the first close frame it received had no status, as a browser's ws.close() sends (RFC 6455 §7.1.5); Chromium, Node ws and CloseHandshake report 1005, .NET's WebSocket reports 1000",
            "nothing is wrong: the peer closed without giving a code; echo an empty close payload."),
        new("WEB_SOCKET_ABORTED_CLOSE_STATUS", null,
            "nobody: a stack reports it when TCP closed before a well-formed close frame arrived (RFC 6455 §7.1.5): the peer or a proxy dropped the connection, or the stack failed it over a malformed close, which counts as none (§7.1.7); .NET's WebSocket reports no status and throws ConnectionClosedPrematurely instead",
            "no close frame arrived: the TCP connection dropped. Look at proxies and load balancers (idle timeouts, missing Upgrade support), crashes or kills of the peer process, network changes, and TLS or handshake failures; send pings to keep idle connections alive."),
        new("WEB_SOCKET_INVALID_PAYLOAD_CLOSE_STATUS", "InvalidPayloadData",
            "an endpoint that received data inconsistent with the message type, such as invalid UTF-8 in a text message",
            "text messages and close reasons must be well-formed UTF-8; look for byte-level truncation or Latin-1 text."),
        new("WEB_SOCKET_POLICY_VIOLATION_CLOSE_STATUS", "PolicyViolation",
            "an endpoint refusing a message or the client, often a server for authentication or origin checks",
            "authentication, authorization, origin and rate-limit rules on the server."),
        new("WEB_SOCKET_MESSAGE_TOO_BIG_CLOSE_STATUS", "MessageTooBig",
            "an endpoint that received a message larger than it accepts",
            "the receiver's maximum message size against what the sender sends."),
        new("WEB_SOCKET_UNSUPPORTED_EXTENSIONS_CLOSE_STATUS", "MandatoryExtension",
            "a client whose required extension the server did not negotiate",
            "the Sec-WebSocket-Extensions headers of the handshake."),
        new("WEB_SOCKET_SERVER_ERROR_CLOSE_STATUS", "InternalServerError",
            "a server that met an unexpected condition",
            "the server's logs for the exception behind it."),
        new(null, null,
            "a server that is restarting",
            "reconnect after a short, randomized delay."),
        new(null, null,
            "a server under a temporary condition such as overload",
            "reconnect later, with backoff."),
        new(null, null,
            "a gateway or proxy that got an invalid response from the upstream server",
            "the upstream server behind the gateway or proxy."),
        new("WEB_SOCKET_SECURE_HANDSHAKE_ERROR_CLOSE_STATUS", null,
            "nobody: a stack reports it when the connection failed in the TLS handshake, before any WebSocket frame could be sent (RFC 6455 §7.4.1), so no close frame ever came",
            "certificates, trust stores, TLS versions and cipher suites on both sides."),
    ];

    /// <summary>Gets the notes for a code in 1000–1015, or <see langword="null"/>.</summary>
    public static CodeNotes? For(int code) => code is >= 1000 and <= 1015 ? s_notes[code - 1000] : null;
}
