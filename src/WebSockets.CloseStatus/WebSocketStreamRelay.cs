using System;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using WebSockets.CloseStatus.Internal;

namespace WebSockets.CloseStatus;

/// <summary>
/// Relays one WebSocket connection between a client and a backend as bytes, after the opening handshake: frames are
/// forwarded verbatim in both directions, and the closes that pass are watched, so the proxy can close both sides itself
/// in bounded time and knows how each side ended.
/// </summary>
/// <remarks>
/// <para>
/// Frames are tracked by their RFC 6455 §5.2 headers only, never re-framed. A well-formed close is forwarded as it is;
/// a malformed one (a 1-byte payload, a code that must not be sent, a reason that is not UTF-8, a fragmented or over-long
/// close) is replaced toward the other side by 1002 "malformed close on the other side". A side that ends without a close
/// frame gets the other side 1001 "1006 Abnormal Closure on the other side" (the mapping of <see cref="CloseRelay"/>). What a side
/// sends after its close is dropped (§5.5.1).
/// </para>
/// <para>
/// <see cref="CloseAsync"/> sends the proxy's own close both ways at the next frame boundary of each direction (a close may
/// come between the fragments of a message, §5.4): unmasked to the client, masked with a fresh random key to the backend. Data
/// then stops, and each side's close reply ends its connection: the proxy ends the client's TCP connection at once, as its
/// server, and waits for the backend to end its own (§7.1.1). Every wait is bounded by the options' timeout, after which that
/// connection is ended. The streams are disposed when their connection ends; disposing one must end its pending reads, as
/// <see cref="System.Net.Sockets.NetworkStream"/> and the streams over it do.
/// </para>
/// </remarks>
public sealed class WebSocketStreamRelay
{
    private const int BufferSize = 16 * 1024;

    private readonly object _gate = new();
    private readonly RelayCore _core = new();
    private readonly Stream[] _streams;
    private readonly CancellationTokenSource[] _ends = [new(), new()];
    private readonly SemaphoreSlim[] _writeLocks = [new(1, 1), new(1, 1)];
    private readonly Timer?[] _timers = new Timer?[2];
    private readonly Exception?[] _exceptions = new Exception?[2];
    private readonly bool[] _ended = new bool[2];
    private readonly TaskCompletionSource<WebSocketRelayResult> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TimeSpan _timeout;
    private readonly CloseReasonTruncation _truncation;
    private int _started;
    private bool _canceled;

    /// <summary>Initializes a relay between <paramref name="client"/> and <paramref name="backend"/>, whose opening handshakes are done.</summary>
    /// <param name="client">The client's connection: the proxy is its server (it reads masked frames and sends unmasked ones).</param>
    /// <param name="backend">The connection to the backend: the proxy is its client (it reads unmasked frames and sends masked ones).</param>
    /// <param name="options">How long each side may take to answer a close (5 seconds unless set), and how <see cref="CloseAsync"/> cuts a long reason.</param>
    /// <exception cref="ArgumentNullException"><paramref name="client"/> or <paramref name="backend"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="client"/> or <paramref name="backend"/> cannot be both read and written, or they are the same stream.</exception>
    public WebSocketStreamRelay(Stream client, Stream backend, WebSocketCloseOptions? options = null)
    {
        CheckStream(client, nameof(client));
        CheckStream(backend, nameof(backend));
        if (ReferenceEquals(client, backend))
        {
            ThrowSameStream(nameof(backend));
        }

        _streams = [client, backend];
        _timeout = options?.Timeout ?? WebSocketCloseOptions.DefaultTimeout;
        _truncation = options?.Truncation ?? CloseReasonTruncation.None;
    }

    /// <summary>Gets a task that completes, never faulted, with how both sides ended, once both connections have ended.</summary>
    public Task<WebSocketRelayResult> Completion => _completion.Task;

