using System;
using System.Net.WebSockets;
using System.Threading;
using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;

namespace WebSockets.CloseStatus.Benchmarks;

/// <summary>
/// The drain of issue #41 without a network: N tracked connections whose peers answer at once, drained with a window
/// of zero, so the figure is the drain's own cost per connection (scheduling, the closes, the report), and its
/// allocations. Tracking one more connection and letting it end is measured on its own. The methods return plain
/// values: BenchmarkDotNet's generated project does not reference the library.
/// </summary>
[MemoryDiagnoser]
public class DrainBenchmarks
{
    private WebSocketCloser[] _closers = [];
    private WebSocketDrain _drain = new();
    private WebSocketDrain _tracking = new();

    [Params(1_000, 10_000)]
    public int Connections { get; set; }

    [IterationSetup(Target = nameof(Drain))]
    public void TrackAll()
    {
        _drain = new WebSocketDrain(new WebSocketDrainOptions { Window = TimeSpan.Zero, Random = new Random(1) });
        _closers = new WebSocketCloser[Connections];
        for (int i = 0; i < _closers.Length; i++)
        {
            _closers[i] = new WebSocketCloser(new AnsweringWebSocket());
            _drain.Track(_closers[i]);
        }
    }

    [Benchmark(OperationsPerInvoke = 1)]
    [InvocationCount(1)]
    public int Drain() => _drain.DrainAsync(CancellationToken.None).GetAwaiter().GetResult().Clean;

    [GlobalSetup(Target = nameof(TrackThenEnd))]
    public void WarmTracking()
    {
        // A set the size of the load, so that adding one more does not grow it.
        _tracking = new WebSocketDrain();
        _closers = new WebSocketCloser[Connections];
        for (int i = 0; i < _closers.Length; i++)
        {
            _closers[i] = new WebSocketCloser(new AnsweringWebSocket());
            _tracking.Track(_closers[i]);
        }
    }

    // One connection's whole life beside the drain: made, tracked, closed (its peer answers at once), untracked. The
    // allocations are the closer's own (the closer, its completion, the close's state machines), not the drain's.
    [Benchmark]
    public bool TrackThenEnd()
    {
        var closer = new WebSocketCloser(new AnsweringWebSocket());
        _tracking.Track(closer);
        return closer.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None).GetAwaiter().GetResult().WasClean;
    }

    // A peer that answers every close at once: System.Net's states, no I/O.
    private sealed class AnsweringWebSocket : WebSocket
    {
        private WebSocketState _state = WebSocketState.Open;

        public override System.Net.WebSockets.WebSocketCloseStatus? CloseStatus => _state == WebSocketState.Closed ? System.Net.WebSockets.WebSocketCloseStatus.NormalClosure : null;

        public override string? CloseStatusDescription => null;

        public override WebSocketState State => _state;

        public override string? SubProtocol => null;

        public override void Abort() => _state = WebSocketState.Aborted;

        public override Task CloseAsync(System.Net.WebSockets.WebSocketCloseStatus closeStatus, string? statusDescription, CancellationToken cancellationToken)
        {
            _state = WebSocketState.Closed;
            return Task.CompletedTask;
        }

        public override Task CloseOutputAsync(System.Net.WebSockets.WebSocketCloseStatus closeStatus, string? statusDescription, CancellationToken cancellationToken)
        {
            _state = WebSocketState.CloseSent;
            return Task.CompletedTask;
        }

        public override void Dispose()
        {
        }

        public override Task<WebSocketReceiveResult> ReceiveAsync(ArraySegment<byte> buffer, CancellationToken cancellationToken) =>
            throw new NotSupportedException();

        public override Task SendAsync(ArraySegment<byte> buffer, WebSocketMessageType messageType, bool endOfMessage, CancellationToken cancellationToken) =>
            throw new NotSupportedException();
    }
}
