using System;
using System.Collections.Generic;
using WebSockets.CloseStatus.Internal;

namespace WebSockets.CloseStatus;

/// <summary>Advises a client whether and when to reconnect after its connection ended, from the close code: the IANA registry's advice for 1012, full-jitter exponential back-off for outages, a stop for bugs and policies, and the application's own table for 3000–4999.</summary>
/// <remarks>
/// <list type="bullet">
/// <item>1012 (Service Restart): reconnect after a delay drawn uniformly from <see cref="ServiceRestartMinDelay"/>–<see cref="ServiceRestartMaxDelay"/>, 5–30 s by default, as the IANA close code registry advises for it; the spread comes from every client drawing its own delay.</item>
/// <item>1001 (Going Away), 1006 (no close frame: a dropped connection), 1011 (Internal Error), 1013 (Try Again Later), 1014 (Bad Gateway): back off, a delay drawn uniformly from zero to <see cref="BaseDelay"/> × 2^attempt, at most <see cref="MaxDelay"/> ("full jitter").</item>
/// <item>1002, 1003, 1007, 1008, 1009, 1010, 1015 and codes no one may send: stop; a new connection would meet the same bug, policy or certificate.</item>
/// <item>1000 (Normal Closure) and 1005 (no code): <see cref="NormalClosure"/>, stop by default; proxies close idle connections with 1000, so a client that must stay connected sets it to <see cref="ReconnectAction.Retry"/>.</item>
/// <item>3000–4999: what <see cref="SetApplicationCode"/> declared; a code it did not declare stops, as retrying a rejection forever is the failure to avoid.</item>
/// </list>
/// A policy is read by many connections at once; set it up before use.
/// </remarks>
public sealed class ReconnectPolicy
{
    private readonly Dictionary<int, ReconnectAction> _applicationCodes = [];
    private TimeSpan _baseDelay = TimeSpan.FromSeconds(1);
    private TimeSpan _maxDelay = TimeSpan.FromSeconds(60);
    private TimeSpan _serviceRestartMinDelay = TimeSpan.FromSeconds(5);
    private TimeSpan _serviceRestartMaxDelay = TimeSpan.FromSeconds(30);
    private ReconnectAction _normalClosure;

    /// <summary>Gets or sets the first back-off step: the longest delay of the first reconnect after an outage; 1 second unless set.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not positive, or is over <see cref="int.MaxValue"/> milliseconds (longer than <c>Task.Delay</c> waits).</exception>
    public TimeSpan BaseDelay
    {
        get => _baseDelay;
        set => _baseDelay = Delay(value, TimeSpan.FromTicks(1), nameof(value));
    }

    /// <summary>Gets or sets the longest back-off delay; 60 seconds unless set.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not positive, or is over <see cref="int.MaxValue"/> milliseconds.</exception>
    public TimeSpan MaxDelay
    {
        get => _maxDelay;
        set => _maxDelay = Delay(value, TimeSpan.FromTicks(1), nameof(value));
    }

    /// <summary>Gets or sets the shortest delay after 1012 (Service Restart); 5 seconds unless set, as the IANA registry advises.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative, or is over <see cref="int.MaxValue"/> milliseconds.</exception>
    public TimeSpan ServiceRestartMinDelay
    {
        get => _serviceRestartMinDelay;
        set => _serviceRestartMinDelay = Delay(value, TimeSpan.Zero, nameof(value));
    }

    /// <summary>Gets or sets the longest delay after 1012 (Service Restart); 30 seconds unless set, as the IANA registry advises. Below the shortest, every delay is the shortest.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not positive, or is over <see cref="int.MaxValue"/> milliseconds.</exception>
    public TimeSpan ServiceRestartMaxDelay
    {
        get => _serviceRestartMaxDelay;
        set => _serviceRestartMaxDelay = Delay(value, TimeSpan.FromTicks(1), nameof(value));
    }

    /// <summary>Gets or sets what 1000 (Normal Closure) and 1005 (a close without a code) advise: <see cref="ReconnectAction.Stop"/> unless set; a reconnect waits as after an outage.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not a defined <see cref="ReconnectAction"/>.</exception>
    public ReconnectAction NormalClosure
    {
        get => _normalClosure;
        set => _normalClosure = Defined(value, nameof(value));
    }

