// A netstandard2.0 library in C# 7.3, as .NET Framework and Unity code is written: plain strings go to every
// writer, with no AsSpan() and no casts. tests/consumer/run.sh builds it against the packed package.
using System;
using System.Buffers;
using System.Net.WebSockets;
using System.Threading;
using System.Threading.Tasks;
using WebSockets.CloseStatus;
using CloseStatus = WebSockets.CloseStatus.WebSocketCloseStatus;

public static class LegacyCloser
{
    public static byte[] Payload(string reason)
    {
        byte[] buffer = new byte[ClosePayload.MaxLength];
        int written;
        ClosePayload.TryWrite(buffer, CloseStatus.NormalClosure, "bye", out written);
        int dropped;
        ClosePayload.TryWrite(buffer, CloseStatus.InternalServerError, reason, CloseReasonTruncation.TruncateWithEllipsis, out written, out dropped);
        int size = ClosePayload.GetByteCount(CloseStatus.NormalClosure, "bye");
        string shortReason = ClosePayload.TruncateReason(reason, CloseReasonTruncation.Truncate);
        byte[] created = ClosePayload.Create(CloseStatus.EndpointUnavailable, reason, CloseReasonTruncation.Truncate);
        return created;
    }

    public static int Frames(IBufferWriter<byte> writer, string reason)
    {
        byte[] frame = new byte[CloseFrame.MaxLength];
        int written;
        int dropped;
        CloseFrame.TryWrite(frame, WebSocketRole.Client, CloseStatus.NormalClosure, "bye", out written);
        CloseFrame.TryWrite(frame, WebSocketRole.Server, CloseStatus.NormalClosure, reason, CloseReasonTruncation.Truncate, out written, out dropped);
        CloseFrame.TryWriteMasked(frame, 0x37FA213Du, CloseStatus.NormalClosure, "bye", out written);
        CloseFrame.TryWriteMasked(frame, 0x37FA213Du, CloseStatus.NormalClosure, reason, CloseReasonTruncation.Truncate, out written, out dropped);
        ClosePayload.Write(writer, CloseStatus.NormalClosure, "bye");
        ClosePayload.Write(writer, CloseStatus.NormalClosure, reason, CloseReasonTruncation.Truncate);
        return CloseFrame.Write(writer, WebSocketRole.Server, CloseStatus.NormalClosure, reason, CloseReasonTruncation.Truncate);
    }

    public static Task CloseAsync(WebSocket socket, string reason, CancellationToken cancellationToken)
    {
        CloseStatus? received = socket.CloseStatus.ToCloseStatus();
        CloseStatus parsed;
        WebSocketCloseStatusExtensions.TryParse("going away", out parsed);
        return socket.CloseAsync(CloseStatus.ServiceRestart, reason, CloseReasonTruncation.TruncateWithEllipsis, cancellationToken);
    }

    public static async Task<string> CloseGracefullyAsync(WebSocket socket, string reason, CancellationToken cancellationToken)
    {
        // The bounded close in C# 7.3: a plain string reason, a TimeSpan, options set one by one, a result to read.
        WebSocketCloseResult result = await socket.CloseGracefullyAsync(CloseStatus.EndpointUnavailable, reason, TimeSpan.FromSeconds(5), cancellationToken);
        WebSocketCloseOptions options = new WebSocketCloseOptions();
        options.Timeout = TimeSpan.FromSeconds(2);
        options.Truncation = CloseReasonTruncation.TruncateWithEllipsis;
        WebSocketCloseResult again = await socket.CloseGracefullyAsync(CloseStatus.NormalClosure, reason, options, cancellationToken);
        // The connection has ended: a closer on it does no I/O and says how it ended.
        WebSocketCloser closer = new WebSocketCloser(socket, options);
        WebSocketCloseResult ended = await closer.CloseAsync(CloseStatus.EndpointUnavailable, reason, cancellationToken);
        CloseInitiator? initiator = result.Initiator;
        return result.CloseStatus + " " + result.CloseStatusDescription + " " + result.WasClean + " " + initiator + " " + result.SentStatus
            + " " + again.TimedOut + " " + ended.Aborted + " " + (ended.Exception == null);
    }

    public static async Task<WebSocketCloseResult> ReceiveLoopAsync(WebSocket socket, Action<int> onMessage, CancellationToken cancellationToken)
    {
        // The receive loop in C# 7.3: the closer is its one reader, and a Close message ends it however the connection ended.
        WebSocketCloser closer = new WebSocketCloser(socket);
        byte[] buffer = new byte[4096];
        WebSocketReceiveResult received = await closer.ReceiveAsync(new ArraySegment<byte>(buffer), cancellationToken);
        while (received.MessageType != WebSocketMessageType.Close)
        {
            onMessage(received.Count);
            received = await closer.ReceiveAsync(new ArraySegment<byte>(buffer), cancellationToken);
        }

        return await closer.Completion;
    }

    public static string Handshake(byte[] received, string reason)
    {
        // A server's closing handshake in C# 7.3: arrays go to the span parameters, strings to the reasons.
        CloseHandshake handshake = new CloseHandshake(WebSocketRole.Server);
        int consumed;
        if (handshake.ReceiveCloseFrame(received, out consumed) == OperationStatus.NeedMoreData)
        {
            return "read more";
        }

        byte[] frame = new byte[CloseFrame.MaxLength];
        int written = handshake.Action == CloseHandshakeAction.SendClose ? handshake.WriteClose(frame) : 0;
        handshake.ReportTransportClosed();

        CloseHandshake client = new CloseHandshake(WebSocketRole.Client);
        written += client.WriteClose(frame, CloseStatus.NormalClosure, reason, CloseReasonTruncation.Truncate);
        client.Fail(CloseStatus.MessageTooBig);
        return handshake.CloseStatus + " " + handshake.GetCloseReason() + " " + handshake.WasClean + " " + written;
    }
}
