using System;
using System.Globalization;
using System.Net.WebSockets;
using System.Text;

namespace WebSockets.CloseStatus;

/// <summary>How a System.Net <see cref="WebSocket"/> connection ended: the connection close code of RFC 6455 §7.1.5, the reason, whether the close was clean, and who started it.</summary>
/// <remarks>
/// System.Net reports a close frame without a status code as 1000 (<see cref="WebSocketCloseStatus.NormalClosure"/>),
/// where RFC 6455 §7.1.5 says 1005 (<see cref="WebSocketCloseStatus.Empty"/>), and gives no way to tell the two
/// apart; <see cref="CloseStatus"/> carries that limit. Read close frames with <see cref="CloseFrame"/> or drive
/// <see cref="CloseHandshake"/> where the difference matters.
/// </remarks>
public sealed class WebSocketCloseResult
{
    internal WebSocketCloseResult(
        WebSocketCloseStatus closeStatus,
        string closeStatusDescription,
        bool wasClean,
        CloseInitiator? initiator,
        bool timedOut,
        bool aborted,
        WebSocketCloseStatus? sentStatus,
        Exception? exception)
    {
        CloseStatus = closeStatus;
        CloseStatusDescription = closeStatusDescription;
        WasClean = wasClean;
        Initiator = initiator;
        TimedOut = timedOut;
        Aborted = aborted;
        SentStatus = sentStatus;
        Exception = exception;
    }

    /// <summary>Gets the connection close code (RFC 6455 §7.1.5): the status of the peer's close frame, or <see cref="WebSocketCloseStatus.AbnormalClosure"/> (1006) when none arrived.</summary>
    public WebSocketCloseStatus CloseStatus { get; }

    /// <summary>Gets the reason of the peer's close frame (§7.1.6); empty when it had none or none arrived.</summary>
    public string CloseStatusDescription { get; }

    /// <summary>Gets whether the connection closed cleanly: close frames went both ways and the connection was not aborted (§7.1.4, §7.1.7).</summary>
    public bool WasClean { get; }

    /// <summary>Gets who started closing, as this endpoint saw it when it decided to close: <see cref="CloseInitiator.Local"/> (it closed before the peer's close frame had arrived), <see cref="CloseInitiator.Remote"/> (the peer's had arrived), <see cref="CloseInitiator.None"/> (neither was sent: the connection just ended); <see langword="null"/> when the closer was made for a socket whose close it did not see.</summary>
    public CloseInitiator? Initiator { get; }

    /// <summary>Gets whether the close's own timeout passed before the closing handshake finished, so the connection was aborted.</summary>
    /// <remarks>
    /// A keep-alive timeout of System.Net or ASP.NET Core is not told apart from other failures: System.Net documents no
    /// exception for it, so it is reported as <see cref="Aborted"/> with that exception in <see cref="Exception"/>.
    /// </remarks>
    public bool TimedOut { get; }

    /// <summary>Gets whether the connection ended aborted (<see cref="WebSocketState.Aborted"/>) rather than by the closing handshake: after a timeout, a cancelled close, or a failure such as a peer that dropped the connection.</summary>
    public bool Aborted { get; }

    /// <summary>Gets the status of the close frame this endpoint sent through the closer, once the send succeeded; <see langword="null"/> when it sent none.</summary>
    public WebSocketCloseStatus? SentStatus { get; }

    /// <summary>Gets the exception that ended the connection: what the network, the peer or the socket's end threw (such as the <see cref="WebSocketException"/> of a peer that dropped TCP), or an <see cref="OperationCanceledException"/> when the close's token was cancelled; <see langword="null"/> when none did, and after a timeout.</summary>
    public Exception? Exception { get; }

    /// <summary>Returns the result in one line, as a log wants it: the close code and reason, then how the connection ended.</summary>
    /// <returns>For example <c>1001 Going Away "bye", clean, started by Local, sent 1000</c>.</returns>
    public override string ToString()
    {
        var text = new StringBuilder();
        text.Append(((int)CloseStatus).ToString(CultureInfo.InvariantCulture)).Append(' ').Append(CloseStatus.GetDescription());
        if (CloseStatusDescription.Length != 0)
        {
            text.Append(" \"").Append(CloseStatusDescription).Append('"');
        }

        text.Append(WasClean ? ", clean" : ", not clean");
        if (TimedOut)
        {
            text.Append(", timed out");
        }

        if (Aborted)
        {
            text.Append(", aborted");
        }

        text.Append(", started by ").Append(Initiator.HasValue ? Initiator.GetValueOrDefault().ToString() : "unknown");
        if (SentStatus.HasValue)
        {
            text.Append(", sent ").Append(((int)SentStatus.GetValueOrDefault()).ToString(CultureInfo.InvariantCulture));
        }

        return text.ToString();
    }
}
