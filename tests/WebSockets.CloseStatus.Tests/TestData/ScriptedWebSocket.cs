using System;
using System.Collections.Generic;
using System.IO;
using System.Net.WebSockets;
using System.Threading;
using System.Threading.Tasks;
using NetStatus = System.Net.WebSockets.WebSocketCloseStatus;

namespace WebSockets.CloseStatus.Tests.TestData;

/// <summary>
/// A WebSocket that follows System.Net's state rules (Open, CloseSent, CloseReceived, Closed, Aborted) and plays a
/// script of what the peer does, with no network: fast enough for a test run per mutant. The real peers are in
/// <see cref="WebSocketExtensionsGracefulTests"/>.
/// </summary>
public sealed class ScriptedWebSocket(WebSocketState state = WebSocketState.Open) : WebSocket
{
    private readonly Queue<Func<CancellationToken, Task<WebSocketReceiveResult>>> _script = new();
    private readonly Queue<(byte Fill, int Count)> _fills = new();
    private readonly CancellationTokenSource _ended = new();
    private readonly TaskCompletionSource _closeSent = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly object _stateLock = new();
    private WebSocketState _state = state;
    private NetStatus? _closeStatus;
    private string? _description;

    /// <summary>Cancelled when the connection ends (Abort or Dispose), as ASP.NET Core's <c>HttpContext.RequestAborted</c> is.</summary>
    public CancellationToken RequestAborted => _ended.Token;

    /// <summary>Whether <see cref="Dispose"/> was called: for a server, what ends TCP.</summary>
    public bool Disposed { get; private set; }

    /// <summary>What <see cref="CloseOutputAsync"/> throws instead of sending, once; the socket is aborted first unless it is a programming error.</summary>
    public Exception? SendFailure { get; set; }

    /// <summary>What a send waits for after the state changed and before it completes, as a frame being written.</summary>
    public Task? SendGate { get; set; }

    /// <summary>Runs each time <see cref="State"/> is read.</summary>
    public Action? OnStateRead { get; set; }

    public List<(NetStatus Status, string? Description)> Sent { get; } = [];

    /// <summary>The state each close frame was sent in: Open if ours went first, CloseReceived if the peer's had arrived.</summary>
    public List<WebSocketState> SentWhile { get; } = [];

    public int Receives { get; private set; }

    public override NetStatus? CloseStatus => _closeStatus;

    public override string? CloseStatusDescription => _description;

    public override WebSocketState State
    {
        get
        {
            OnStateRead?.Invoke();
            return _state;
        }
    }

    public override string? SubProtocol => null;

    /// <summary>The peer sends data: <paramref name="count"/> bytes of <paramref name="type"/>.</summary>
    public ScriptedWebSocket ThenData(WebSocketMessageType type, byte fill, int count, bool endOfMessage = true)
    {
        _script.Enqueue((_) => Task.FromResult(new WebSocketReceiveResult(count, type, endOfMessage)));
        _fills.Enqueue((fill, count));
        return this;
    }

    /// <summary>The peer's close frame arrives.</summary>
    public ScriptedWebSocket ThenClose(NetStatus status, string? description)
    {
        _script.Enqueue((_) =>
        {
            _closeStatus = status;
            _description = description;
            _state = _state == WebSocketState.CloseSent ? WebSocketState.Closed : WebSocketState.CloseReceived;
            return Task.FromResult(new WebSocketReceiveResult(0, WebSocketMessageType.Close, true, status, description));
        });
        _fills.Enqueue((0, 0));
        return this;
    }

    /// <summary>The peer answers our close: the receive waits until a close frame was sent, then the peer's arrives.</summary>
    public ScriptedWebSocket ThenCloseOnceWeSent(NetStatus status, string? description)
    {
        _script.Enqueue(async cancellationToken =>
        {
            await WaitAsync(_closeSent.Task, cancellationToken).ConfigureAwait(false);
            _closeStatus = status;
            _description = description;
            _state = _state == WebSocketState.CloseSent ? WebSocketState.Closed : WebSocketState.CloseReceived;
            return new WebSocketReceiveResult(0, WebSocketMessageType.Close, true, status, description);
        });
        _fills.Enqueue((0, 0));
        return this;
    }

