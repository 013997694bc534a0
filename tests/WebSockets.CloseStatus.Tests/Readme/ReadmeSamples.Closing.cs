// The README's "Closing a connection correctly" examples, verbatim (see ReadmeSamples.cs).
using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using WebSockets.CloseStatus;

namespace ReadmeSamples;

/// <summary>The stack's own frame reader, which the README leaves out.</summary>
public interface IFrameReader
{
    /// <summary>One whole frame as received (header included), or null at end of stream; throws <see cref="TimeoutException"/> after <paramref name="timeout"/>.</summary>
    Task<byte[]?> ReadFrameAsync(TimeSpan timeout, CancellationToken ct);

    /// <summary>Hands a data frame or a ping to the rest of the stack.</summary>
    void Deliver(byte[] frame);
}

public static class ClosingSamples
{
    // After every event, do what the handshake asks, until TCP is closed. The same loop serves both roles.
    public static async Task CloseLoopAsync(CloseHandshake handshake, Stream stream, IFrameReader frames, CancellationToken ct)
    {
        byte[] close = new byte[CloseFrame.MaxLength];
        while (handshake.State != CloseHandshakeState.Closed)
        {
            switch (handshake.Action)
            {
                case CloseHandshakeAction.SendClose:        // the echo of the peer's status, or 1002/1007 after a malformed close
                    await stream.WriteAsync(close.AsMemory(0, handshake.WriteClose(close)), ct);
                    continue;
                case CloseHandshakeAction.CloseTransport:   // a server once close frames went both ways; anyone after a failure
                    stream.Close();
                    handshake.ReportTransportClosed();
                    continue;
            }

            // None: read on. AwaitClose: read on, data may still come. AwaitTransportClose (a client): the server closes TCP.
            bool waiting = handshake.Action != CloseHandshakeAction.None;
            byte[]? frame;
            try
            {
                frame = await frames.ReadFrameAsync(waiting ? TimeSpan.FromSeconds(5) : Timeout.InfiniteTimeSpan, ct);
            }
            catch (TimeoutException) when (waiting)
            {
                handshake.ReportTimeout();                   // the next action is CloseTransport
                continue;
            }

            if (frame is null)
            {
                handshake.ReportTransportClosed();           // end of stream: 1006 unless a close frame came first
            }
            else if ((frame[0] & 0x0F) == 0x8)
            {
                handshake.ReceiveCloseFrame(frame, out _);   // never throws; a malformed close fails the connection
            }
            else if (handshake.CanReceiveData)
            {
                frames.Deliver(frame);                       // data and pings, as before
            }
        }
    }

    public static async Task<(CloseHandshake Server, CloseHandshake Client)> UseAsync(
        Stream stream, IFrameReader frames, Stream clientStream, IFrameReader clientFrames, CancellationToken ct)
    {
        // A server: when the peer closes, the loop echoes its status and closes TCP.
        var handshake = new CloseHandshake(WebSocketRole.Server);
        await CloseLoopAsync(handshake, stream, frames, ct);
        // handshake.CloseStatus: the peer's code, 1005 if it had none, 1006 if TCP closed first (RFC 6455 §7.1.5);
        // handshake.WasClean, handshake.Initiator, handshake.GetCloseReason(): the rest of what happened

        // A client that closes: its close frame (masked), then the same loop.
        var client = new CloseHandshake(WebSocketRole.Client);
        byte[] close = new byte[CloseFrame.MaxLength];
        await clientStream.WriteAsync(close.AsMemory(0, client.WriteClose(close, WebSocketCloseStatus.NormalClosure, "bye")), ct);
        await CloseLoopAsync(client, clientStream, clientFrames, ct);
        return (handshake, client);
    }

    public static void FailOnBadText(CloseHandshake handshake)
    {
        // The stack found a problem itself, such as a text message that is not UTF-8 (RFC 6455 §8.1):
        handshake.Fail(WebSocketCloseStatus.InvalidPayloadData);   // the loop then sends 1007 and closes TCP at once
    }
}