    /// <summary>Declares what an application's close code advises; a reconnect waits as after an outage.</summary>
    /// <param name="closeStatus">A code of 3000–4999 (<see cref="CloseStatusRange.Registered"/> or <see cref="CloseStatusRange.PrivateUse"/>).</param>
    /// <param name="action">What a client does when the server closes with it.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="closeStatus"/> is not in 3000–4999, or <paramref name="action"/> is not a defined <see cref="ReconnectAction"/>.</exception>
    public void SetApplicationCode(WebSocketCloseStatus closeStatus, ReconnectAction action)
    {
        if (closeStatus.GetRange() is not (CloseStatusRange.Registered or CloseStatusRange.PrivateUse))
        {
            ThrowHelper.ThrowNotApplicationCode(closeStatus, nameof(closeStatus));
        }

        _applicationCodes[(int)closeStatus] = Defined(action, nameof(action));
    }

    /// <summary>Advises what to do after a connection ended as <paramref name="result"/> says.</summary>
    /// <param name="result">How the connection ended; its <see cref="WebSocketCloseResult.CloseStatus"/> decides (1006 when no close frame arrived).</param>
    /// <param name="attempt">How many reconnects in a row have failed already: 0 for the first reconnect after a working connection.</param>
    /// <returns>Whether to reconnect, and after what delay, drawn from a shared random source.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="result"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="attempt"/> is negative.</exception>
    public ReconnectAdvice GetAdvice(WebSocketCloseResult result, int attempt)
    {
        if (result is null)
        {
            ThrowHelper.ThrowArgumentNull(nameof(result));
        }

        return GetAdvice(result.CloseStatus, attempt, null);
    }

    /// <summary>Advises what to do after a connection ended with <paramref name="closeStatus"/>.</summary>
    /// <param name="closeStatus">The connection close code (RFC 6455 §7.1.5): the server's code, 1005 for a close without one, 1006 when no close frame arrived.</param>
    /// <param name="attempt">How many reconnects in a row have failed already: 0 for the first reconnect after a working connection.</param>
    /// <param name="random">The random source of the delay, for a reproducible schedule; <see langword="null"/> for a shared one.</param>
    /// <returns>Whether to reconnect, and after what delay.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="attempt"/> is negative.</exception>
    public ReconnectAdvice GetAdvice(WebSocketCloseStatus closeStatus, int attempt, Random? random = null)
    {
        if (attempt < 0)
        {
            ThrowHelper.ThrowNegative(attempt, nameof(attempt));
        }

        ReconnectAction action = closeStatus switch
        {
            WebSocketCloseStatus.ServiceRestart => ReconnectAction.Retry,
            WebSocketCloseStatus.EndpointUnavailable or WebSocketCloseStatus.AbnormalClosure or WebSocketCloseStatus.InternalServerError
                or WebSocketCloseStatus.TryAgainLater or WebSocketCloseStatus.BadGateway => ReconnectAction.Retry,
            WebSocketCloseStatus.NormalClosure or WebSocketCloseStatus.Empty => _normalClosure,
            _ => _applicationCodes.TryGetValue((int)closeStatus, out ReconnectAction declared) ? declared : ReconnectAction.Stop,
        };
        if (action == ReconnectAction.Stop)
        {
            return new ReconnectAdvice(ReconnectAction.Stop, TimeSpan.Zero);
        }

        double draw = (random ?? SharedRandom.Instance).NextDouble();
        if (closeStatus == WebSocketCloseStatus.ServiceRestart)
        {
            long width = Math.Max(0L, _serviceRestartMaxDelay.Ticks - _serviceRestartMinDelay.Ticks);
            return new ReconnectAdvice(action, _serviceRestartMinDelay + TimeSpan.FromTicks((long)(draw * width)));
        }

        // Full jitter: anywhere from zero to the exponential step, so clients that lost the same server do not return
        // together. In doubles, a step past the cap (2^attempt overflows to infinity) is simply the cap.
        double cap = Math.Min(_maxDelay.Ticks, _baseDelay.Ticks * Math.Pow(2, attempt));
        return new ReconnectAdvice(action, TimeSpan.FromTicks((long)(draw * cap)));
    }

    // A delay Task.Delay can wait: at least the minimum, at most Int32.MaxValue milliseconds.
    private static TimeSpan Delay(TimeSpan value, TimeSpan minimum, string paramName)
    {
        if (value < minimum || value.TotalMilliseconds > int.MaxValue)
        {
            ThrowHelper.ThrowReconnectDelay(value, minimum == TimeSpan.Zero, paramName);
        }

        return value;
    }

    private static ReconnectAction Defined(ReconnectAction value, string paramName)
    {
        if (value is not (ReconnectAction.Stop or ReconnectAction.Retry or ReconnectAction.RetryAfterAuthentication))
        {
            ThrowHelper.ThrowUndefinedEnum(value, paramName);
        }

        return value;
    }
}
