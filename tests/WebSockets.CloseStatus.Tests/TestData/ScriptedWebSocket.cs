using System;
using System.Collections.Generic;
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
    private WebSocketState _state = state;
    private NetStatus? _closeStatus;
    private string? _description;

    public List<(NetStatus Status, string? Description)> Sent { get; } = [];

    public int Receives { get; private set; }

    public override NetStatus? CloseStatus => _closeStatus;

    public override string? CloseStatusDescription => _description;

    public override WebSocketState State => _state;

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
            return Task.FromException<WebSocketReceiveResult>(exception);
        });
        _fills.Enqueue((0, 0));
        return this;
    }

    /// <summary>Whether every operation completes later, on the thread pool, as network I/O does.</summary>
    public bool CompletesAsynchronously { get; init; }

    // As ClientWebSocket's: a socket that never connected is disposed, so Closed; a connected one is Aborted.
    public override void Abort() => _state = _state switch
    {
        WebSocketState.None or WebSocketState.Connecting => WebSocketState.Closed,
        WebSocketState.Closed or WebSocketState.Aborted => _state,
        _ => WebSocketState.Aborted,
    };

    // As System.Net's: send the close, then receive until the peer's.
    public override async Task CloseAsync(NetStatus closeStatus, string? statusDescription, CancellationToken cancellationToken)
    {
        await CloseOutputAsync(closeStatus, statusDescription, cancellationToken).ConfigureAwait(false);
        byte[] buffer = new byte[256];
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
        Sent.Add((closeStatus, statusDescription));
        _state = _state == WebSocketState.Open ? WebSocketState.CloseSent : WebSocketState.Closed;
        await LaterAsync().ConfigureAwait(false);
    }

    // Past the script the peer is silent: the receive waits until it is cancelled, then aborts, as System.Net does.
    public override async Task<WebSocketReceiveResult> ReceiveAsync(ArraySegment<byte> buffer, CancellationToken cancellationToken)
    {
        Receives++;
        if (_script.Count == 0)
        {
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                Abort();
            }
        }

        (byte fill, int count) = _fills.Dequeue();
        buffer.AsSpan(0, count).Fill(fill);
        await LaterAsync().ConfigureAwait(false);
        return await _script.Dequeue()(cancellationToken).ConfigureAwait(false);
    }

    private Task LaterAsync() => CompletesAsynchronously ? Task.Delay(1) : Task.CompletedTask;

    public override Task SendAsync(ArraySegment<byte> buffer, WebSocketMessageType messageType, bool endOfMessage, CancellationToken cancellationToken) =>
        throw new NotSupportedException();

    // As System.Net's: a socket disposed before it ended is Closed, with no handshake.
    public override void Dispose()
    {
        if (_state is not (WebSocketState.Closed or WebSocketState.Aborted))
        {
            _state = WebSocketState.Closed;
        }
    }
}
