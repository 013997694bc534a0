using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace WebSockets.CloseStatus.Internal;

/// <summary>The library's meter and its two instruments; every tag value is a cached string or boxed value, so a measurement allocates nothing beyond the listener's own work.</summary>
internal static class CloseMetrics
{
    private static readonly Meter s_meter = new(WebSocketCloseMetrics.MeterName, typeof(CloseMetrics).Assembly.GetName().Version?.ToString(3));

    // The registered codes by number; 3000-3999 (registered with IANA by libraries and frameworks) and 4000-4999
    // (private use, each application's own) as one value each; anything else, which a valid close frame cannot carry, as one.
    private static readonly string[] s_registered =
    [
        "1000", "1001", "1002", "1003", "1004", "1005", "1006", "1007",
        "1008", "1009", "1010", "1011", "1012", "1013", "1014", "1015",
    ];

    private static readonly object s_true = true;
    private static readonly object s_false = false;

    internal static readonly Counter<long> Closes = s_meter.CreateCounter<long>(
        WebSocketCloseMetrics.ClosesCounterName,
        "{close}",
        "The number of WebSocket connections that ended.");

#if NET9_0_OR_GREATER
    // The boundaries OpenTelemetry advises for request durations, and 30 s for long close timeouts; the OpenTelemetry SDK's
    // default ones (0-10000) suit milliseconds. netstandard2.0's System.Diagnostics.DiagnosticSource 6.0 has no advice.
    internal static readonly Histogram<double> Duration = s_meter.CreateHistogram<double>(
        WebSocketCloseMetrics.DurationHistogramName,
        "s",
        DurationDescription,
        tags: null,
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10, 30] });
#else
    internal static readonly Histogram<double> Duration = s_meter.CreateHistogram<double>(
        WebSocketCloseMetrics.DurationHistogramName,
        "s",
        DurationDescription);
#endif

    private const string DurationDescription = "The time from the start of a WebSocket connection's closing (a close frame sent or received, or a failure) to its end.";

    /// <summary>Gets whether a listener has enabled either instrument.</summary>
    internal static bool Enabled => Closes.Enabled || Duration.Enabled;

    /// <summary>The moment closing starts, read from the clock only while the histogram is enabled; 0 otherwise.</summary>
    internal static long Timestamp() => Duration.Enabled ? Stopwatch.GetTimestamp() : 0;

    internal static string CodeTag(WebSocketCloseStatus status) => (int)status switch
    {
        >= 1000 and <= 1015 => s_registered[(int)status - 1000],
        >= 3000 and <= 3999 => "3xxx",
        >= 4000 and <= 4999 => "4xxx",
        _ => "other",
    };

    internal static string InitiatorTag(CloseInitiator? initiator) => initiator switch
    {
        CloseInitiator.Local => "local",
        CloseInitiator.Remote => "remote",
        CloseInitiator.None => "none",
        _ => "unknown",
    };

    internal static string OutcomeTag(CloseOutcome outcome) => outcome switch
    {
        CloseOutcome.Clean => "clean",
        CloseOutcome.TimedOut => "timed_out",
        CloseOutcome.Aborted => "aborted",
        _ => "no_close_frame",
    };

    /// <summary>Counts one ended connection and, if its closing started while the histogram was enabled, records how long closing took.</summary>
    /// <param name="role">This endpoint's role.</param>
    /// <param name="code">The connection close code (RFC 6455 §7.1.5).</param>
    /// <param name="initiator">Who started closing; <see langword="null"/> if unknown.</param>
    /// <param name="outcome">How the connection ended.</param>
    /// <param name="closingStarted">What <see cref="Timestamp"/> returned when closing started; 0 if it did not start or was not timed.</param>
    internal static void Record(WebSocketRole role, WebSocketCloseStatus code, CloseInitiator? initiator, CloseOutcome outcome, long closingStarted)
    {
        var tags = new TagList
        {
            { WebSocketCloseMetrics.CodeTagName, CodeTag(code) },
            { WebSocketCloseMetrics.InitiatorTagName, InitiatorTag(initiator) },
            { WebSocketCloseMetrics.CleanTagName, outcome == CloseOutcome.Clean ? s_true : s_false },
            { WebSocketCloseMetrics.OutcomeTagName, OutcomeTag(outcome) },
            { WebSocketCloseMetrics.RoleTagName, role == WebSocketRole.Client ? "client" : "server" },
        };
        Closes.Add(1, in tags);
        if (closingStarted != 0)
        {
            Duration.Record((Stopwatch.GetTimestamp() - closingStarted) / (double)Stopwatch.Frequency, in tags);
        }
    }
}