    /// <summary>Relays in both directions until both connections have ended.</summary>
    /// <param name="cancellationToken">Cancelled before both connections ended, it ends both at once, without closes; each result is then not clean and holds an <see cref="OperationCanceledException"/>.</param>
    /// <returns>How both sides ended: <see cref="Completion"/>.</returns>
    /// <exception cref="InvalidOperationException">The relay runs already.</exception>
    public Task<WebSocketRelayResult> RunAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _started, 1) != 0)
        {
            ThrowRunning();
        }

        _ = RunCoreAsync(cancellationToken);
        return _completion.Task;
    }

    /// <summary>Closes both sides with the proxy's own close, as on the proxy's shutdown or an idle timeout, and waits until both connections have ended.</summary>
    /// <param name="closeStatus">The status to send both ways: valid on the wire, or <see cref="WebSocketCloseStatus.Empty"/> with no reason for a close without a code.</param>
    /// <param name="statusDescription">The reason, or <see langword="null"/>; cut as the options' truncation says.</param>
    /// <param name="cancellationToken">Cancelled before both connections ended, it ends both at once, as <see cref="RunAsync"/>'s token does.</param>
    /// <returns>How both sides ended: <see cref="Completion"/>, once <see cref="RunAsync"/> has relayed to the end. A side that had a close already (it closed first, or a close was forwarded to it) gets no second one.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="closeStatus"/> must not be sent in a close frame, or is <see cref="WebSocketCloseStatus.Empty"/> with a reason.</exception>
    /// <exception cref="ArgumentException"><paramref name="statusDescription"/> has a lone surrogate in the part sent, or is too long and the options do not truncate.</exception>
    public Task<WebSocketRelayResult> CloseAsync(WebSocketCloseStatus closeStatus, string? statusDescription, CancellationToken cancellationToken = default)
    {
        // The arguments are checked before the task: a caller that drops it (a shutdown callback) still sees its mistake.
        string? reason = string.IsNullOrEmpty(statusDescription) ? null : ClosePayload.TruncateReason(statusDescription!, _truncation, nameof(statusDescription));
        if (!closeStatus.IsValidOnWire() && !(closeStatus == WebSocketCloseStatus.Empty && reason is null))
        {
            ThrowHelper.ThrowUnsendableStatus(closeStatus, nameof(closeStatus));
        }

        lock (_gate)
        {
            _core.Close(closeStatus, reason);
        }

        return CloseCoreAsync(cancellationToken);
    }

    private async Task<WebSocketRelayResult> CloseCoreAsync(CancellationToken cancellationToken)
    {
        using CancellationTokenRegistration registration = cancellationToken.Register(static relay => ((WebSocketStreamRelay)relay!).Cancel(), this);
        await ApplyActionsAsync().ConfigureAwait(false);   // the timers start now: each side's close and its reply within the timeout
        await Task.WhenAll(SendDueCloseAsync(RelayCore.Client), SendDueCloseAsync(RelayCore.Backend)).ConfigureAwait(false);
        await ApplyActionsAsync().ConfigureAwait(false);
        return await _completion.Task.ConfigureAwait(false);
    }

    private static void CheckStream(Stream stream, string paramName)
    {
        if (stream is null)
        {
            ThrowHelper.ThrowArgumentNull(paramName);
        }

        if (!stream.CanRead || !stream.CanWrite)
        {
            ThrowStreamNotDuplex(stream.CanRead, stream.CanWrite, paramName);
        }
    }

    private async Task RunCoreAsync(CancellationToken cancellationToken)
    {
        using (cancellationToken.Register(static relay => ((WebSocketStreamRelay)relay!).Cancel(), this))
        {
            // Neither pump throws: every stream call is caught, and the core throws for no bytes.
            await Task.WhenAll(PumpAsync(RelayCore.Client), PumpAsync(RelayCore.Backend)).ConfigureAwait(false);
        }

        WebSocketRelayResult result;
        lock (_gate)
        {
            foreach (Timer? timer in _timers)
            {
                timer?.Dispose();
            }

            result = new WebSocketRelayResult(_core.GetResult(RelayCore.Client, _exceptions[0]), _core.GetResult(RelayCore.Backend, _exceptions[1]));
        }

        if (CloseMetrics.Enabled)
        {
            // Each leg is a connection of the proxy's: its server toward the client, its client toward the backend.
            // Counted before the result is out, as the closer does; the legs' closing is not timed.
            Record(WebSocketRole.Server, result.Client);
            Record(WebSocketRole.Client, result.Backend);
        }

        _completion.TrySetResult(result);
    }

    private static void Record(WebSocketRole role, WebSocketCloseResult leg) => CloseMetrics.Record(
        role,
        leg.CloseStatus,
        leg.Initiator,
        leg.WasClean ? CloseOutcome.Clean
            : leg.TimedOut ? CloseOutcome.TimedOut
            : leg.CloseStatus != WebSocketCloseStatus.AbnormalClosure || leg.Exception is OperationCanceledException ? CloseOutcome.Aborted
            : CloseOutcome.NoCloseFrame,
        closingStarted: 0);

    // Reads one side and forwards to the other what the core says, until that side's stream ends.
    private async Task PumpAsync(int from)
    {
        int to = 1 - from;
        byte[] buffer = new byte[BufferSize];
        byte[] close = new byte[CloseFrame.MaxLength];
        int start = 0;
        int end = 0;
        while (true)
        {
            // What the core kept (a partial header or close frame: at most CloseFrame.MaxLength bytes) moves to the front.
            end -= start;
            Buffer.BlockCopy(buffer, start, buffer, 0, end);
            start = 0;

            int read;
            try
            {
#if NET
                read = await _streams[from].ReadAsync(buffer.AsMemory(end), _ends[from].Token).ConfigureAwait(false);
#else
                read = await _streams[from].ReadAsync(buffer, end, buffer.Length - end, _ends[from].Token).ConfigureAwait(false);
#endif
            }
            catch (Exception e)
            {
                RecordException(from, e);
                read = 0;
            }

            if (read == 0)
            {
                break;
            }

            end += read;
            bool writeFailed = false;
            await _writeLocks[to].WaitAsync().ConfigureAwait(false);
            try
            {
                while (start < end)
                {
                    RelayStep step;
                    lock (_gate)
                    {
                        step = _core.Scan(from, new ReadOnlySpan<byte>(buffer, start, end - start), close);
                    }

                    writeFailed = !await TryWriteAsync(to, buffer, start, step.BytesForwarded).ConfigureAwait(false)
                        || !await TryWriteAsync(to, close, 0, step.CloseLength).ConfigureAwait(false);
                    start += step.BytesConsumed;
                    if (writeFailed || (step.BytesConsumed == 0 && step.CloseLength == 0))
                    {
                        break;
                    }
                }
            }
            finally
            {
                _writeLocks[to].Release();
            }

            if (writeFailed)
            {
                await EndAsync(to).ConfigureAwait(false);
            }

            await ApplyActionsAsync().ConfigureAwait(false);
        }

        await EndAsync(from).ConfigureAwait(false);
        await ApplyActionsAsync().ConfigureAwait(false);
    }

    // Writes the proxy's close to a side if it is due and the stream to it is at a frame boundary.
    private async Task SendDueCloseAsync(int to)
    {
        byte[] close = new byte[CloseFrame.MaxLength];
        bool failed;
        await _writeLocks[to].WaitAsync().ConfigureAwait(false);
        try
        {
            int length;
            lock (_gate)
            {
                length = _canceled ? 0 : _core.WriteDueClose(to, close);
            }

            failed = !await TryWriteAsync(to, close, 0, length).ConfigureAwait(false);
        }
        finally
        {
            _writeLocks[to].Release();
        }

        if (failed)
        {
            await EndAsync(to).ConfigureAwait(false);
        }
    }

    // A side's connection ended, or is ended now: report it, dispose its stream, and send the other side the close that is then due.
    private async Task EndAsync(int leg)
    {
        int other = 1 - leg;
        byte[] close = new byte[CloseFrame.MaxLength];
        int length;
        lock (_gate)
        {
            if (_ended[leg])
            {
                return;
            }

            _ended[leg] = true;
            length = _canceled ? 0 : _core.ReportTransportClosed(leg, close);
        }

        _ends[leg].Cancel();
        try
        {
            _streams[leg].Dispose();
        }
        catch (Exception e)
        {
            lock (_gate)
            {
                _exceptions[leg] ??= e;
            }
        }

        if (length == 0)
        {
            return;
        }

        // After what was forwarded to the other side before: its write lock orders the close after them.
        if (!await _writeLocks[other].WaitAsync(_timeout).ConfigureAwait(false))
        {
            // A write to the other side has not gone out within the timeout: it does not read, so it is ended too.
            await EndAsync(other).ConfigureAwait(false);
            return;
        }

        bool failed;
        try
        {
            failed = !await TryWriteAsync(other, close, 0, length).ConfigureAwait(false);
        }
        finally
        {
            _writeLocks[other].Release();
        }

        if (failed)
        {
            await EndAsync(other).ConfigureAwait(false);
        }
    }

    // Does what the core asks of each side's TCP connection: end it, or bound the wait for it with the timer.
    private async Task ApplyActionsAsync()
    {
        for (int leg = RelayCore.Client; leg <= RelayCore.Backend; leg++)
        {
            CloseHandshakeAction action;
            lock (_gate)
            {
                action = _core.GetAction(leg);
                if ((action is CloseHandshakeAction.AwaitClose or CloseHandshakeAction.AwaitTransportClose) && _timers[leg] is null)
                {
                    _timers[leg] = new Timer(static state => ((Expiry)state!).Fire(), new Expiry(this, leg), _timeout, Timeout.InfiniteTimeSpan);
                }
            }

            if (action == CloseHandshakeAction.CloseTransport)
            {
                await EndAsync(leg).ConfigureAwait(false);
                leg = RelayCore.Client - 1; // ending one side may change what the other must do: look at both again
            }
        }
    }

    private void OnTimeout(int leg)
    {
        lock (_gate)
        {
            _core.ReportTimeout(leg);
        }

        _ = ApplyActionsAsync();
    }

    private void Cancel()
    {
        lock (_gate)
        {
            _canceled = true;
            for (int leg = RelayCore.Client; leg <= RelayCore.Backend; leg++)
            {
                if (!_ended[leg])
                {
                    _exceptions[leg] ??= new OperationCanceledException("The relay's cancellation token was cancelled, so both connections were ended without a close.");
                }
            }
        }

        _ = EndAsync(RelayCore.Client);
        _ = EndAsync(RelayCore.Backend);
    }

    private async Task<bool> TryWriteAsync(int to, byte[] bytes, int offset, int count)
    {
        if (count == 0)
        {
            return true;
        }

        try
        {
#if NET
            await _streams[to].WriteAsync(bytes.AsMemory(offset, count), _ends[to].Token).ConfigureAwait(false);
#else
            await _streams[to].WriteAsync(bytes, offset, count, _ends[to].Token).ConfigureAwait(false);
#endif
            await _streams[to].FlushAsync(_ends[to].Token).ConfigureAwait(false);
            return true;
        }
        catch (Exception e)
        {
            RecordException(to, e);
            return false;
        }
    }

    // What a side's stream threw, unless the relay ended that side itself.
    private void RecordException(int leg, Exception exception)
    {
        lock (_gate)
        {
            if (!_ended[leg])
            {
                _exceptions[leg] ??= exception;
            }
        }
    }

    private sealed class Expiry(WebSocketStreamRelay relay, int leg)
    {
        public void Fire() => relay.OnTimeout(leg);
    }

    [DoesNotReturn]
    private static void ThrowSameStream(string paramName) =>
        throw new ArgumentException("The client and the backend are the same stream; a relay copies between two connections.", paramName);

    [DoesNotReturn]
    private static void ThrowStreamNotDuplex(bool canRead, bool canWrite, string paramName) =>
        throw new ArgumentException(
            string.Format(CultureInfo.InvariantCulture, "A relayed stream must be read and written; this one has CanRead {0} and CanWrite {1}.", canRead, canWrite),
            paramName);

    [DoesNotReturn]
    private static void ThrowRunning() =>
        throw new InvalidOperationException("RunAsync was called already: one relay runs once; await its Completion.");
}
