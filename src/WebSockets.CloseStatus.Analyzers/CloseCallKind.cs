namespace WebSockets.CloseStatus.Analyzers;

/// <summary>What kind of close a call is, which decides the rules that apply to it.</summary>
internal enum CloseCallKind
{
    None,

    /// <summary>System.Net's <c>WebSocket.CloseAsync</c> or <c>CloseOutputAsync</c>, or an override of either.</summary>
    SystemNet,

    /// <summary>This library's closes of System.Net's WebSocket: the extensions <c>CloseAsync</c>, <c>CloseOutputAsync</c>, <c>CloseGracefullyAsync</c>, and <c>WebSocketCloser.CloseAsync</c>.</summary>
    SystemNetExtension,

    /// <summary>This library's payload and frame writers and <c>CloseHandshake.WriteClose</c>: 1005 without a reason is an empty payload.</summary>
    Writer,

    /// <summary><c>CloseHandshake.Fail</c>.</summary>
    Fail,
}
