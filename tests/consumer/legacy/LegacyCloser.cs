// A netstandard2.0 library in C# 7.3, as .NET Framework and Unity code is written: plain strings go to every
// writer, with no AsSpan(), and a literal null is no reason.
// tests/consumer/run.sh builds it against the packed package.
using System;
using System.Buffers;
using System.Net.WebSockets;
using System.Threading;
using System.Threading.Tasks;
using WebSockets.CloseStatus;
using CloseStatus = WebSockets.CloseStatus.WebSocketCloseStatus;

public static class LegacyCloser
{
    public static byte[] Payload(string reason, byte[] payload)
    {
        byte[] buffer = new byte[ClosePayload.MaxLength];
        int written;
        ClosePayload.TryWrite(buffer, CloseStatus.NormalClosure, "bye", out written);
        ClosePayload.TryWrite(buffer, CloseStatus.InternalServerError, reason, out written, CloseReasonTruncation.TruncateWithEllipsis);
        CloseFrameError error = ClosePayload.Read(payload, out CloseStatus status, out string text);
        CloseStatus answer = error == CloseFrameError.None ? status : error.ToCloseStatus();   // 1002, or 1007 for bad UTF-8
        ClosePayload.TryWrite(buffer, CloseStatus.NormalClosure, null, out written);
        byte[] utf8Bye = { 0x62, 0x79, 0x65 };
        ClosePayload.TryWriteUtf8(buffer, answer, utf8Bye, out written, CloseReasonTruncation.Truncate);
        int size = ClosePayload.GetByteCount(CloseStatus.NormalClosure, "bye");
        size += ClosePayload.GetByteCount(CloseStatus.NormalClosure, null);
        string shortReason = ClosePayload.TruncateReason(reason, CloseReasonTruncation.Truncate);
        byte[] created = ClosePayload.Create(CloseStatus.EndpointUnavailable, reason, CloseReasonTruncation.Truncate);
        return created;
    }

    public static int Frames(IBufferWriter<byte> writer, string reason)
    {
        byte[] frame = new byte[CloseFrame.MaxLength];
        byte[] utf8Bye = { 0x62, 0x79, 0x65 };
        int written;
        CloseFrame.TryWrite(frame, WebSocketRole.Client, CloseStatus.NormalClosure, "bye", out written);
        CloseFrame.TryWrite(frame, WebSocketRole.Server, CloseStatus.NormalClosure, reason, out written, CloseReasonTruncation.Truncate);
        CloseFrame.TryWrite(frame, WebSocketRole.Server, CloseStatus.NormalClosure, null, out written);
        CloseFrame.TryWriteUtf8(frame, WebSocketRole.Server, CloseStatus.NormalClosure, utf8Bye, out written, CloseReasonTruncation.Truncate);
        CloseFrame.TryWriteMasked(frame, 0x37FA213Du, CloseStatus.NormalClosure, "bye", out written);
        CloseFrame.TryWriteMasked(frame, 0x37FA213Du, CloseStatus.NormalClosure, reason, out written, CloseReasonTruncation.Truncate);
        CloseFrame.TryWriteMasked(frame, 0x37FA213Du, CloseStatus.NormalClosure, null, out written);
        CloseFrame.TryWriteMaskedUtf8(frame, 0x37FA213Du, CloseStatus.NormalClosure, utf8Bye, out written, CloseReasonTruncation.Truncate);
        CloseFrame.Write(writer, WebSocketRole.Server, CloseStatus.NormalClosure, null);
        CloseFrame.WriteUtf8(writer, WebSocketRole.Server, CloseStatus.NormalClosure, utf8Bye, CloseReasonTruncation.Truncate);
        bool close = CloseFrame.IsCloseFrame(frame) && CloseFrame.IsCloseFrame(new ReadOnlySequence<byte>(frame));
        CloseFrameReadResult result;
        CloseFrame.Read(frame, WebSocketRole.Client, new byte[ClosePayload.MaxReasonLength], out result);
        CloseFrame.ReadInPlace(frame, WebSocketRole.Client, out result, ClosePayloadReadMode.Lenient);
        return CloseFrame.Write(writer, WebSocketRole.Server, CloseStatus.NormalClosure, reason, CloseReasonTruncation.Truncate) + (close ? 1 : 0);
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
        // The bounded close in C# 7.3, beside a receive loop: options set one by one, a plain string reason, a result to read.
        WebSocketCloseOptions options = new WebSocketCloseOptions();
        options.Timeout = TimeSpan.FromSeconds(2);
        options.Truncation = CloseReasonTruncation.TruncateWithEllipsis;
        WebSocketCloser closer = new WebSocketCloser(socket, options);
        Task loop = ReceiveUntilClosedAsync(closer, cancellationToken);
        WebSocketCloseResult result = await closer.CloseAsync(CloseStatus.EndpointUnavailable, reason, cancellationToken);
        await loop;
        WebSocketCloseResult again = await socket.CloseGracefullyAsync(CloseStatus.NormalClosure, null, TimeSpan.FromSeconds(5), cancellationToken);
        CloseInitiator? initiator = result.Initiator;
        return result.CloseStatus + " " + result.CloseStatusDescription + " " + result.WasClean + " " + initiator + " " + result.SentStatus
            + " " + result.TimedOut + " " + again.Aborted + " " + (result.Exception == null);
    }

    private static async Task ReceiveUntilClosedAsync(WebSocketCloser closer, CancellationToken cancellationToken)
    {
        byte[] buffer = new byte[1024];
        while ((await closer.ReceiveAsync(new ArraySegment<byte>(buffer), cancellationToken)).MessageType != WebSocketMessageType.Close)
        {
        }
    }

    public static string Handshake(byte[] received, string reason)
    {
        // A server's closing handshake in C# 7.3: arrays go to the span parameters, strings to the reasons, and each call
        // returns what to do next.
        CloseHandshake handshake = new CloseHandshake(WebSocketRole.Server);
        int consumed;
        CloseHandshakeAction action = handshake.ReceiveCloseFrame(received, out consumed);
        if (consumed == 0)
        {
            return "read more";
        }

        byte[] frame = new byte[CloseFrame.MaxLength];
        int written = 0;
        if (action == CloseHandshakeAction.SendClose)
        {
            action = handshake.WriteClose(frame, out written);
        }

        handshake.ReportTransportClosed();

        CloseHandshake client = new CloseHandshake(WebSocketRole.Client);
        int clientWritten;
        client.WriteClose(frame, CloseStatus.NormalClosure, reason, out clientWritten, CloseReasonTruncation.Truncate);
        CloseHandshake failing = new CloseHandshake(WebSocketRole.Client);
        failing.WriteClose(frame, CloseStatus.NormalClosure, null, out clientWritten);
        failing.Fail(CloseStatus.MessageTooBig, "too big");
        failing.Fail(CloseStatus.MessageTooBig, null);
        return handshake.CloseStatus + " " + handshake.CloseStatusDescription + " " + handshake.WasClean + " " + action + " " + (written + clientWritten);
    }
}
