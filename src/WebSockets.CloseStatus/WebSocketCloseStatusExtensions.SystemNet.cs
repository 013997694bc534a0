using WebSockets.CloseStatus.Internal;
using SystemNetCloseStatus = System.Net.WebSockets.WebSocketCloseStatus;

namespace WebSockets.CloseStatus;

public static partial class WebSocketCloseStatusExtensions
{
    /// <summary>Converts <paramref name="status"/> to the <see cref="System.Net.WebSockets.WebSocketCloseStatus"/> with the same number.</summary>
    /// <param name="status">The status to convert; any 16-bit value.</param>
    /// <returns>The System.Net value with the same number; the conversion is lossless.</returns>
    public static SystemNetCloseStatus ToSystemNet(this WebSocketCloseStatus status) => (SystemNetCloseStatus)(int)status;

    /// <summary>Converts a <see cref="System.Net.WebSockets.WebSocketCloseStatus"/> to the <see cref="WebSocketCloseStatus"/> with the same number.</summary>
    /// <param name="status">The System.Net status to convert.</param>
    /// <returns>The status with the same number; the conversion is lossless.</returns>
    /// <exception cref="System.ArgumentOutOfRangeException"><paramref name="status"/> is outside 0–65535, so it is no close code.</exception>
    public static WebSocketCloseStatus ToCloseStatus(this SystemNetCloseStatus status)
    {
        int value = (int)status;
        if ((uint)value > ushort.MaxValue)
        {
            ThrowHelper.ThrowCodeOutOfRange(value, nameof(status));
        }

        return (WebSocketCloseStatus)value;
    }

    /// <summary>Converts a nullable System.Net status, such as <see cref="System.Net.WebSockets.WebSocketReceiveResult.CloseStatus"/>, to a nullable <see cref="WebSocketCloseStatus"/> with the same number.</summary>
    /// <param name="status">The System.Net status to convert, or <see langword="null"/>.</param>
    /// <returns>The status with the same number, or <see langword="null"/> when <paramref name="status"/> is <see langword="null"/>.</returns>
    /// <exception cref="System.ArgumentOutOfRangeException"><paramref name="status"/> is outside 0–65535, so it is no close code.</exception>
    public static WebSocketCloseStatus? ToCloseStatus(this SystemNetCloseStatus? status) =>
        status.HasValue ? ToCloseStatus(status.GetValueOrDefault()) : null;
}
