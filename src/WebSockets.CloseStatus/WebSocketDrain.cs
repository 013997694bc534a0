using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Threading;
using System.Threading.Tasks;
using WebSockets.CloseStatus.Internal;

namespace WebSockets.CloseStatus;

/// <summary>Tracks a server's live WebSocket connections and, when it shuts down, closes them all within a deadline, each at its own random moment within a window, so that their clients do not all reconnect at once.</summary>
/// <remarks>
/// <para>
/// Track each connection's <see cref="WebSocketCloser"/> when it is accepted; it leaves the set by itself when its
/// connection ends. A custom stack tracks its <see cref="CloseHandshake"/> instead, and disposes the
/// <see cref="WebSocketDrainRegistration"/> it gets when the connection ends. One that ends around its closer (an app reading through a <c>WebSocketStream</c> that owns the
/// socket) is dropped once its socket is closed, when the set has doubled or the drain starts. <see cref="DrainAsync"/> (from <c>IHostApplicationLifetime.ApplicationStopping</c>, say) closes every
/// connection with <see cref="WebSocketDrainOptions.CloseStatus"/> at a moment drawn uniformly from the window, waits for
/// each close (bounded by its closer's timeout), aborts what is left at the deadline, and reports how each ended.
/// While it drains, <see cref="IsDraining"/> is <see langword="true"/>: refuse new connections before their upgrade.
/// </para>
/// <para>Tracking a closer and untracking it take a lock and a hash set slot, and allocate nothing once the set has grown; a handshake's registration is one object and its token source (128 bytes on x64).</para>
/// </remarks>
[SuppressMessage("Design", "CA1001:Types that own disposable fields should be disposable", Justification = "The abort source is never disposed: registrations hand its token to stacks that may outlive the drain, and it holds no unmanaged resource.")]
public sealed class WebSocketDrain
{
    private readonly object _gate = new();
    private readonly HashSet<IDrainTarget> _open = [];
    private readonly List<Task<WebSocketCloseResult>> _late = [];
    private readonly WebSocketDrainOptions _options;
    // Cancelled at the deadline, or by DrainAsync's token: what is still open is aborted. Made here, so that a custom
    // stack's registration carries its token from the start; never disposed, as registrations may outlive the drain.
    private readonly CancellationTokenSource _abort = new();
    private Task<WebSocketDrainReport>? _drain;
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

    internal object Gate => _gate;

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

        IDrainTarget target = closer;
        lock (_gate)
        {
            if (target.Drain is { } other && other != this)
            {
                ThrowHelper.ThrowTrackedElsewhere();
            }

            if (target.Drain is not null || closer.Completion.IsCompleted)
            {
                return;
            }
        }

        Add(target);
    }

    /// <summary>Tracks a custom stack's connection through its closing handshake, until the stack reports the transport closed or disposes the registration; one that comes while the drain runs is asked to close at once.</summary>
    /// <param name="handshake">The connection's closing handshake, whose stack watches the registration's tokens.</param>
    /// <returns>The tokens by which the drain asks the stack to close or abort the connection; dispose it when the connection has ended. A handshake whose transport is closed already is not tracked, and its registration's <see cref="WebSocketDrainRegistration.CloseRequested"/> never fires.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="handshake"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">A drain, this one or another, tracks <paramref name="handshake"/> already.</exception>
    public WebSocketDrainRegistration Track(CloseHandshake handshake)
    {
        if (handshake is null)
        {
            ThrowHelper.ThrowArgumentNull(nameof(handshake));
        }

        var registration = new WebSocketDrainRegistration(handshake, _options, _abort.Token);
        lock (_gate)
        {
            if (handshake.DrainRegistration is not null)
            {
                ThrowHelper.ThrowHandshakeTracked();
            }

            if (handshake.State == CloseHandshakeState.Closed)
            {
                return registration;
            }

            handshake.DrainRegistration = registration;
        }

        Add(registration);
        return registration;
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

    private void Add(IDrainTarget target)
    {
        Task<Task<WebSocketCloseResult>>? close = null;
        lock (_gate)
        {
            target.Drain = this;
            if (_draining)
            {
                // Listed before it starts, under the lock, so that the drain cannot report between this connection's
                // arrival and its close; started outside the lock, as a stack's callbacks run in it.
                close = LateClose(target);
                _late.Add(close.Unwrap());
            }
            else
            {
                _open.Add(target);
                if (_open.Count >= _pruneAt)
                {
                    Prune();
                }
            }
        }

        close?.RunSynchronously(TaskScheduler.Default);
    }

    // Apart from Add, whose tracking would otherwise allocate this closure each time.
    private Task<Task<WebSocketCloseResult>> LateClose(IDrainTarget target) =>
        new(() => target.CloseAsync(_options.CloseStatus, _options.StatusDescription, _abort.Token));

    // A connection whose app reads through something other than its closer (a WebSocketStream that owns the socket, a
    // loop on the socket itself), or a stack that does not dispose its registration, may end without the drain seeing
    // it: drop those that have ended, each time the set has doubled, so that it stays within about twice the live ones.
    private void Prune()
    {
        _ = _open.RemoveWhere(static target => target.HasEnded);
        _pruneAt = Math.Max(MinPrune, _open.Count * 2);
    }

    internal void Untrack(IDrainTarget target)
    {
        lock (_gate)
        {
            _open.Remove(target);
        }
    }

    internal void UntrackLocked(IDrainTarget target) => _open.Remove(target);

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
        using CancellationTokenRegistration link = cancellationToken.Register(static state => ((CancellationTokenSource)state!).Cancel(), _abort);
        _abort.CancelAfter(_options.Deadline);
        CancellationToken deadline = _abort.Token;
        IDrainTarget[] targets;
        lock (_gate)
        {
            Prune();
            targets = new IDrainTarget[_open.Count];
            _open.CopyTo(targets);
        }

        var moments = new TimeSpan[targets.Length];
        Schedule(moments, _options.Window, _options.Random ?? SharedRandom.Instance);
        var closes = new List<Task<WebSocketCloseResult>>(targets.Length);
        for (int i = 0; i < targets.Length; i++)
        {
            closes.Add(CloseAtAsync(targets[i], moments[i], status, reason, deadline));
        }

        // Connections tracked while this ran were closed at once; wait for them too.
        var results = new List<WebSocketCloseResult>(targets.Length);
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

    private static async Task<WebSocketCloseResult> CloseAtAsync(IDrainTarget target, TimeSpan moment, WebSocketCloseStatus status, string? reason, CancellationToken deadline)
    {
        if (moment > TimeSpan.Zero && target.Ended is { IsCompleted: false } ended)
        {
            // The connection may end by itself meanwhile; the deadline cuts the wait, and the close below then aborts.
            await Task.WhenAny(Task.Delay(moment, deadline), ended).ConfigureAwait(false);
        }

        return await target.CloseAsync(status, reason, deadline).ConfigureAwait(false);
    }
}
