using System;
using System.Net.WebSockets;
using System.Threading;
using System.Threading.Tasks;
using NetStatus = System.Net.WebSockets.WebSocketCloseStatus;

namespace WebSockets.CloseStatus.Tests.TestData;

/// <summary>
/// A WebSocket whose receive loop belongs to someone else: as older System.Net implementations do, it throws
/// <see cref="InvalidOperationException"/> for a second receive while one is outstanding. A test plays that loop with
/// <see cref="LoopReceivesClose"/>.
/// </summary>
public sealed class ExclusiveReceiveWebSocket : WebSocket
{
    private WebSocketState _state = WebSocketState.Open;
    private NetStatus? _closeStatus;
    private string? _description;

    public int ReceiveCalls { get; private set; }

    public NetStatus? SentStatus { get; private set; }

    public override NetStatus? CloseStatus => _closeStatus;

    public override string? CloseStatusDescription => _description;

    public override WebSocketState State => _state;

    public override string? SubProtocol => null;

    /// <summary>What the caller's receive loop does when the peer's close arrives after ours.</summary>
    public void LoopReceivesClose(NetStatus status, string description)
    {
        _closeStatus = status;
        _description = description;
        _state = WebSocketState.Closed;
    }

    public override void Abort() => _state = WebSocketState.Aborted;

    public override Task CloseAsync(NetStatus closeStatus, string? statusDescription, CancellationToken cancellationToken) =>
        throw new NotSupportedException("the bounded close sends with CloseOutputAsync");

    public override Task CloseOutputAsync(NetStatus closeStatus, string? statusDescription, CancellationToken cancellationToken)
    {
        SentStatus = closeStatus;
        _state = WebSocketState.CloseSent;
        return Task.CompletedTask;
    }

    public override Task<WebSocketReceiveResult> ReceiveAsync(ArraySegment<byte> buffer, CancellationToken cancellationToken)
    {
        ReceiveCalls++;
        throw new InvalidOperationException("There is already one outstanding 'ReceiveAsync' call for this WebSocket instance.");
    }

    public override Task SendAsync(ArraySegment<byte> buffer, WebSocketMessageType messageType, bool endOfMessage, CancellationToken cancellationToken) =>
        throw new NotSupportedException();

    public override void Dispose() => _state = WebSocketState.Closed;
}
