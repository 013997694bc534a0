using System;

namespace WebSockets.CloseStatus.Tests.TestData;

public static class Allocations
{
    /// <summary>Bytes this thread allocates in <paramref name="body"/>, measured on a second run so that JIT and static setup do not count.</summary>
    public static long Measure(Action body)
    {
        body();
        long before = GC.GetAllocatedBytesForCurrentThread();
        body();
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }
}
