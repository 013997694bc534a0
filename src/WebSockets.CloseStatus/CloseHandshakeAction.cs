namespace WebSockets.CloseStatus;

/// <summary>What a <see cref="CloseHandshake"/> asks its stack to do next (RFC 6455 §7.1).</summary>
public enum CloseHandshakeAction
{
    /// <summary>Nothing for the closing handshake: go on sending and receiving, or, once closed, stop.</summary>
    None = 0,

    /// <summary>A close frame is due, as a reply (§5.5.1) or because the connection failed (§7.1.7): write it with <see cref="CloseHandshake.WriteClose(System.Span{byte})"/> and send it.</summary>
    SendClose = 1,

    /// <summary>Our close is sent: keep reading, since data frames may still arrive, until the peer's close does (§5.5.1); report a timer the stack may run with <see cref="CloseHandshake.ReportTimeout"/>.</summary>
    AwaitClose = 2,

    /// <summary>The handshake is complete and this endpoint is a client: wait for the server to close TCP (§7.1.1); report a timer the stack runs with <see cref="CloseHandshake.ReportTimeout"/>.</summary>
    AwaitTransportClose = 3,

    /// <summary>Close the TCP connection now (§7.1.1, §7.1.7), then call <see cref="CloseHandshake.ReportTransportClosed"/>.</summary>
    CloseTransport = 4,
}
