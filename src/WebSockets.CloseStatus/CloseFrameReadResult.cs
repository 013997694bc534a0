using System;

namespace WebSockets.CloseStatus;

/// <summary>What <see cref="CloseFrame.Read(ReadOnlySpan{byte}, WebSocketRole, Span{byte}, out CloseFrameReadResult, ClosePayloadReadMode)"/> and the other frame readers found.</summary>
/// <remarks>
/// Every member is zero or default unless its description says when it is set. A plain value, usable across an <see langword="await"/>:
/// the reason is not held here, but located in the caller's buffer by <see cref="ReasonOffset"/> and <see cref="ReasonLength"/>.
/// </remarks>
public readonly struct CloseFrameReadResult
{
    internal CloseFrameReadResult(CloseFrameError error, int bytesConsumed, int bytesNeeded, int destinationLengthNeeded, WebSocketCloseStatus status, int reasonOffset, int reasonLength)
    {
        Error = error;
        BytesConsumed = bytesConsumed;
        BytesNeeded = bytesNeeded;
        DestinationLengthNeeded = destinationLengthNeeded;
        Status = status;
        ReasonOffset = reasonOffset;
        ReasonLength = reasonLength;
    }

    /// <summary>Gets why the frame is malformed, set when the read returned <see cref="System.Buffers.OperationStatus.InvalidData"/>.</summary>
    public CloseFrameError Error { get; }

    /// <summary>Gets the length of the whole frame, header included, set when the read returned <see cref="System.Buffers.OperationStatus.Done"/>.</summary>
    public int BytesConsumed { get; }

    /// <summary>Gets the least number of further input bytes to receive before reading again, set when the read returned <see cref="System.Buffers.OperationStatus.NeedMoreData"/>.</summary>
    public int BytesNeeded { get; }

    /// <summary>Gets the destination length the reason needs, set when the read returned <see cref="System.Buffers.OperationStatus.DestinationTooSmall"/>.</summary>
    public int DestinationLengthNeeded { get; }

    /// <summary>Gets the status (<see cref="WebSocketCloseStatus.Empty"/> for an empty payload), set when the read returned <see cref="System.Buffers.OperationStatus.Done"/>.</summary>
    public WebSocketCloseStatus Status { get; }

    /// <summary>Gets where the UTF-8 reason, unmasked, starts: 0 in the destination of a <c>Read</c>, after the status in the source of a <c>ReadInPlace</c>; set when the read returned <see cref="System.Buffers.OperationStatus.Done"/>.</summary>
    public int ReasonOffset { get; }

    /// <summary>Gets the length in bytes of the UTF-8 reason at <see cref="ReasonOffset"/> (0 when there is none), set when the read returned <see cref="System.Buffers.OperationStatus.Done"/>.</summary>
    public int ReasonLength { get; }
}
