using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;
using WebSockets.CloseStatus.Internal;

namespace WebSockets.CloseStatus;

/// <summary>Tracks a server's live WebSocket connections and, when it shuts down, closes them all within a deadline, each at its own random moment within a window, so that their clients do not all reconnect at once.</summary>
/// <remarks>
/// <para>
/// Track each connection's <see cref="WebSocketCloser"/> when it is accepted; it leaves the set by itself when its
/// connection ends. One that ends around its closer (an app reading through a <c>WebSocketStream</c> that owns the
/// socket) is dropped once its socket is closed, when the set has doubled or the drain starts. <see cref="DrainAsync"/> (from <c>IHostApplicationLifetime.ApplicationStopping</c>, say) closes every
/// connection with <see cref="WebSocketDrainOptions.CloseStatus"/> at a moment drawn uniformly from the window, waits for
/// each close (bounded by its closer's timeout), aborts what is left at the deadline, and reports how each ended.
/// While it drains, <see cref="IsDraining"/> is <see langword="true"/>: refuse new connections before their upgrade.
/// </para>
/// <para>Tracking and untracking take a lock and a hash set slot, and allocate nothing once the set has grown.</para>
/// </remarks>
public sealed class WebSocketDrain
{
    private readonly object _gate = new();
    private readonly HashSet<WebSocketCloser> _open = [];
    private readonly List<Task<WebSocketCloseResult>> _late = [];
    private readonly WebSocketDrainOptions _options;
    private Task<WebSocketDrainReport>? _drain;
    private CancellationToken _deadline;
    private volatile bool _draining;
    private int _pruneAt = MinPrune; // the set's size at which Track next drops connections that ended unseen

    // Below this size a set of ended connections costs too little to look for them.
    private const int MinPrune = 64;

    /// <summary>Initializes a drain with <paramref name="options"/>, read when it drains; <see langword="null"/> for the defaults (1012 over 10 seconds, within 25).</summary>
    /// <param name="options">The code, window and deadline.</param>
    public WebSocketDrain(WebSocketDrainOptions? options = null) => _options = options ?? new WebSocketDrainOptions();

    /// <summary>Gets whether the drain has begun: a server answers a new WebSocket request with 503 and <c>Retry-After</c> instead of upgrading it.</summary>
    public bool IsDraining => _draining;

