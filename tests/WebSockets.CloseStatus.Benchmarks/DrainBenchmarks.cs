using System;
using System.Net.WebSockets;
using System.Threading;
using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;

namespace WebSockets.CloseStatus.Benchmarks;

/// <summary>
/// The drain of issue #41 without a network: N tracked connections whose peers answer at once, drained with a window
/// of zero, so the figure is the drain's own cost per connection (scheduling, the closes, the report), and its
/// allocations. Tracking an existing connection into a warmed set and letting it end is measured beside the same end
/// untracked: the two allocate the same, so tracking and untracking allocate nothing. The methods return plain values:
/// BenchmarkDotNet's generated project does not reference the library.
/// </summary>
[MemoryDiagnoser]
public class DrainBenchmarks
{
    private const int Batch = 1_000;

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

    [GlobalSetup(Targets = [nameof(TrackThenEnd), nameof(EndUntracked)])]
    public void WarmTracking()
    {
        // A set the size of the load, so that adding one more does not grow it once the first iteration has run.
        _tracking = new WebSocketDrain();
        for (int i = 0; i < Connections; i++)
        {
            _tracking.Track(new WebSocketCloser(new AnsweringWebSocket()));
        }
    }

    [IterationSetup(Targets = [nameof(TrackThenEnd), nameof(EndUntracked)])]
    public void MakeClosers()
    {
        // Made here, outside the measured code: the two cases below differ only by Track and its untrack.
        _closers = new WebSocketCloser[Batch];
        for (int i = 0; i < _closers.Length; i++)
        {
            _closers[i] = new WebSocketCloser(new AnsweringWebSocket());
        }
    }

    // An existing closer tracked into the warmed set, then closed (its peer answers at once), which untracks it. The
    // allocations are the close's own (its state machines and result); EndUntracked, the same close untracked, says
    // how much: the difference is what Track and the untrack allocate.
    [Benchmark(OperationsPerInvoke = Batch)]
    [InvocationCount(1)]
    public int TrackThenEnd()
    {
        int clean = 0;
        foreach (WebSocketCloser closer in _closers)
        {
            _tracking.Track(closer);
            clean += closer.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None).GetAwaiter().GetResult().WasClean ? 1 : 0;
        }

        return clean + _tracking.Count;
    }

    [Benchmark(OperationsPerInvoke = Batch)]
    [InvocationCount(1)]
    public int EndUntracked()
    {
        int clean = 0;
        foreach (WebSocketCloser closer in _closers)
        {
            clean += closer.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None).GetAwaiter().GetResult().WasClean ? 1 : 0;
        }

        return clean + _tracking.Count;
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
