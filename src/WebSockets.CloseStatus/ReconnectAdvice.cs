using System;

namespace WebSockets.CloseStatus;

/// <summary>What <see cref="ReconnectPolicy"/> advises after a connection ended: whether to reconnect, and when.</summary>
public readonly struct ReconnectAdvice : IEquatable<ReconnectAdvice>
{
    /// <summary>Initializes advice.</summary>
    /// <param name="action">What to do.</param>
    /// <param name="delay">How long to wait before reconnecting; <see cref="TimeSpan.Zero"/> with <see cref="ReconnectAction.Stop"/>.</param>
    public ReconnectAdvice(ReconnectAction action, TimeSpan delay)
    {
        Action = action;
        Delay = delay;
    }

    /// <summary>Gets what to do.</summary>
    public ReconnectAction Action { get; }

    /// <summary>Gets how long to wait before reconnecting.</summary>
    public TimeSpan Delay { get; }

    /// <summary>Gets whether to reconnect at all.</summary>
    public bool ShouldReconnect => Action != ReconnectAction.Stop;

    /// <summary>Returns whether two pieces of advice say the same.</summary>
    /// <param name="left">The first.</param>
    /// <param name="right">The second.</param>
    /// <returns><see langword="true"/> if both have the same action and delay; otherwise, <see langword="false"/>.</returns>
    public static bool operator ==(ReconnectAdvice left, ReconnectAdvice right) => left.Equals(right);

    /// <summary>Returns whether two pieces of advice differ.</summary>
    /// <param name="left">The first.</param>
    /// <param name="right">The second.</param>
    /// <returns><see langword="true"/> if the action or the delay differs; otherwise, <see langword="false"/>.</returns>
    public static bool operator !=(ReconnectAdvice left, ReconnectAdvice right) => !left.Equals(right);

    /// <inheritdoc/>
    public bool Equals(ReconnectAdvice other) => Action == other.Action && Delay == other.Delay;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is ReconnectAdvice other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => Delay.GetHashCode() ^ ((int)Action << 29);

    /// <summary>Returns the advice in words, as a log wants it.</summary>
    /// <returns>For example <c>Retry after 12.3 s</c> or <c>Stop</c>.</returns>
    public override string ToString() =>
        Action == ReconnectAction.Stop ? "Stop" : Action + " after " + Delay.TotalSeconds.ToString("0.0##", System.Globalization.CultureInfo.InvariantCulture) + " s";
}
