using System.Diagnostics.CodeAnalysis;

namespace WebSockets.CloseStatus;

/// <summary>Which end of the connection this endpoint is; it decides masking (RFC 6455 §5.1, §5.3).</summary>
/// <remarks>
/// There is no zero member: every API that takes a role throws <see cref="System.ArgumentOutOfRangeException"/> for
/// <see langword="default"/>(<see cref="WebSocketRole"/>), so that a role left unset is a caller mistake found at once,
/// not a server that reads a client's frames as its own.
/// </remarks>
[SuppressMessage("Design", "CA1008:Enums should have zero value", Justification = "A role must be chosen: default(WebSocketRole) is refused by every API that takes one, rather than silently meaning either side.")]
public enum WebSocketRole
{
    /// <summary>The client: it sends masked frames and receives unmasked ones.</summary>
    Client = 1,

    /// <summary>The server: it sends unmasked frames and receives masked ones.</summary>
    Server = 2,
}
