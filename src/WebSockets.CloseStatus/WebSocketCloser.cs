using System;
using System.ComponentModel;
using System.IO;
using System.Net.WebSockets;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using WebSockets.CloseStatus.Internal;

namespace WebSockets.CloseStatus;

/// <summary>Closes one System.Net <see cref="WebSocket"/> in bounded time beside the receive loop that owns its receives, and says how the connection ended.</summary>
/// <remarks>
/// <para>
/// One reader at a time. A receive loop receives through <see cref="ReceiveAsync"/>; <see cref="CloseAsync"/>, called from
/// anywhere (host shutdown, another task), then only sends its close frame and waits for the loop to receive the peer's.
/// When the peer closes first, <see cref="ReceiveAsync"/> answers with the peer's code itself. Without a loop (no
/// <see cref="ReceiveAsync"/> call before <see cref="CloseAsync"/>), the close receives, discarding data until the peer's
/// close; a loop that starts after that gets the close message once the connection has ended.
/// </para>
/// <para>
/// Once close frames have gone both ways the connection is disposed, which ends TCP: a server ends it at once, as RFC 6455
/// §7.1.1 asks; a client's System.Net first waits up to one second for the server to end it. Whatever ends the
/// connection (the handshake, the timeout, the peer or the network) completes <see cref="Completion"/> with the result;
/// only the caller's own mistakes throw.
/// </para>
/// </remarks>
public sealed class WebSocketCloser : IDrainTarget
{
    private const string CanceledMessage = "The close's cancellation token was cancelled before the closing handshake finished, so the connection was aborted.";

    // The closer of each socket, so that a second one, or CloseGracefullyAsync beside a loop, cannot read beside the
    // first: weak keys, so an entry lives as long as its socket and nothing is removed.
    private static readonly ConditionalWeakTable<WebSocket, WebSocketCloser> s_closers = new();

    private readonly object _gate = new();
    private readonly TaskCompletionSource<WebSocketCloseResult> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TimeSpan _timeout;
    private readonly CloseReasonTruncation _truncation;
    private readonly WebSocketRole _role;

    // All below under _gate.
    private bool _loopReceives;      // ReceiveAsync was called: the loop owns the receives
    private bool _closeReceives;     // CloseAsync receives itself (no loop)
    private bool _receiving;         // a receive is in flight
    private bool _sendClaimed;       // one close frame per connection: the loop's echo or CloseAsync's
    private bool _sending;           // that close frame is being sent
    private bool _closeStarted;
    private bool _closeDelivered;    // the loop has been handed a Close message
    private bool _finished;
    private bool _timedOut;
    private bool _canceled;
    private CancellationToken _canceledToken;
    private CloseInitiator? _initiator;   // set once, when closing starts
    private long _closingStarted;         // when closing started, if the duration histogram was enabled then; else 0
    private WebSocketCloseStatus? _sentStatus;
    private Timer? _deadline;
    private CancellationTokenRegistration _cancellation;

    /// <summary>Initializes a closer for <paramref name="webSocket"/>, with the timeout and truncation of <paramref name="options"/>.</summary>
    /// <param name="webSocket">The socket to close; from ASP.NET Core, <c>ClientWebSocket</c> or <c>WebSocket.CreateFromStream</c>.</param>
    /// <param name="options">The close's timeout and reason truncation, read once here; <see langword="null"/> for the defaults (5 seconds, no truncation).</param>
    /// <exception cref="ArgumentNullException"><paramref name="webSocket"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">The socket already has a closer: two would read beside each other. Close through the first.</exception>
    public WebSocketCloser(WebSocket webSocket, WebSocketCloseOptions? options = null)
    {
        if (webSocket is null)
        {
            ThrowHelper.ThrowArgumentNull(nameof(webSocket));
        }

        WebSocket = webSocket;
        _timeout = options?.Timeout ?? WebSocketCloseOptions.DefaultTimeout;
        _truncation = options?.Truncation ?? CloseReasonTruncation.None;
        _role = options?.Role ?? (webSocket is ClientWebSocket ? WebSocketRole.Client : WebSocketRole.Server);
        lock (s_closers)
        {
            if (s_closers.TryGetValue(webSocket, out _))
            {
                ThrowHelper.ThrowSecondCloser();
            }

            s_closers.Add(webSocket, this);
        }
    }