    /// <summary>The peer's close frame arrives once <paramref name="gate"/> completes.</summary>
    public ScriptedWebSocket ThenCloseWhen(Task gate, NetStatus status, string? description)
    {
        _script.Enqueue(async cancellationToken =>
        {
            await WaitAsync(gate, cancellationToken).ConfigureAwait(false);
            lock (_stateLock)
            {
                _closeStatus = status;
                _description = description;
                _state = _state == WebSocketState.CloseSent ? WebSocketState.Closed : WebSocketState.CloseReceived;
            }

            return new WebSocketReceiveResult(0, WebSocketMessageType.Close, true, status, description);
        });
        _fills.Enqueue((0, 0));
        return this;
    }

    /// <summary>The peer's close frame arrives without a status: a socket that reports none.</summary>
    public ScriptedWebSocket ThenCloseWithoutStatus()
    {
        _script.Enqueue((_) =>
        {
            _state = _state == WebSocketState.CloseSent ? WebSocketState.Closed : WebSocketState.CloseReceived;
            return Task.FromResult(new WebSocketReceiveResult(0, WebSocketMessageType.Close, true));
        });
        _fills.Enqueue((0, 0));
        return this;
    }

    /// <summary>The receive throws <paramref name="exception"/> and the socket's state does not change: a bug, not a connection end.</summary>
    public ScriptedWebSocket ThenThrow(Exception exception)
    {
        _script.Enqueue((_) => Task.FromException<WebSocketReceiveResult>(exception));
        _fills.Enqueue((0, 0));
        return this;
    }

    /// <summary>The peer's close arrives at another receive (a caller's loop), then the peer drops TCP: this receive fails, on a socket that is Closed.</summary>
    public ScriptedWebSocket ThenFailAfterAnotherReceiveTookTheClose(NetStatus status, string? description, Exception exception)
    {
        _script.Enqueue((_) =>
        {
            _closeStatus = status;
            _description = description;
            _state = WebSocketState.Closed;
            return Task.FromException<WebSocketReceiveResult>(exception);
        });
        _fills.Enqueue((0, 0));
        return this;
    }

    /// <summary>The receive fails with <paramref name="exception"/>, and the socket is aborted, as System.Net does.</summary>
    public ScriptedWebSocket ThenFail(Exception exception)
    {
        _script.Enqueue((_) =>
        {
            _state = WebSocketState.Aborted;
            _ended.Cancel();
            return Task.FromException<WebSocketReceiveResult>(exception);
        });
        _fills.Enqueue((0, 0));
        return this;
    }

    /// <summary>Whether every operation completes later, on the thread pool, as network I/O does.</summary>
    public bool CompletesAsynchronously { get; init; }

    // As ClientWebSocket's: a socket that never connected is disposed, so Closed; a connected one is Aborted. What is
    // in flight fails, and the connection's token (RequestAborted) is cancelled.
    public override void Abort()
    {
        _state = _state switch
        {
            WebSocketState.None or WebSocketState.Connecting => WebSocketState.Closed,
            WebSocketState.Closed or WebSocketState.Aborted => _state,
            _ => WebSocketState.Aborted,
        };
        _ended.Cancel();
    }

    // Waits for the peer; the connection's end (Abort, Dispose) fails the wait as System.Net's does, and so does the
    // receive's token, which aborts first.
    private async Task WaitAsync(Task gate, CancellationToken cancellationToken)
    {
        using var either = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _ended.Token);
        try
        {
            await gate.WaitAsync(either.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!_ended.IsCancellationRequested)
        {
            Abort();
            throw;
        }
        catch (OperationCanceledException)
        {
            throw new WebSocketException(WebSocketError.InvalidState, "The WebSocket was aborted.");
        }
    }