    /// <summary>Gets how many tracked connections are still open.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _open.Count;
            }
        }
    }

    /// <summary>Tracks a connection until it ends; one that comes while the drain runs is closed at once.</summary>
    /// <param name="closer">The connection's closer, whose receive loop runs or is about to.</param>
    /// <exception cref="ArgumentNullException"><paramref name="closer"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">Another drain tracks <paramref name="closer"/>.</exception>
    public void Track(WebSocketCloser closer)
    {
        if (closer is null)
        {
            ThrowHelper.ThrowArgumentNull(nameof(closer));
        }

        bool late;
        lock (_gate)
        {
            if (closer.Drain is { } other && other != this)
            {
                ThrowHelper.ThrowTrackedElsewhere();
            }

            if (closer.Drain is not null || closer.Completion.IsCompleted)
            {
                return;
            }

            closer.Drain = this;
            late = _draining;
            if (!late)
            {
                _open.Add(closer);
                if (_open.Count >= _pruneAt)
                {
                    Prune();
                }
            }
        }

        if (late)
        {
            Task<WebSocketCloseResult> closing = closer.CloseAsync(_options.CloseStatus, _options.StatusDescription, _deadline);
            lock (_gate)
            {
                _late.Add(closing);
            }
        }
    }

    /// <summary>Closes every tracked connection, spread over the window and within the deadline, and reports how they ended; a second call returns the first one's task.</summary>
    /// <param name="cancellationToken">Ends the drain early: every connection still open is aborted, as at the deadline.</param>
    /// <returns>How many connections closed cleanly, timed out or were aborted, and each result if the options keep them.</returns>
    /// <exception cref="ArgumentException">The options' reason does not fit a close frame and the closers do not truncate it.</exception>
    public Task<WebSocketDrainReport> DrainAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_drain is null)
            {
                _draining = true;
                _drain = DrainCoreAsync(cancellationToken);
            }

            return _drain;
        }
    }

    // A connection whose app reads through something other than its closer (a WebSocketStream that owns the socket, a
    // loop on the socket itself) may end without the closer seeing it: drop those whose socket has ended, each time the
    // set has doubled, so that the set stays within about twice the live connections.
    private void Prune()
    {
        _ = _open.RemoveWhere(static closer => HasEnded(closer.WebSocket));
        _pruneAt = Math.Max(MinPrune, _open.Count * 2);
    }

    private static bool HasEnded(System.Net.WebSockets.WebSocket webSocket) =>
        webSocket.State is System.Net.WebSockets.WebSocketState.Closed or System.Net.WebSockets.WebSocketState.Aborted;

    internal void Untrack(WebSocketCloser closer)
    {
        lock (_gate)
        {
            _open.Remove(closer);
        }
    }

    // Each connection's moment within the window, drawn uniformly: I/O-free, so a seeded source gives the same schedule.
    internal static void Schedule(Span<TimeSpan> moments, TimeSpan window, Random random)
    {
        for (int i = 0; i < moments.Length; i++)
        {
            moments[i] = TimeSpan.FromTicks((long)(random.NextDouble() * window.Ticks));
        }
    }

    private async Task<WebSocketDrainReport> DrainCoreAsync(CancellationToken cancellationToken)
    {
        long started = Stopwatch.GetTimestamp();
        WebSocketCloseStatus status = _options.CloseStatus;
        string? reason = _options.StatusDescription;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(_options.Deadline);
        WebSocketCloser[] closers;
        lock (_gate)
        {
            _deadline = deadline.Token;
            Prune();
            closers = new WebSocketCloser[_open.Count];
            _open.CopyTo(closers);
        }

        var moments = new TimeSpan[closers.Length];
        Schedule(moments, _options.Window, _options.Random ?? SharedRandom.Instance);
        var closes = new List<Task<WebSocketCloseResult>>(closers.Length);
        for (int i = 0; i < closers.Length; i++)
        {
            closes.Add(CloseAtAsync(closers[i], moments[i], status, reason, deadline.Token));
        }

        // Connections tracked while this ran were closed at once; wait for them too.
        var results = new List<WebSocketCloseResult>(closers.Length);
        while (closes.Count > 0)
        {
            results.AddRange(await Task.WhenAll(closes).ConfigureAwait(false));
            lock (_gate)
            {
                closes = [.. _late];
                _late.Clear();
            }
        }

        int clean = 0, remoteFirst = 0, timedOut = 0, aborted = 0;
        foreach (WebSocketCloseResult result in results)
        {
            if (result.WasClean)
            {
                clean++;
                remoteFirst += result.Initiator == CloseInitiator.Remote ? 1 : 0;
            }
            else if (result.TimedOut)
            {
                timedOut++;
            }
            else
            {
                aborted++;
            }
        }

        TimeSpan elapsed = TimeSpan.FromTicks((long)((Stopwatch.GetTimestamp() - started) * ((double)TimeSpan.TicksPerSecond / Stopwatch.Frequency)));
        return new WebSocketDrainReport(clean, remoteFirst, timedOut, aborted, elapsed, _options.KeepResults ? results : []);
    }

    private static async Task<WebSocketCloseResult> CloseAtAsync(WebSocketCloser closer, TimeSpan moment, WebSocketCloseStatus status, string? reason, CancellationToken deadline)
    {
        if (moment > TimeSpan.Zero && !closer.Completion.IsCompleted)
        {
            // The connection may end by itself meanwhile; the deadline cuts the wait, and the close below then aborts.
            await Task.WhenAny(Task.Delay(moment, deadline), closer.Completion).ConfigureAwait(false);
        }

        return await closer.CloseAsync(status, reason, deadline).ConfigureAwait(false);
    }
}