    // The socket's closer, if one was made: CloseGracefullyAsync closes through it rather than reading beside its loop.
    internal static WebSocketCloser? Find(WebSocket webSocket)
    {
        lock (s_closers)
        {
            return s_closers.TryGetValue(webSocket, out WebSocketCloser? closer) ? closer : null;
        }
    }

    // The drain that tracks this connection, if any; set once, under the drain's lock.
    private WebSocketDrain? _drain;

    WebSocketDrain? IDrainTarget.Drain { get => _drain; set => _drain = value; }

    // A connection read through something other than the closer (a WebSocketStream that owns the socket) ends unseen.
    bool IDrainTarget.HasEnded => WebSocket.State is WebSocketState.Closed or WebSocketState.Aborted;

    Task IDrainTarget.Ended => _completion.Task;

    /// <summary>Gets the socket this closer closes.</summary>
    public WebSocket WebSocket { get; }

    /// <summary>Gets a task that completes, never faulted, with how the connection ended, once it has ended by any means.</summary>
    public Task<WebSocketCloseResult> Completion => _completion.Task;

    /// <summary>Receives from the socket, as the receive loop's one reader: <see cref="WebSocket.ReceiveAsync(ArraySegment{byte}, CancellationToken)"/> that ends every connection with a close message.</summary>
    /// <param name="buffer">The buffer that receives the data.</param>
    /// <param name="cancellationToken">The token to cancel the receive with; as in System.Net, cancelling it (before the call too) aborts the connection, and the receive returns the close message.</param>
    /// <returns>What arrived. A message of type <see cref="WebSocketMessageType.Close"/> ends the loop, however the connection ended: the peer's close (answered with its code when the peer closed first), the reply to <see cref="CloseAsync"/>, or an abort, a timeout or a dropped connection, whose exception goes into <see cref="Completion"/>'s result instead of being thrown.</returns>
    /// <exception cref="InvalidOperationException">Another receive is in flight, or the loop already had its close message.</exception>
    public Task<WebSocketReceiveResult> ReceiveAsync(ArraySegment<byte> buffer, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_closeDelivered || (_receiving && !_closeReceives))
            {
                ThrowHelper.ThrowReceiveMisuse(_closeDelivered ? "the loop already received the close message that ended the connection" : "another receive is in flight");
            }

