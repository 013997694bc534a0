namespace WebSockets.CloseStatus;

/// <summary>Which endpoint started closing a connection, as this endpoint saw it.</summary>
/// <remarks>
/// When both endpoints send a close frame before receiving the other's (a simultaneous close), each sees its own
/// close go out first and reports <see cref="Local"/>, with the other's code as the connection close code; the two
/// endpoints then disagree about the code, as RFC 6455 §7.1.5 notes.
/// </remarks>
public enum CloseInitiator
{
    /// <summary>Nobody: the transport closed with no close frame sent or received, an abnormal close (§7.1.5, 1006).</summary>
    None = 0,

    /// <summary>This endpoint: it sent a close frame, or failed the connection, before a well-formed close frame arrived.</summary>
    Local = 1,

    /// <summary>The peer: its close frame arrived before this endpoint sent one.</summary>
    Remote = 2,
}
