using System;
using System.Buffers;
using WebSockets.CloseStatus.Internal;

namespace WebSockets.CloseStatus;

public sealed partial class CloseHandshake
{
    /// <summary>Reports a close frame's payload, already unmasked, that arrived from the peer (RFC 6455 §5.5.1, §7.1.3).</summary>
    /// <param name="payload">The payload: untrusted bytes are fine.</param>
    /// <returns>
    /// <see cref="OperationStatus.Done"/> for a well-formed payload: a reply is then due unless this endpoint sent its close first.
    /// <see cref="OperationStatus.InvalidData"/> for a malformed one: the connection has failed with 1002, or 1007 for a reason
    /// that is not UTF-8 (§7.1.7), as if no close frame had arrived; see <see cref="PeerCloseError"/>.
    /// Once <see cref="CanReceiveData"/> is <see langword="false"/> (the peer's close arrived, the connection failed or the transport
    /// closed), the payload is discarded: <see cref="OperationStatus.Done"/>, and nothing changes (§5.5.1, §7.1.7).
    /// </returns>
    public OperationStatus ReceiveClose(ReadOnlySpan<byte> payload)
    {
        if (!CanReceiveData)
        {
            return OperationStatus.Done;
        }

        CloseFrameError error = ClosePayload.ReadCore(payload, ReadMode == ClosePayloadReadMode.Lenient, out WebSocketCloseStatus status, out ReadOnlySpan<byte> utf8Reason);
        if (error != CloseFrameError.None)
        {
            FailCore(error.ToCloseStatus(), error);
            return OperationStatus.InvalidData;
        }

        Accept(status, utf8Reason);
        return OperationStatus.Done;
    }

    /// <summary>Reports the bytes of a close frame, header included, that arrived from the peer, unmasking a client's frame (RFC 6455 §5.2, §5.5.1, §7.1.3).</summary>
    /// <param name="source">The received bytes, starting at a frame whose opcode is close (0x8); untrusted bytes are fine. Bytes after the frame are ignored.</param>
    /// <param name="bytesConsumed">When this method returns, the length of the frame after <see cref="OperationStatus.Done"/>, or all of <paramref name="source"/> once it is discarded; otherwise 0.</param>
    /// <returns>
    /// <see cref="OperationStatus.Done"/> for a well-formed close frame; <see cref="OperationStatus.NeedMoreData"/> when <paramref name="source"/>
    /// ends before the frame does (nothing changes); <see cref="OperationStatus.InvalidData"/> for a malformed one, which fails the connection as
    /// <see cref="ReceiveClose(ReadOnlySpan{byte})"/> describes (a fragmented close, reserved bits or wrong masking among them: 1002).
    /// Once <see cref="CanReceiveData"/> is <see langword="false"/>, whatever the bytes are, they are discarded: <see cref="OperationStatus.Done"/>,
    /// <paramref name="bytesConsumed"/> is their length, and nothing changes (§5.5.1, §7.1.7).
    /// </returns>
    /// <exception cref="ArgumentException"><paramref name="source"/> starts with a frame of another opcode while the peer is read, which the stack must handle itself.</exception>
    public OperationStatus ReceiveCloseFrame(ReadOnlySpan<byte> source, out int bytesConsumed)
    {
        if (!CanReceiveData)
        {
            bytesConsumed = source.Length;
            return OperationStatus.Done;
        }

        OperationStatus status = CloseFrame.Read(source, Role, _reason, out CloseFrameReadResult frame, ReadMode);
        if (frame.Error == CloseFrameError.NotCloseFrame)
        {
            ThrowHelper.ThrowNotCloseFrame(source[0] & 0x0F, nameof(source));
        }

        return Complete(status, frame, out bytesConsumed);
    }

    /// <summary>Reports a close frame that arrived from the peer and may span several segments, such as a <c>PipeReader</c>'s buffer.</summary>
    /// <param name="source">The received bytes, starting at a frame whose opcode is close (0x8); untrusted bytes are fine. Bytes after the frame are ignored.</param>
    /// <param name="bytesConsumed">When this method returns, the length of the frame after <see cref="OperationStatus.Done"/>, or all of <paramref name="source"/> (at most <see cref="int.MaxValue"/>) once it is discarded; otherwise 0.</param>
    /// <returns>What <see cref="ReceiveCloseFrame(ReadOnlySpan{byte}, out int)"/> returns for the same bytes, however they are split into segments.</returns>
    /// <exception cref="ArgumentException"><paramref name="source"/> starts with a frame of another opcode while the peer is read, which the stack must handle itself.</exception>
    public OperationStatus ReceiveCloseFrame(scoped in ReadOnlySequence<byte> source, out int bytesConsumed)
    {
        if (!CanReceiveData)
        {
            bytesConsumed = (int)Math.Min(source.Length, int.MaxValue);
            return OperationStatus.Done;
        }

        OperationStatus status = CloseFrame.Read(source, Role, _reason, out CloseFrameReadResult frame, ReadMode);
        if (frame.Error == CloseFrameError.NotCloseFrame)
        {
            ThrowHelper.ThrowNotCloseFrame(FirstByte(source) & 0x0F, nameof(source));
        }

        return Complete(status, frame, out bytesConsumed);
    }

    /// <summary>The first byte of a sequence whose first segments may be empty; a NotCloseFrame verdict means there is one.</summary>
    private static int FirstByte(scoped in ReadOnlySequence<byte> source)
    {
        Span<byte> first = stackalloc byte[1];
        source.Slice(0, 1).CopyTo(first);
        return first[0];
    }

    private OperationStatus Complete(OperationStatus status, scoped in CloseFrameReadResult frame, out int bytesConsumed)
    {
        bytesConsumed = 0;
        switch (status)
        {
            case OperationStatus.Done:
                Accept(frame.Status, new ReadOnlySpan<byte>(_reason, 0, frame.ReasonLength));
                bytesConsumed = frame.BytesConsumed;
                return status;

            case OperationStatus.InvalidData:
                FailCore(frame.Error.ToCloseStatus(), frame.Error);
                return status;

            default:
                // NeedMoreData; a ClosePayload.MaxLength destination is never too small.
                return status;
        }
    }

    private void Accept(WebSocketCloseStatus status, ReadOnlySpan<byte> utf8Reason)
    {
        utf8Reason.CopyTo(_reason); // a frame's reason was read into _reason already: then this copies it onto itself
        _reasonLength = utf8Reason.Length;
        _receivedStatus = status;
        Set(Flags.Received, CloseInitiator.Remote);
    }
}
