// The README's "Closing a connection correctly" examples, verbatim (see ReadmeSamples.cs).
using System;
using System.Buffers;
using System.IO.Pipelines;
using System.Text.Unicode;
using System.Threading;
using System.Threading.Tasks;
using WebSockets.CloseStatus;

namespace ReadmeSamples;

public static class ClosingSamples
{
#nullable disable // the loop compiles as C# 7.3, which has no annotations: the drain's registration is optional
    // Reads until TCP closes; each call to the handshake returns what to do next.
    public static async Task ReadLoopAsync(CloseHandshake handshake, IDuplexPipe transport, TimeSpan timeout, CancellationToken ct,
        WebSocketDrainRegistration registration = null)
    {
        byte[] close = new byte[CloseFrame.MaxLength];
        CloseHandshakeAction action = handshake.Action;   // AwaitClose after a close of ours
        using (var timer = CancellationTokenSource.CreateLinkedTokenSource(ct))
        {
            if (handshake.IsCloseSent)
            {
                timer.CancelAfter(timeout);
            }

            while (true)
            {
                switch (action)
                {
                    case CloseHandshakeAction.SendClose:        // the echo, 1002/1007 or Fail's status
                        action = handshake.WriteClose(close, out int length);
                        await transport.Output.WriteAsync(close.AsMemory(0, length), ct);
                        timer.CancelAfter(timeout);
                        continue;
                    case CloseHandshakeAction.CloseTransport:   // a server after the handshake (§7.1.1), or a failure
                        transport.Input.Complete();
                        transport.Output.Complete();
                        handshake.ReportTransportClosed();
                        return;
                }

                // None, AwaitClose: read on. AwaitTransportClose (a client): the server closes TCP.
                ReadResult read;
                try
                {
                    read = await transport.Input.ReadAsync(timer.Token);
                }
                catch (OperationCanceledException)   // ct: abort (a drain's deadline, say); else our timer ran out
                {
                    action = ct.IsCancellationRequested ? CloseHandshakeAction.CloseTransport : handshake.ReportTimeout();
                    continue;
                }

                if (read.IsCanceled && registration != null && !handshake.IsCloseSent)   // a drain's turn (below)
                {
                    transport.Input.AdvanceTo(read.Buffer.Start);
                    action = handshake.WriteClose(close, registration.CloseStatus, registration.StatusDescription, out int length);
                    await transport.Output.WriteAsync(close.AsMemory(0, length), ct);
                    timer.CancelAfter(timeout);
                    continue;
                }

                ReadOnlySequence<byte> buffer = read.Buffer;
                int consumed;
                if (!handshake.CanReceiveData || CloseFrame.IsCloseFrame(buffer))   // the opcode, past empty segments
                {
                    action = handshake.ReceiveCloseFrame(buffer, out consumed);   // never throws
                }
                else if (!TryReadDataFrame(buffer, out consumed))                  // the stack's own: data, ping, pong
                {
                    action = handshake.Fail(WebSocketCloseStatus.InvalidPayloadData, "text is not UTF-8");   // §8.1
                }

                if (consumed == 0 && read.IsCompleted)
                {
                    action = CloseHandshakeAction.CloseTransport;   // end of stream
                }

                transport.Input.AdvanceTo(buffer.GetPosition(consumed), consumed == 0 ? buffer.End : buffer.GetPosition(consumed));
            }
        }
    }

#nullable restore

    public static async Task ServeTrackedAsync(WebSocketDrain drain, CloseHandshake handshake, IDuplexPipe transport, TimeSpan timeout, CancellationToken ct)
    {
        using (WebSocketDrainRegistration registration = drain.Track(handshake))   // leaves the set when TCP closes
        using (registration.CloseRequested.Register(() => transport.Input.CancelPendingRead()))   // its turn: the loop closes
        using (var aborted = CancellationTokenSource.CreateLinkedTokenSource(ct, registration.AbortRequested))   // its deadline
        {
            await ReadLoopAsync(handshake, transport, timeout, aborted.Token, registration);
        }
    }

    public static async Task<CloseHandshake> ClientClosesAsync(IDuplexPipe transport, CancellationToken ct)
    {
        var client = new CloseHandshake(WebSocketRole.Client);
        byte[] close = new byte[CloseFrame.MaxLength];
        client.WriteClose(close, WebSocketCloseStatus.NormalClosure, "bye", out int length);
        await transport.Output.WriteAsync(close.AsMemory(0, length), ct);
        await ReadLoopAsync(client, transport, TimeSpan.FromSeconds(5), ct);
        // client.CloseStatus (1005: none given, 1006: TCP closed first), CloseStatusDescription, WasClean, Initiator (§7.1.4–7.1.6)
        return client;
    }

    /// <summary>
    /// The stack's own frame reader, which the README leaves out: one unfragmented frame with a payload under 126 bytes
    /// (RFC 6455 §5.2), masked or not; false for a text frame that is not UTF-8. Data frames, pings and pongs are dropped.
    /// </summary>
    private static bool TryReadDataFrame(in ReadOnlySequence<byte> buffer, out int consumed)
    {
        consumed = 0;
        if (buffer.Length < 2)
        {
            return true;
        }

        byte[] bytes = buffer.Slice(0, Math.Min(buffer.Length, 2 + 4 + 125)).ToArray();
        int keyLength = (bytes[1] & 0x80) != 0 ? 4 : 0;
        int length = bytes[1] & 0x7F;
        if (bytes.Length < 2 + keyLength + length)
        {
            return true;
        }

        consumed = 2 + keyLength + length;
        byte[] payload = bytes[(2 + keyLength)..consumed];
        for (int i = 0; i < payload.Length && keyLength != 0; i++)
        {
            payload[i] ^= bytes[2 + (i % 4)];
        }

        return (bytes[0] & 0x0F) != 0x1 || Utf8.IsValid(payload);
    }
}
