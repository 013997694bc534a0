using System;
using System.Diagnostics.CodeAnalysis;
using System.Diagnostics.Metrics;
using BenchmarkDotNet.Attributes;

namespace WebSockets.CloseStatus.Benchmarks;

/// <summary>
/// What the metrics (issue #42) cost a connection's closing handshake: a server's whole cycle (the client's close, the
/// echo, the transport closed, the result) through CloseHandshake, with no listener on the library's meter and with a
/// MeterListener that enables both instruments (its callbacks do nothing). Without a listener nothing is measured and
/// nothing is allocated (0 B); with one, the clock is read twice and five tags go to each instrument on the stack.
/// </summary>
[MemoryDiagnoser]
[SuppressMessage("Reliability", "CA1001:Types that own disposable fields should be disposable", Justification = "BenchmarkDotNet's GlobalCleanup disposes the listener.")]
public class MetricsBenchmarks
{
    private readonly CloseHandshake _handshake = new(WebSocketRole.Server);
    private readonly byte[] _clientFrame = [0x88, 0x82, 0x12, 0x34, 0x56, 0x78, 0x03 ^ 0x12, 0xE8 ^ 0x34];
    private readonly byte[] _reply = new byte[CloseFrame.MaxLength];
    private MeterListener? _listener;
    private long _measurements;

    [Params(false, true)]
    public bool Listener { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        Workload.CheckLibraryBuild();
        if (!Listener)
        {
            return;
        }

        _listener = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == WebSocketCloseMetrics.MeterName)
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        _listener.SetMeasurementEventCallback<long>((_, _, _, _) => _measurements++);
        _listener.SetMeasurementEventCallback<double>((_, _, _, _) => _measurements++);
        _listener.Start();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _listener?.Dispose();
        if (Listener && _measurements == 0)
        {
            throw new InvalidOperationException("The listener saw no measurement: the benchmark measured nothing of the metrics.");
        }
    }

    /// <summary>A server's closing handshake from the client's close to the result, counted (and timed) when a listener is on.</summary>
    [Benchmark]
    public int HandshakeCycle()
    {
        CloseHandshake handshake = _handshake;
        handshake.Reset();
        handshake.ReceiveCloseFrame(_clientFrame, out _);
        handshake.WriteClose(_reply, out int written);
        handshake.ReportTransportClosed();
        return (int)handshake.CloseStatus.GetValueOrDefault() + written + (handshake.WasClean ? 1 : 0);
    }
}
