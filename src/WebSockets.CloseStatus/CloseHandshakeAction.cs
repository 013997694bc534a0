namespace WebSockets.CloseStatus;

/// <summary>What a <see cref="CloseHandshake"/> asks its stack to do next (RFC 6455 §7.1); every event and write returns one.</summary>
/// <remarks>The stack does the I/O each member names; the handshake only records what the stack then reports.</remarks>
public enum CloseHandshakeAction
{
    /// <summary>Nothing for the closing handshake. While the connection is open, the stack goes on sending and receiving data; once the transport is closed, it stops: the result is final.</summary>
    None = 0,

    /// <summary>
    /// A close frame is due, as the reply to the peer's close (§5.5.1) or because the connection failed (§7.1.7): the stack writes it with
    /// <see cref="CloseHandshake.WriteClose(System.Span{byte}, out int)"/>, or replies with a status of its choice through an overload that
    /// takes one, and sends it. It sends no data frame after it.
    /// </summary>
    SendClose = 1,

    /// <summary>
    /// This endpoint's close is sent and the peer's has not arrived: the stack keeps reading, since data frames may still arrive (§5.5.1), and
    /// hands the peer's close to <see cref="CloseHandshake.ReceiveCloseFrame(System.ReadOnlySpan{byte}, out int)"/>. Its timer runs meanwhile;
    /// when it runs out, the stack calls <see cref="CloseHandshake.ReportTimeout"/>.
    /// </summary>
    AwaitClose = 2,

    /// <summary>
    /// Close frames went both ways and this endpoint is a client: the server closes TCP first (§7.1.1). The stack keeps reading, discarding
    /// what arrives, until the end of the stream, then calls <see cref="CloseHandshake.ReportTransportClosed"/>. When its timer runs out first,
    /// it calls <see cref="CloseHandshake.ReportTimeout"/> and closes TCP itself.
    /// </summary>
    AwaitTransportClose = 3,

    /// <summary>
    /// The stack closes the TCP connection now, then calls <see cref="CloseHandshake.ReportTransportClosed"/>: a server once close frames went
    /// both ways (§7.1.1); either role once its close is sent after a failure (§7.1.7), or after its timer ran out.
    /// </summary>
    CloseTransport = 4,
}
