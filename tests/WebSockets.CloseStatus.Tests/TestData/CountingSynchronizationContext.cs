using System.Threading;

namespace WebSockets.CloseStatus.Tests.TestData;

/// <summary>A synchronization context (as a UI thread or classic ASP.NET has) that counts the continuations posted to it and runs them on the pool.</summary>
public sealed class CountingSynchronizationContext : SynchronizationContext
{
    private int _posts;

    public int Posts => Volatile.Read(ref _posts);

    public override void Post(SendOrPostCallback d, object? state)
    {
        Interlocked.Increment(ref _posts);
        ThreadPool.QueueUserWorkItem(_ => d(state));
    }

    public override void Send(SendOrPostCallback d, object? state)
    {
        Interlocked.Increment(ref _posts);
        d(state);
    }
}
