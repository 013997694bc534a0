using System;
using System.Collections.Generic;
using System.Globalization;

namespace WebSockets.CloseStatus;

/// <summary>What a <see cref="WebSocketDrain"/> did: how many connections it closed, and how each close ended.</summary>
public sealed class WebSocketDrainReport
{
    internal WebSocketDrainReport(int clean, int remoteFirst, int timedOut, int aborted, TimeSpan elapsed, IReadOnlyList<WebSocketCloseResult> results)
    {
        Clean = clean;
        RemoteFirst = remoteFirst;
        TimedOut = timedOut;
        Aborted = aborted;
        Elapsed = elapsed;
        Results = results;
    }

    /// <summary>Gets how many connections the drain closed: <see cref="Clean"/> + <see cref="TimedOut"/> + <see cref="Aborted"/>.</summary>
    public int Total => Clean + TimedOut + Aborted;

    /// <summary>Gets how many closed cleanly: close frames went both ways (<see cref="WebSocketCloseResult.WasClean"/>).</summary>
    public int Clean { get; }

    /// <summary>Gets how many of the clean ones the client had closed first, before its turn came.</summary>
    public int RemoteFirst { get; }

    /// <summary>Gets how many were aborted because the client did not answer within its closer's timeout.</summary>
    public int TimedOut { get; }

    /// <summary>Gets how many ended otherwise unclean: a dropped connection, or aborted at the drain's deadline.</summary>
    public int Aborted { get; }

    /// <summary>Gets how long the drain took.</summary>
    public TimeSpan Elapsed { get; }

    /// <summary>Gets each connection's result when <see cref="WebSocketDrainOptions.KeepResults"/> asked for them; otherwise empty.</summary>
    public IReadOnlyList<WebSocketCloseResult> Results { get; }

    /// <summary>Returns the counts in one line, as a log wants them.</summary>
    /// <returns>For example <c>1000 connections in 2.1 s: 990 clean (3 closed by the client first), 8 timed out, 2 aborted</c>.</returns>
    public override string ToString() => string.Format(
        CultureInfo.InvariantCulture,
        "{0} {1} in {2:0.0} s: {3} clean ({4} closed by the client first), {5} timed out, {6} aborted",
        Total,
        Total == 1 ? "connection" : "connections",
        Elapsed.TotalSeconds,
        Clean,
        RemoteFirst,
        TimedOut,
        Aborted);
}
