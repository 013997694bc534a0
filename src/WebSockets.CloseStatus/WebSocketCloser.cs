using System;
using System.Buffers;
using System.ComponentModel;
using System.IO;
using System.Net.WebSockets;
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
/// <see cref="ReceiveAsync"/> call before <see cref="CloseAsync"/>), the close receives, discarding data until the peer's close.
/// </para>
/// <para>
/// Once close frames have gone both ways the connection is disposed, which ends TCP: a server ends it at once, as RFC 6455
/// §7.1.1 asks; a client's System.Net first waits up to one second for the server to end it. Whatever ends the
/// connection (the handshake, the timeout, the peer or the network) completes <see cref="Completion"/> with the result;
/// only the caller's own mistakes throw.
/// </para>
/// </remarks>
public sealed class WebSocketCloser
{
    // Data that still arrives while a close without a loop waits for the peer's close frame is read into this and dropped.
    private const int DiscardBufferSize = 4096;

    private const string CanceledMessage = "The close's cancellation token was cancelled before the closing handshake finished, so the connection was aborted.";

    private readonly object _gate = new();
    private readonly TaskCompletionSource<WebSocketCloseResult> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TimeSpan _timeout;
    private readonly CloseReasonTruncation _truncation;

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
    private CloseInitiator? _initiator;
    private WebSocketCloseStatus? _sentStatus;
    private Timer? _deadline;
    private CancellationTokenRegistration _cancellation;

    /// <summary>Initializes a closer for <paramref name="webSocket"/>, with the timeout and truncation of <paramref name="options"/>.</summary>
    /// <param name="webSocket">The socket to close; from ASP.NET Core, <c>ClientWebSocket</c> or <c>WebSocket.CreateFromStream</c>.</param>
    /// <param name="options">The close's timeout and reason truncation, read once here; <see langword="null"/> for the defaults (5 seconds, no truncation).</param>
    /// <exception cref="ArgumentNullException"><paramref name="webSocket"/> is <see langword="null"/>.</exception>
    public WebSocketCloser(WebSocket webSocket, WebSocketCloseOptions? options = null)
    {
        if (webSocket is null)
        {
            ThrowHelper.ThrowArgumentNull(nameof(webSocket));
        }

        WebSocket = webSocket;
        _timeout = options?.Timeout ?? WebSocketCloseOptions.DefaultTimeout;
        _truncation = options?.Truncation ?? CloseReasonTruncation.None;
    }

    /// <summary>Gets the socket this closer closes.</summary>
    public WebSocket WebSocket { get; }

    /// <summary>Gets a task that completes, never faulted, with how the connection ended, once it has ended by any means.</summary>
    public Task<WebSocketCloseResult> Completion => _completion.Task;

    /// <summary>Receives from the socket, as the receive loop's one reader: <see cref="WebSocket.ReceiveAsync(ArraySegment{byte}, CancellationToken)"/> that ends every connection with a close message.</summary>
    /// <param name="buffer">The buffer that receives the data.</param>
    /// <param name="cancellationToken">The token to cancel the receive with; as in System.Net, cancelling a receive aborts the connection.</param>
    /// <returns>What arrived. A message of type <see cref="WebSocketMessageType.Close"/> ends the loop, however the connection ended: the peer's close (answered with its code when the peer closed first), the reply to <see cref="CloseAsync"/>, or an abort, a timeout or a dropped connection, whose exception goes into <see cref="Completion"/>'s result instead of being thrown.</returns>
    /// <exception cref="InvalidOperationException">Another receive is in flight, <see cref="CloseAsync"/> is receiving because no loop was running when it started, or the loop already had its close message.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled before the receive started.</exception>
    public Task<WebSocketReceiveResult> ReceiveAsync(ArraySegment<byte> buffer, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_receiving || _closeDelivered)
            {
                ThrowHelper.ThrowReceiveMisuse(_closeDelivered ? "the loop already received the close message that ended the connection" : _closeReceives ? "the close is receiving, as no loop was running when it started" : "another receive is in flight");
            }

            _loopReceives = true;
            _receiving = true;
        }

        return ReceiveCoreAsync(buffer, cancellationToken);
    }

    /// <summary>Closes the connection in bounded time: sends the close frame, waits for the peer's (through the receive loop when one runs), ends TCP, and returns how the connection ended.</summary>
    /// <param name="closeStatus">The status to send; must be valid on the wire (1000–1003, 1007–1014, 3000–4999).</param>
    /// <param name="statusDescription">The closing reason, or <see langword="null"/> for none; cut as the options' truncation says.</param>
    /// <param name="cancellationToken">Ends the wait early: cancelled before this call, nothing is sent and the call throws; cancelled while closing, the connection is aborted and the result says so; cancelled once the connection has ended, it changes nothing.</param>
    /// <returns>How the connection ended, the same result as <see cref="Completion"/>. It works in every state: <see cref="WebSocketState.Open"/> sends and waits; <see cref="WebSocketState.CloseReceived"/> replies; <see cref="WebSocketState.CloseSent"/> waits; <see cref="WebSocketState.Closed"/> and <see cref="WebSocketState.Aborted"/> do no I/O. A second call, or a call after the loop answered the peer's close, sends nothing more and returns the first close's result.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="closeStatus"/> must not be sent in a close frame (this includes 1005, Empty, which System.Net would send as a code).</exception>
    /// <exception cref="ArgumentException"><paramref name="statusDescription"/> has a lone surrogate in the part sent, or is too long and the options do not truncate.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled before the call; nothing was sent.</exception>
    public Task<WebSocketCloseResult> CloseAsync(WebSocketCloseStatus closeStatus, string? statusDescription, CancellationToken cancellationToken)
    {
        string? reason = WebSocketExtensions.PrepareClose(closeStatus, statusDescription, _truncation);
        cancellationToken.ThrowIfCancellationRequested();
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
                _closeDelivered |= received is null || received.MessageType == WebSocketMessageType.Close;
            }
        }

        if (received is null)
        {
            Finish(failure);
            return new WebSocketReceiveResult(0, WebSocketMessageType.Close, endOfMessage: true);
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
                _initiator ??= CloseInitiator.Remote;
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
                _initiator ??= state == WebSocketState.Open ? CloseInitiator.Local : CloseInitiator.Remote;
            }
            else if (state == WebSocketState.CloseSent)
            {
                _initiator ??= CloseInitiator.Local;   // a close frame went out (System.Net's own) and none has arrived: ours went first
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
            await DiscardUntilCloseAsync().ConfigureAwait(false);
        }
        else
        {
            // Closed, Aborted, None or Connecting: nothing to wait for. CloseSent with a loop: the loop's receive finishes.
            FinishIfDone();
        }

        return await _completion.Task.ConfigureAwait(false);
    }

    private async Task DiscardUntilCloseAsync()
    {
        Exception? failure = null;
        byte[] buffer = ArrayPool<byte>.Shared.Rent(DiscardBufferSize);
        try
        {
            while ((await WebSocket.ReceiveAsync(new ArraySegment<byte>(buffer), CancellationToken.None).ConfigureAwait(false)).MessageType != WebSocketMessageType.Close)
            {
            }
        }
        catch (Exception e) when (IsConnectionEnd(e))
        {
            failure = e;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
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
        _completion.TrySetResult(Describe(failure));
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
