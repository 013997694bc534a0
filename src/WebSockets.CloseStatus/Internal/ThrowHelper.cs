using System;
using System.Diagnostics.CodeAnalysis;

namespace WebSockets.CloseStatus.Internal;

/// <summary>Throws the exceptions for caller mistakes, so that the hot methods stay small.</summary>
internal static class ThrowHelper
{
    [DoesNotReturn]
    public static void ThrowSystemNetValueOutOfRange(int value, string paramName) =>
        throw new ArgumentOutOfRangeException(
            paramName,
            value,
            $"The close status {value} does not fit in 16 bits (0–65535), so it has no WebSocket close code.");
}