            _closeDelivered = _closeReceives;
            if (!_closeReceives)
            {
                _loopReceives = true;
                _receiving = true;
            }
        }

        // A loop that starts after a close without a loop began: that close reads on, and the loop gets the end.
        return _closeDelivered ? EndOfConnectionAsync() : ReceiveCoreAsync(buffer, cancellationToken);
    }

    /// <summary>Closes the connection in bounded time: sends the close frame, waits for the peer's (through the receive loop when one runs), ends TCP, and returns how the connection ended.</summary>
    /// <param name="closeStatus">The status to send; must be valid on the wire (1000–1003, 1007–1014, 3000–4999).</param>
    /// <param name="statusDescription">The closing reason, or <see langword="null"/> for none; cut as the options' truncation says.</param>
    /// <param name="cancellationToken">Cuts the close short: cancelled before the connection ended (before this call too), the connection is aborted, nothing more is sent, and the result says so (<see cref="WebSocketCloseResult.Aborted"/>, an <see cref="OperationCanceledException"/> in <see cref="WebSocketCloseResult.Exception"/>); cancelled once it has ended, as <c>HttpContext.RequestAborted</c> is when the client goes, it changes nothing.</param>
    /// <returns>How the connection ended, the same result as <see cref="Completion"/>. It works in every state: <see cref="WebSocketState.Open"/> sends and waits; <see cref="WebSocketState.CloseReceived"/> replies; <see cref="WebSocketState.CloseSent"/> waits; <see cref="WebSocketState.Closed"/> and <see cref="WebSocketState.Aborted"/> do no I/O. A second call, or a call after the loop answered the peer's close, sends nothing more and returns the first close's result.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="closeStatus"/> must not be sent in a close frame (this includes 1005, Empty, which System.Net would send as a code).</exception>
    /// <exception cref="ArgumentException"><paramref name="statusDescription"/> has a lone surrogate in the part sent, or is too long and the options do not truncate.</exception>
    public Task<WebSocketCloseResult> CloseAsync(WebSocketCloseStatus closeStatus, string? statusDescription, CancellationToken cancellationToken)
    {
        string? reason = WebSocketExtensions.PrepareClose(closeStatus, statusDescription, _truncation);
        lock (_gate)
        {
            if (_closeStarted || _finished)
            {
                return _completion.Task;
            }

            _closeStarted = true;
        }

        return CloseCoreAsync(closeStatus, reason, cancellationToken);
    }

    /// <summary>Sends a message unless this endpoint's close has begun: after a close frame no data may follow (RFC 6455 §5.5.1), so a send that comes too late sends nothing and returns <see langword="false"/> instead of throwing.</summary>
    /// <param name="buffer">The message, or a part of it.</param>
    /// <param name="messageType">Text or binary.</param>
    /// <param name="endOfMessage">Whether this ends the message.</param>
    /// <param name="cancellationToken">The token to cancel the send with; as in System.Net, cancelling it aborts the connection.</param>
    /// <returns><see langword="true"/> if the message was sent; <see langword="false"/> if the close had begun or the connection ended, which <see cref="Completion"/> then says.</returns>
    /// <exception cref="ArgumentException"><paramref name="messageType"/> is <see cref="WebSocketMessageType.Close"/>, or another argument System.Net refuses.</exception>
    public async Task<bool> SendAsync(ArraySegment<byte> buffer, WebSocketMessageType messageType, bool endOfMessage, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_sendClaimed || _finished)
            {
                return false;
            }
        }

        try
        {
            await WebSocket.SendAsync(buffer, messageType, endOfMessage, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (IsConnectionEnd(e) || (e is InvalidOperationException && IsClosing()))
        {
            // The connection failed, or the close went out while this send waited: the loop's receive or the close finishes.
            return false;
        }
    }

    private bool IsClosing()
    {
        lock (_gate)
        {
            return _sendClaimed || _finished;
        }
    }

    private async Task<WebSocketReceiveResult> EndOfConnectionAsync()
    {
        await _completion.Task.ConfigureAwait(false);
        return EndOfConnection();
    }

    // The close message of a connection that ended without one reaching the loop: its close code (§7.1.5), 1006 when no close frame arrived.
    private WebSocketReceiveResult EndOfConnection() =>
        new(0, WebSocketMessageType.Close, endOfMessage: true, WebSocket.CloseStatus ?? (System.Net.WebSockets.WebSocketCloseStatus)WebSocketCloseStatus.AbnormalClosure, WebSocket.CloseStatusDescription ?? string.Empty);

    private async Task<WebSocketReceiveResult> ReceiveCoreAsync(ArraySegment<byte> buffer, CancellationToken cancellationToken)
    {
        WebSocketReceiveResult? received = null;
        Exception? failure = null;
        try
        {
            received = await WebSocket.ReceiveAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (IsConnectionEnd(e))
        {
            failure = e;
        }
        finally
        {
            lock (_gate)
            {
                _receiving = false;
                _closeDelivered |= failure is not null || received?.MessageType == WebSocketMessageType.Close;
            }
        }

        if (received is null)
        {
            Finish(failure);
            return EndOfConnection();
        }

        if (received.MessageType == WebSocketMessageType.Close)
        {
            await OnCloseReceivedAsync().ConfigureAwait(false);
        }
        else
        {
            FinishIfAborted();
        }

        return received;
    }

    // The loop received the peer's close: the reply to ours, or the peer's own close, which gets its code back (§5.5.1).
    private async Task OnCloseReceivedAsync()
    {
        bool reply;
        lock (_gate)
        {
            reply = !_sendClaimed && !_finished && WebSocket.State == WebSocketState.CloseReceived;
            if (reply)
            {
                _sendClaimed = true;
                _sending = true;
                StartClosing(CloseInitiator.Remote);
                StartDeadline();
            }
        }

        if (reply)
        {
            WebSocketCloseStatus echo = WebSocket.CloseStatus.ToCloseStatus() ?? WebSocketCloseStatus.NormalClosure;
            if (!await SendCloseAsync(echo, null).ConfigureAwait(false))
            {
                return;
            }
        }

        FinishIfDone();
    }

    private async Task<WebSocketCloseResult> CloseCoreAsync(WebSocketCloseStatus closeStatus, string? reason, CancellationToken cancellationToken)
    {
        bool send;
        lock (_gate)
        {
            WebSocketState state = WebSocket.State;
            send = !_sendClaimed && state is WebSocketState.Open or WebSocketState.CloseReceived;
            if (send)
            {
                _sendClaimed = true;
                _sending = true;
                StartClosing(state == WebSocketState.Open ? CloseInitiator.Local : CloseInitiator.Remote);
            }
            else if (state == WebSocketState.CloseSent)
            {
                StartClosing(CloseInitiator.Local);   // a close frame went out (System.Net's own) and none has arrived: ours went first
            }

            if (state is WebSocketState.Open or WebSocketState.CloseReceived or WebSocketState.CloseSent)
            {
                StartDeadline();
                _canceledToken = cancellationToken;
            }
        }

        // Outside the lock: a token cancelled meanwhile runs the callback here, and it aborts the connection.
        CancellationTokenRegistration registration = _canceledToken.Register(static closer => ((WebSocketCloser)closer!).OnCanceled(), this);
        lock (_gate)
        {
            _cancellation = registration;
            if (_finished)
            {
                registration.Dispose();
            }
        }

        if (send && !await SendCloseAsync(closeStatus, reason).ConfigureAwait(false))
        {
            return await _completion.Task.ConfigureAwait(false);
        }

        bool receive;
        lock (_gate)
        {
            receive = !_loopReceives && !_finished && WebSocket.State == WebSocketState.CloseSent;
            _closeReceives = receive;
            _receiving |= receive;
        }

        if (receive)
        {
            await WaitForPeerCloseAsync(closeStatus, reason).ConfigureAwait(false);
        }
        else
        {
            // Closed, Aborted, None or Connecting: nothing to wait for. CloseSent with a loop: the loop's receive finishes.
            FinishIfDone();
        }

        return await _completion.Task.ConfigureAwait(false);
    }

    // System.Net's CloseAsync waits for the peer's close without sending a second one, and is documented to cooperate
    // with a receive already pending (a loop that does not go through this closer); a client's waits for the server to end TCP.
    private async Task WaitForPeerCloseAsync(WebSocketCloseStatus closeStatus, string? reason)
    {
        Exception? failure = null;
        try
        {
            await WebSocket.CloseAsync(closeStatus.ToSystemNet(), reason, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (IsConnectionEnd(e))
        {
            failure = e;
        }
        finally
        {
            lock (_gate)
            {
                _receiving = false;
            }
        }

        Finish(failure);
    }

    // False when the send failed and the connection has ended.
    private async Task<bool> SendCloseAsync(WebSocketCloseStatus closeStatus, string? reason)
    {
        try
        {
            // No token: System.Net aborts on cancellation, and the deadline and the caller's token abort through Abort, so this closer knows which ended it.
            await WebSocket.CloseOutputAsync(closeStatus.ToSystemNet(), reason, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            // A programming error propagates, but the send is over: the deadline or the caller's token can still end the connection.
            lock (_gate)
            {
                _sending = false;
            }

            if (!IsConnectionEnd(e))
            {
                throw;
            }

            Finish(e);
            return false;
        }

        lock (_gate)
        {
            _sending = false;
            _sentStatus = closeStatus;   // recorded once the frame went out, by the one send this closer makes
        }

        FinishIfAborted();
        return true;
    }

    // Called with _gate held. The first close sent or received starts closing, for the result and the duration metric.
    private void StartClosing(CloseInitiator initiator)
    {
        if (_initiator is null)
        {
            _initiator = initiator;
            _closingStarted = CloseMetrics.Timestamp();
        }
    }

    // Called with _gate held.
    private void StartDeadline()
    {
        if (!_finished)
        {
            _deadline ??= new Timer(static closer => ((WebSocketCloser)closer!).OnDeadline(), this, _timeout, Timeout.InfiniteTimeSpan);
        }
    }

    private void OnDeadline() => AbortConnection(timedOut: true);

    private void OnCanceled() => AbortConnection(timedOut: false);

    private void AbortConnection(bool timedOut)
    {
        lock (_gate)
        {
            // Once the socket has ended, a token cancelled now (RequestAborted, cancelled by that end) is not the caller cancelling.
            if (_finished || _timedOut || _canceled || (!timedOut && WebSocket.State is WebSocketState.Aborted or WebSocketState.Closed))
            {
                return;
            }

            _timedOut = timedOut;
            _canceled = !timedOut;
        }

        // What was in flight fails on the abort and finishes; with nothing in flight, this does.
        WebSocket.Abort();
        FinishIfAborted();
    }

    private void FinishIfAborted()
    {
        bool finish;
        lock (_gate)
        {
            finish = (_timedOut || _canceled) && !_receiving && !_sending;
        }

        if (finish)
        {
            Finish(null);
        }
    }

    // The handshake is complete once System.Net saw close frames go both ways. A send in flight finishes it itself, once
    // its status is recorded: System.Net may report Closed before the send's continuation ran.
    private void FinishIfDone()
    {
        bool sending;
        lock (_gate)
        {
            sending = _sending;
        }

        if (!sending && WebSocket.State is WebSocketState.Closed or WebSocketState.Aborted or WebSocketState.None or WebSocketState.Connecting)
        {
            Finish(null);
        }
        else
        {
            FinishIfAborted();
        }
    }

    private void Finish(Exception? failure)
    {
        CancellationTokenRegistration cancellation;
        Timer? deadline;
        lock (_gate)
        {
            if (_finished)
            {
                return;
            }

            _finished = true;
            cancellation = _cancellation;
            deadline = _deadline;
        }

        // Close frames went both ways: dispose, which ends TCP (§7.1.1). Anything else: abort.
        if (WebSocket.State == WebSocketState.Closed)
        {
            WebSocket.Dispose();
        }
        else
        {
            WebSocket.Abort();
        }

        deadline?.Dispose();
        cancellation.Dispose();
        WebSocketCloseResult result = Describe(failure);
        if (CloseMetrics.Enabled)
        {
            // Once per connection, as Finish runs once, and before the result is out, so whoever sees it sees it counted.
            // The drain's closes come here too and add nothing of their own.
            CloseOutcome outcome = result.WasClean ? CloseOutcome.Clean
                : result.TimedOut ? CloseOutcome.TimedOut
                : _canceled || WebSocket.CloseStatus.HasValue ? CloseOutcome.Aborted
                : CloseOutcome.NoCloseFrame;
            CloseMetrics.Record(_role, result.CloseStatus, result.Initiator, outcome, _closingStarted);
        }

        _completion.TrySetResult(result);
        _drain?.Untrack(this);
    }

    private WebSocketCloseResult Describe(Exception? failure)
    {
        WebSocketState state = WebSocket.State;
        WebSocketCloseStatus? received = WebSocket.CloseStatus.ToCloseStatus();
        bool cutShort = _timedOut || _canceled;
        Exception? exception = _canceled
            ? new OperationCanceledException(CanceledMessage, failure, _canceledToken)
            : _timedOut ? null : failure;
        return new WebSocketCloseResult(
            received ?? WebSocketCloseStatus.AbnormalClosure,
            received.HasValue ? WebSocket.CloseStatusDescription ?? string.Empty : string.Empty,
            wasClean: state == WebSocketState.Closed && received.HasValue && !cutShort && exception is null,
            _initiator ?? (received.HasValue ? null : CloseInitiator.None),
            _timedOut,
            state == WebSocketState.Aborted,
            _sentStatus,
            exception);
    }

    // What the network, the peer or the socket's own end throws; anything else is a programming error and propagates.
    private bool IsConnectionEnd(Exception exception) => exception switch
    {
        WebSocketException or IOException or ObjectDisposedException or Win32Exception => true,
        OperationCanceledException => WebSocket.State is WebSocketState.Aborted or WebSocketState.Closed || _timedOut || _canceled,
        _ => false,
    };
}
