namespace WebSockets.CloseStatus;

/// <summary>Which end of the connection this endpoint is; it decides masking (RFC 6455 §5.1, §5.3).</summary>
public enum WebSocketRole
{
    /// <summary>The server: it sends unmasked frames and receives masked ones.</summary>
    Server = 0,

    /// <summary>The client: it sends masked frames and receives unmasked ones.</summary>
    Client = 1,
}
