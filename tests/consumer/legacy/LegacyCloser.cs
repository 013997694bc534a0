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
}