    // As System.Net's: send the close unless one went out already, then receive until the peer's.
    public override async Task CloseAsync(NetStatus closeStatus, string? statusDescription, CancellationToken cancellationToken)
    {
        CloseAsyncCalls++;
        if (_state is WebSocketState.Open or WebSocketState.CloseReceived)
        {
            await CloseOutputAsync(closeStatus, statusDescription, cancellationToken).ConfigureAwait(false);
        }

        byte[] buffer = new byte[8192];
        while (_state == WebSocketState.CloseSent)
        {
            await ReceiveAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
    }

    public override async Task CloseOutputAsync(NetStatus closeStatus, string? statusDescription, CancellationToken cancellationToken)
    {
        if (_state is not (WebSocketState.Open or WebSocketState.CloseReceived))
        {
            throw new WebSocketException(WebSocketError.InvalidState, $"CloseOutputAsync in {_state}");
        }

        cancellationToken.ThrowIfCancellationRequested();
        if (SendFailure is { } failure)
        {
            SendFailure = null;
            if (failure is WebSocketException or IOException)
            {
                Abort();
            }

            throw failure;
        }

        lock (_stateLock)
        {
            Sent.Add((closeStatus, statusDescription));
            SentWhile.Add(_state);
            _state = _state == WebSocketState.Open ? WebSocketState.CloseSent : WebSocketState.Closed;
        }

        if (SendGate is { } gate)
        {
            await WaitAsync(gate, CancellationToken.None).ConfigureAwait(false);
        }

        await LaterAsync().ConfigureAwait(false);
        _closeSent.TrySetResult();
    }

    // Past the script the peer is silent: the receive waits until it is cancelled, then aborts, as System.Net does.
    public override async Task<WebSocketReceiveResult> ReceiveAsync(ArraySegment<byte> buffer, CancellationToken cancellationToken)
    {
        Receives++;
        if (_state is WebSocketState.Aborted or WebSocketState.Closed or WebSocketState.CloseReceived)
        {
            throw new WebSocketException(WebSocketError.InvalidState, $"ReceiveAsync in {_state}");
        }

        if (_script.Count == 0)
        {
            await WaitAsync(Task.Delay(Timeout.Infinite, CancellationToken.None), cancellationToken).ConfigureAwait(false);
        }

        (byte fill, int count) = _fills.Dequeue();
        buffer.AsSpan(0, count).Fill(fill);
        await LaterAsync().ConfigureAwait(false);
        return await _script.Dequeue()(cancellationToken).ConfigureAwait(false);
    }

    private Task LaterAsync() => CompletesAsynchronously ? Task.Delay(1) : Task.CompletedTask;

    // As System.Net's: data goes only where no close frame has gone out.
    public override Task SendAsync(ArraySegment<byte> buffer, WebSocketMessageType messageType, bool endOfMessage, CancellationToken cancellationToken)
    {
        OnSend?.Invoke();
        if (SendFailure is { } failure)
        {
            SendFailure = null;
            Abort();
            return Task.FromException(failure);
        }

        if (_state is not (WebSocketState.Open or WebSocketState.CloseReceived))
        {
            return Task.FromException(new WebSocketException(WebSocketError.InvalidState, $"SendAsync in {_state}"));
        }

        DataSent.Add(buffer.Count);
        return Task.CompletedTask;
    }

    /// <summary>Runs as a data send starts: a test's way to let something happen meanwhile.</summary>
    public Action? OnSend { get; set; }

    /// <summary>The length of each data message sent.</summary>
    public List<int> DataSent { get; } = [];

    /// <summary>How often System.Net's CloseAsync was called: the closer waits with it where no loop of its own runs.</summary>
    public int CloseAsyncCalls { get; private set; }

    // As System.Net's: a socket disposed before it ended is Closed, with no handshake.
    public override void Dispose()
    {
        Disposed = true;
        _ended.Cancel();
        if (_state is not (WebSocketState.Closed or WebSocketState.Aborted))
        {
            _state = WebSocketState.Closed;
        }
    }
}
