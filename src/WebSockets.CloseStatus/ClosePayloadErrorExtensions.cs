using WebSockets.CloseStatus.Internal;

namespace WebSockets.CloseStatus;

/// <summary>Maps a <see cref="ClosePayloadError"/> to the close status to answer with.</summary>
public static class ClosePayloadErrorExtensions
{
    /// <summary>Gets the status to send in the close frame that answers a malformed payload.</summary>
    /// <param name="error">The error that <see cref="ClosePayload.Read(System.ReadOnlySpan{byte}, out WebSocketCloseStatus, out System.ReadOnlySpan{byte})"/> returned.</param>
    /// <returns><see cref="WebSocketCloseStatus.InvalidPayloadData"/> (1007) for <see cref="ClosePayloadError.InvalidUtf8"/> (RFC 6455 §8.1); otherwise, <see cref="WebSocketCloseStatus.ProtocolError"/> (1002).</returns>
    /// <exception cref="System.ArgumentOutOfRangeException"><paramref name="error"/> is <see cref="ClosePayloadError.None"/> or not a defined value.</exception>
    public static WebSocketCloseStatus ToCloseStatus(this ClosePayloadError error)
    {
        switch (error)
        {
            case ClosePayloadError.TooShort:
            case ClosePayloadError.TooLong:
            case ClosePayloadError.InvalidStatus:
                return WebSocketCloseStatus.ProtocolError;
            case ClosePayloadError.InvalidUtf8:
                return WebSocketCloseStatus.InvalidPayloadData;
            default:
                ThrowHelper.ThrowNoStatusForError(error);
                return default;
        }
    }
}
