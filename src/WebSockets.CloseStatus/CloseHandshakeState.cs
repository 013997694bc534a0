namespace WebSockets.CloseStatus;

/// <summary>The state of a connection's closing handshake (RFC 6455 §4.1, §7.1).</summary>
public enum CloseHandshakeState
{
    /// <summary>No close frame was sent or received, and the connection has not failed.</summary>
    Open = 0,

    /// <summary>The closing handshake has started, from either side, or the connection has failed; the transport is still open.</summary>
    Closing = 1,

    /// <summary>The transport is closed; the result is final.</summary>
    Closed = 2,
}
