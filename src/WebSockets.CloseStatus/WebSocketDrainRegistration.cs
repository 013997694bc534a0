using System;
using System.Threading;
using System.Threading.Tasks;
using WebSockets.CloseStatus.Internal;

namespace WebSockets.CloseStatus;

/// <summary>A custom stack's connection tracked by a <see cref="WebSocketDrain"/> through its <see cref="CloseHandshake"/>: the drain asks the stack to close it through <see cref="CloseRequested"/>, and the stack disposes the registration when the connection has ended.</summary>
/// <remarks>
/// <para>
/// The drain never touches the handshake while the connection lives; it only cancels tokens. When <see cref="CloseRequested"/> is
/// cancelled (at this connection's moment within the drain's window), the stack's loop writes its close with
/// <see cref="CloseStatus"/> and <see cref="StatusDescription"/> through the handshake, as for any close of its own, and goes on
/// until the transport closes. When <see cref="AbortRequested"/> is cancelled (the drain's deadline), the stack aborts the
/// transport. Either token's callbacks run on the drain's thread: a pipe's <c>CancelPendingRead</c> or a linked token
/// hands the request to the loop.
/// </para>
/// <para>
/// The connection leaves the drain when the stack reports the transport closed (<see cref="CloseHandshake.ReportTransportClosed"/>),
/// and the drain takes the handshake's result for its report. Dispose the registration too (a <c>using</c> block), so that a
/// connection that ends by an exception, without that report, leaves as well; it is then reported aborted.
/// </para>
/// </remarks>
public sealed class WebSocketDrainRegistration : IDisposable, IDrainTarget
{
    private readonly CloseHandshake _handshake;
    private readonly CancellationTokenSource _closeRequested = new();
    private readonly CancellationToken _abortRequested;
    private readonly WebSocketDrainOptions _options;
    private TaskCompletionSource<bool>? _ended; // made when the drain first waits for the end; under the drain's lock
    private WebSocketCloseResult? _result;      // taken at Dispose while the drain runs; under the drain's lock
    private bool _disposed;                     // under the drain's lock
    private WebSocketDrain? _drain;

    internal WebSocketDrainRegistration(CloseHandshake handshake, WebSocketDrainOptions options, CancellationToken abortRequested)
    {
        _handshake = handshake;
        _options = options;
        _abortRequested = abortRequested;
    }

    /// <summary>Gets a token that is cancelled when the drain asks the stack to close this connection: write a close with <see cref="CloseStatus"/> and <see cref="StatusDescription"/>, unless one was sent already.</summary>
    public CancellationToken CloseRequested => _closeRequested.Token;

    /// <summary>Gets a token that is cancelled at the drain's deadline, or when its <see cref="WebSocketDrain.DrainAsync"/> token is: abort the transport if it is still open.</summary>
    public CancellationToken AbortRequested => _abortRequested;

    /// <summary>Gets the code the drain closes with (<see cref="WebSocketDrainOptions.CloseStatus"/>).</summary>
    public WebSocketCloseStatus CloseStatus => _options.CloseStatus;

    /// <summary>Gets the reason the drain closes with (<see cref="WebSocketDrainOptions.StatusDescription"/>), or <see langword="null"/> for none.</summary>
    public string? StatusDescription => _options.StatusDescription;

    WebSocketDrain? IDrainTarget.Drain { get => _drain; set => _drain = value; }

    bool IDrainTarget.HasEnded => _disposed || IsTransportClosed;

    Task IDrainTarget.Ended
    {
        get
        {
            lock (_drain!.Gate)
            {
                _ended ??= new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
                if (_disposed)
                {
                    _ended.TrySetResult(true);
                }

                return _ended.Task;
            }
        }
    }

    /// <summary>Reports that the connection has ended, and stops tracking it; a call after the transport closed, or a second call, does nothing.</summary>
    /// <remarks>While the drain runs, the handshake's result (its close code and reason, whether it was clean, who closed first) goes into the drain's report.</remarks>
    public void Dispose()
    {
        WebSocketDrain? drain = _drain;
        if (drain is null)
        {
            return; // never tracked: its handshake had closed already
        }

        TaskCompletionSource<bool>? ended;
        lock (drain.Gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _handshake.DrainRegistration = null;
            if (drain.IsDraining)
            {
                _result = Describe(null);
            }

            ended = _ended;
            drain.UntrackLocked(this);
        }

        ended?.TrySetResult(true);
    }

    async Task<WebSocketCloseResult> IDrainTarget.CloseAsync(WebSocketCloseStatus closeStatus, string? statusDescription, CancellationToken cancellationToken)
    {
        CancellationToken deadline = cancellationToken; // the drain's deadline, the stack's AbortRequested
        Task ended = ((IDrainTarget)this).Ended;
        Exception? failure = null;
        if (!ended.IsCompleted && !IsTransportClosed)
        {
            try
            {
                _closeRequested.Cancel(); // the stack's callbacks run here; what they throw is the stack's failure
            }
            catch (AggregateException exception)
            {
                failure = exception.InnerExceptions.Count == 1 ? exception.InnerExceptions[0] : exception;
            }
        }

        if (!ended.IsCompleted && !IsTransportClosed && !deadline.IsCancellationRequested)
        {
            var reached = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            using (deadline.Register(static state => ((TaskCompletionSource<bool>)state!).TrySetResult(true), reached))
            {
                await Task.WhenAny(ended, reached.Task).ConfigureAwait(false);
            }
        }

        lock (_drain!.Gate)
        {
            // Ended (the stack no longer changes the handshake): the handshake's result. Otherwise the stack still owns the
            // handshake, so the drain reports what it knows: the connection had not ended by the deadline, who had
            // started closing is unknown, and its abort was requested (AbortRequested is the deadline's token).
            return _result ??= IsTransportClosed
                ? Describe(failure)
                : new WebSocketCloseResult(
                    WebSocketCloseStatus.AbnormalClosure,
                    string.Empty,
                    wasClean: false,
                    initiator: null,
                    timedOut: false,
                    aborted: true,
                    sentStatus: null,
                    failure ?? new OperationCanceledException("The connection had not ended by the drain's deadline, or when its token was cancelled; its abort was requested.", deadline));
        }
    }

    // Read beside the stack's thread: one field, and once closed the handshake no longer changes until Reset, which
    // comes after Dispose.
    private bool IsTransportClosed => _handshake.State == CloseHandshakeState.Closed;

    private WebSocketCloseResult Describe(Exception? failure) => new(
        _handshake.CloseStatus ?? WebSocketCloseStatus.AbnormalClosure,
        _handshake.CloseStatusDescription,
        _handshake.WasClean && failure is null,
        _handshake.Initiator,
        _handshake.TimedOut,
        aborted: !_handshake.WasClean,
        _handshake.SentStatus,
        failure);
}
