using System;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace WebSockets.CloseStatus.Internal;

/// <summary>Throws <see cref="WebSocketExtensions.RelayCloseAsync(System.Net.WebSockets.WebSocket, System.Net.WebSockets.WebSocket, System.Threading.CancellationToken)"/>'s exception for a caller mistake; <see cref="WebSocketStreamRelay"/>'s own are in its file, which is not mutated, as only its tests reach them.</summary>
internal static class RelayThrowHelper
{
    [DoesNotReturn]
    public static void ThrowSourceOpen(string state, string paramName) =>
        throw new ArgumentException(
            string.Format(CultureInfo.InvariantCulture, "The source WebSocket has not closed (its State is {0}): relay its close once a Close message arrived or the connection ended.", state),
            paramName);
}
