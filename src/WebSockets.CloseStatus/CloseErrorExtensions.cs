using WebSockets.CloseStatus.Internal;

namespace WebSockets.CloseStatus;

/// <summary>Maps the errors of the payload and frame readers to the close status to answer with.</summary>
public static class CloseErrorExtensions
{
    /// <summary>Gets the status to send in the close frame that answers a malformed close payload or frame.</summary>
    /// <param name="error">The error that a <see cref="ClosePayload"/> or <see cref="CloseFrame"/> reader reported.</param>
    /// <returns><see cref="WebSocketCloseStatus.InvalidPayloadData"/> (1007) for <see cref="CloseFrameError.InvalidUtf8"/> (RFC 6455 §8.1); otherwise, <see cref="WebSocketCloseStatus.ProtocolError"/> (1002).</returns>
    /// <exception cref="System.ArgumentOutOfRangeException"><paramref name="error"/> is <see cref="CloseFrameError.None"/> or not a defined value.</exception>
    public static WebSocketCloseStatus ToCloseStatus(this CloseFrameError error)
    {
        // InvalidUtf8 is the last member: every error before it is a protocol error.
        if (error is <= CloseFrameError.None or > CloseFrameError.InvalidUtf8)
        {
            ThrowHelper.ThrowNoStatusForError(error);
        }

        return error == CloseFrameError.InvalidUtf8 ? WebSocketCloseStatus.InvalidPayloadData : WebSocketCloseStatus.ProtocolError;
    }
}
