using System;
using System.Buffers;
using WebSockets.CloseStatus.Internal;

namespace WebSockets.CloseStatus;

public sealed partial class CloseHandshake
{
    /// <summary>Reports a close frame's payload, already unmasked, that arrived from the peer (RFC 6455 §5.5.1, §7.1.3).</summary>
    /// <param name="payload">The payload: untrusted bytes are fine.</param>
    /// <returns>
    /// What to do next. For a well-formed payload: <see cref="CloseHandshakeAction.SendClose"/> (the reply is due) or, after this endpoint's
    /// own close, <see cref="CloseHandshakeAction.CloseTransport"/> for a server and <see cref="CloseHandshakeAction.AwaitTransportClose"/> for
    /// a client (§7.1.1). A malformed payload fails the connection with 1002, or 1007 for a reason that is not UTF-8 (§7.1.7), as if no close
    /// frame had arrived (see <see cref="PeerCloseError"/>): <see cref="CloseHandshakeAction.SendClose"/> for the failure's close, or
    /// <see cref="CloseHandshakeAction.CloseTransport"/> after this endpoint's own close. Once <see cref="CanReceiveData"/> is
    /// <see langword="false"/> (the peer's close arrived, the connection failed or the transport closed), the payload is discarded, nothing
    /// changes, and the current action is returned (§5.5.1, §7.1.7).
    /// </returns>
    public CloseHandshakeAction ReceiveClose(ReadOnlySpan<byte> payload)
    {
        if (CanReceiveData)
        {
            CloseFrameError error = ClosePayload.ReadCore(payload, ReadMode == ClosePayloadReadMode.Lenient, out WebSocketCloseStatus status, out ReadOnlySpan<byte> utf8Reason);
            if (error == CloseFrameError.None)
            {
                Accept(status, utf8Reason);
            }
            else
            {
                FailCore(error.ToCloseStatus(), error, null);
            }
        }

        return Action;
    }

    /// <summary>Reports the bytes of a close frame, header included, that arrived from the peer, unmasking a client's frame (RFC 6455 §5.2, §5.5.1, §7.1.3).</summary>
    /// <param name="source">The received bytes, starting at a frame whose opcode is close (0x8); untrusted bytes are fine. Bytes after the frame are left alone.</param>
    /// <param name="bytesConsumed">
    /// When this method returns, the number of bytes of <paramref name="source"/> taken: the frame's length once it was read, all of
    /// <paramref name="source"/> once it was malformed or discarded, and 0 when <paramref name="source"/> ends before the frame does:
    /// then read more and call again with the bytes from the same start.
    /// </param>
    /// <returns>
    /// What to do next, as <see cref="ReceiveClose(ReadOnlySpan{byte})"/> returns it for the frame's payload; a malformed frame (a fragmented
    /// close, reserved bits or wrong masking among them) fails the connection with 1002. While the frame is incomplete nothing changes and the
    /// current action is returned. Once <see cref="CanReceiveData"/> is <see langword="false"/>, whatever the bytes are, they are discarded:
    /// nothing changes, and the current action is returned (§5.5.1, §7.1.7).
    /// </returns>
    /// <exception cref="ArgumentException"><paramref name="source"/> starts with a frame of another opcode while the peer is read, which the stack must handle itself.</exception>
    public CloseHandshakeAction ReceiveCloseFrame(ReadOnlySpan<byte> source, out int bytesConsumed)
    {
        if (!CanReceiveData)
        {
            bytesConsumed = source.Length;
            return Action;
        }

        OperationStatus status = CloseFrame.Read(source, Role, _reason, out CloseFrameReadResult frame, ReadMode);
        if (frame.Error == CloseFrameError.NotCloseFrame)
        {
            ThrowHelper.ThrowNotCloseFrame(source[0] & 0x0F, nameof(source));
        }

        bytesConsumed = Complete(status, frame, source.Length);
        return Action;
    }

    /// <summary>Reports a close frame that arrived from the peer and may span several segments, such as a <c>PipeReader</c>'s buffer.</summary>
    /// <param name="source">The received bytes, starting at a frame whose opcode is close (0x8); untrusted bytes are fine. Bytes after the frame are left alone.</param>
    /// <param name="bytesConsumed">
    /// When this method returns, the number of bytes of <paramref name="source"/> taken: the frame's length once it was read, all of
    /// <paramref name="source"/> (at most <see cref="int.MaxValue"/>) once it was malformed or discarded, and 0 when <paramref name="source"/>
    /// ends before the frame does: then read more and call again with the bytes from the same start.
    /// </param>
    /// <returns>What <see cref="ReceiveCloseFrame(ReadOnlySpan{byte}, out int)"/> returns for the same bytes, however they are split into segments.</returns>
    /// <exception cref="ArgumentException"><paramref name="source"/> starts with a frame of another opcode while the peer is read, which the stack must handle itself.</exception>
    public CloseHandshakeAction ReceiveCloseFrame(scoped in ReadOnlySequence<byte> source, out int bytesConsumed)
    {
        int length = (int)Math.Min(source.Length, int.MaxValue);
        if (!CanReceiveData)
        {
            bytesConsumed = length;
            return Action;
        }

        OperationStatus status = CloseFrame.Read(source, Role, _reason, out CloseFrameReadResult frame, ReadMode);
        if (frame.Error == CloseFrameError.NotCloseFrame)
        {
            ThrowHelper.ThrowNotCloseFrame(FirstByte(source) & 0x0F, nameof(source));
        }

        bytesConsumed = Complete(status, frame, length);
        return Action;
    }

    /// <summary>The first byte of a sequence whose first segments may be empty; a NotCloseFrame verdict means there is one.</summary>
    private static int FirstByte(scoped in ReadOnlySequence<byte> source)
    {
        Span<byte> first = stackalloc byte[1];
        source.Slice(0, 1).CopyTo(first);
        return first[0];
    }

    /// <summary>Acts on a frame read's verdict; returns the bytes consumed.</summary>
    private int Complete(OperationStatus status, scoped in CloseFrameReadResult frame, int sourceLength)
    {
        switch (status)
        {
            case OperationStatus.Done:
                Accept(frame.Status, new ReadOnlySpan<byte>(_reason, 0, frame.ReasonLength));
                return frame.BytesConsumed;

            case OperationStatus.InvalidData:
                // The connection has failed: nothing more is read from the peer, so its bytes are discarded whole.
                FailCore(frame.Error.ToCloseStatus(), frame.Error, null);
                return sourceLength;

            default:
                // NeedMoreData; a ClosePayload.MaxLength destination is never too small.
                return 0;
        }
    }

    private void Accept(WebSocketCloseStatus status, ReadOnlySpan<byte> utf8Reason)
    {
        utf8Reason.CopyTo(_reason); // a frame's reason was read into _reason already: then this copies it onto itself
        _reasonLength = utf8Reason.Length;
        _receivedStatus = status;
        _description = null;
        Set(Flags.Received, CloseInitiator.Remote);
    }
}
