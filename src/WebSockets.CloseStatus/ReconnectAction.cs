namespace WebSockets.CloseStatus;

/// <summary>What a client does after its connection ended, as <see cref="ReconnectPolicy"/> advises.</summary>
public enum ReconnectAction
{
    /// <summary>Do not reconnect: the peer closed on purpose, or for a reason that a new connection would meet again (a protocol error, a policy).</summary>
    Stop = 0,

    /// <summary>Reconnect after <see cref="ReconnectAdvice.Delay"/>.</summary>
    Retry = 1,

    /// <summary>Get new credentials, then reconnect after <see cref="ReconnectAdvice.Delay"/>.</summary>
    RetryAfterAuthentication = 2,
}
