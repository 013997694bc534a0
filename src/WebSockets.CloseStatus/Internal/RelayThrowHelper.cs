using System;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace WebSockets.CloseStatus.Internal;

/// <summary>Throws the relay's exceptions for caller mistakes, as <see cref="ThrowHelper"/> does for the rest.</summary>
internal static class RelayThrowHelper
{
    [DoesNotReturn]
    public static void ThrowSameStream(string paramName) =>
        throw new ArgumentException("The client and the backend are the same stream; a relay copies between two connections.", paramName);

    [DoesNotReturn]
    public static void ThrowStreamNotDuplex(bool canRead, bool canWrite, string paramName) =>
        throw new ArgumentException(
            string.Format(CultureInfo.InvariantCulture, "A relayed stream must be read and written; this one has CanRead {0} and CanWrite {1}.", canRead, canWrite),
            paramName);

    [DoesNotReturn]
    public static void ThrowRunning() =>
        throw new InvalidOperationException("RunAsync was called already: one relay runs once; await its Completion.");

    [DoesNotReturn]
    public static void ThrowSourceOpen(string state, string paramName) =>
        throw new ArgumentException(
            string.Format(CultureInfo.InvariantCulture, "The source WebSocket has not closed (its State is {0}): relay its close once a Close message arrived or the connection ended.", state),
            paramName);
}
