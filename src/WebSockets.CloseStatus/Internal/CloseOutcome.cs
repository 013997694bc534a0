namespace WebSockets.CloseStatus.Internal;

/// <summary>How a connection ended, as the <see cref="WebSocketCloseMetrics.OutcomeTagName"/> tag says it.</summary>
internal enum CloseOutcome
{
    Clean,
    TimedOut,
    Aborted,
    NoCloseFrame,
}
