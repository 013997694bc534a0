using System;

namespace WebSockets.CloseStatus;

/// <summary>What <see cref="CloseFrame.Read(ReadOnlySpan{byte}, WebSocketRole, Span{byte}, out CloseFrameReadResult)"/> and the other frame readers found.</summary>
/// <remarks>Every member is zero or default unless its description says when it is set.</remarks>
public readonly ref struct CloseFrameReadResult
{
    internal CloseFrameReadResult(CloseFrameError error, int bytesConsumed, int bytesNeeded, int destinationLengthNeeded, WebSocketCloseStatus status, ReadOnlySpan<byte> utf8Reason)
    {
        Error = error;
        BytesConsumed = bytesConsumed;
        BytesNeeded = bytesNeeded;
        DestinationLengthNeeded = destinationLengthNeeded;
        Status = status;
        Utf8Reason = utf8Reason;
    }

    /// <summary>Gets why the frame is malformed, set when the read returned <see cref="System.Buffers.OperationStatus.InvalidData"/>.</summary>
    public CloseFrameError Error { get; }

    /// <summary>Gets the length of the whole frame, header included, set when the read returned <see cref="System.Buffers.OperationStatus.Done"/>.</summary>
    public int BytesConsumed { get; }

    /// <summary>Gets the least number of further input bytes to receive before reading again, set when the read returned <see cref="System.Buffers.OperationStatus.NeedMoreData"/>.</summary>
    public int BytesNeeded { get; }

    /// <summary>Gets the destination length the payload needs, set when the read returned <see cref="System.Buffers.OperationStatus.DestinationTooSmall"/>.</summary>
    public int DestinationLengthNeeded { get; }

    /// <summary>Gets the status (<see cref="WebSocketCloseStatus.Empty"/> for an empty payload), set when the read returned <see cref="System.Buffers.OperationStatus.Done"/>.</summary>
    public WebSocketCloseStatus Status { get; }

    /// <summary>Gets the UTF-8 reason, unmasked, as a slice of the source or destination buffer, set when the read returned <see cref="System.Buffers.OperationStatus.Done"/>.</summary>
    public ReadOnlySpan<byte> Utf8Reason { get; }
}
