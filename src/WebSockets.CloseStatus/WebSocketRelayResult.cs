namespace WebSockets.CloseStatus;

/// <summary>How both sides of a relayed WebSocket connection ended: the client's connection to the proxy and the proxy's connection to the backend.</summary>
/// <remarks>
/// Each side's result is as the proxy saw that connection (RFC 6455 §7.1.4–7.1.6): <see cref="WebSocketCloseResult.CloseStatus"/> is the code of
/// that side's close frame (1005 for one without a code, 1006 when none arrived or it was malformed), <see cref="WebSocketCloseResult.SentStatus"/>
/// the code the proxy sent it (the other side's, forwarded, or the proxy's own; a write that failed as that connection ended counts), <see cref="WebSocketCloseResult.Initiator"/>
/// <see cref="CloseInitiator.Local"/> when the proxy's close went first on that connection.
/// </remarks>
public sealed class WebSocketRelayResult
{
    internal WebSocketRelayResult(WebSocketCloseResult client, WebSocketCloseResult backend)
    {
        Client = client;
        Backend = backend;
    }

    /// <summary>Gets how the client's connection to the proxy ended; the proxy is its server.</summary>
    public WebSocketCloseResult Client { get; }

    /// <summary>Gets how the proxy's connection to the backend ended; the proxy is its client.</summary>
    public WebSocketCloseResult Backend { get; }

    /// <summary>Returns both results in one line, as a log wants it.</summary>
    /// <returns>For example <c>client: 1001 Going Away, clean, started by Local, sent 1001; backend: 1001 Going Away, clean, started by Local, sent 1001</c>.</returns>
    public override string ToString() => "client: " + Client + "; backend: " + Backend;
}
