using System;
using System.Collections.Generic;
using System.Diagnostics.Metrics;
using System.Linq;
using System.Threading;

namespace WebSockets.CloseStatus.Tests.TestData;

/// <summary>One measurement of the library's meter: the instrument, the value and the tags.</summary>
public sealed record Measured(string Instrument, double Value, IReadOnlyDictionary<string, object?> Tags)
{
    public string Tag(string name) => Convert.ToString(Tags[name], System.Globalization.CultureInfo.InvariantCulture)!;
}

/// <summary>
/// A <see cref="MeterListener"/> on the library's meter that keeps only the measurements made in the flow of the test that
/// made it: a listener is process-wide, so closes of other tests (a closer's timer that fires late, a server of another
/// test) are told apart by an <see cref="AsyncLocal{T}"/> that flows into the library's tasks, timers and continuations
/// from the test's own calls. The tests that use it are one collection that runs alone, so that which instruments are
/// enabled is what this listener enabled.
/// </summary>
public sealed class MetricsRecorder : IDisposable
{
    private static readonly AsyncLocal<MetricsRecorder?> s_current = new();

    private readonly MeterListener _listener = new();
    private readonly List<Measured> _measured = [];

    /// <param name="counter">Whether to enable the counter of closes.</param>
    /// <param name="histogram">Whether to enable the histogram of durations.</param>
    public MetricsRecorder(bool counter = true, bool histogram = true)
    {
        s_current.Value = this;   // in a synchronous method, so it stays set in the calling test's flow
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == WebSocketCloseMetrics.MeterName
                && ((counter && instrument.Name == WebSocketCloseMetrics.ClosesCounterName)
                    || (histogram && instrument.Name == WebSocketCloseMetrics.DurationHistogramName)))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Add(instrument, value, tags));
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Add(instrument, value, tags));
        _listener.Start();
    }

    /// <summary>Gets the measurements of the counter of closes so far.</summary>
    public Measured[] Closes => Of(WebSocketCloseMetrics.ClosesCounterName);

    /// <summary>Gets the measurements of the histogram of durations so far.</summary>
    public Measured[] Durations => Of(WebSocketCloseMetrics.DurationHistogramName);

    public void Dispose()
    {
        _listener.Dispose();
        s_current.Value = null;
    }

    private Measured[] Of(string instrument)
    {
        lock (_measured)
        {
            return [.. _measured.Where(m => m.Instrument == instrument)];
        }
    }

    private void Add(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (s_current.Value != this)
        {
            return;
        }

        var copy = new Dictionary<string, object?>();
        foreach (KeyValuePair<string, object?> tag in tags)
        {
            copy.Add(tag.Key, tag.Value);
        }

        lock (_measured)
        {
            _measured.Add(new Measured(instrument.Name, value, copy));
        }
    }
}
