using System;

namespace WebSockets.CloseStatus.Internal;

/// <summary>A random source any thread may use: <c>Random.Shared</c> where it exists, one <see cref="Random"/> per thread elsewhere.</summary>
internal static class SharedRandom
{
#if NET6_0_OR_GREATER
    public static Random Instance => Random.Shared;
#else
    [ThreadStatic]
    private static Random? t_random;

    // Seeded apart per thread: threads started in the same tick would otherwise draw the same delays.
    public static Random Instance => t_random ??= new Random(Guid.NewGuid().GetHashCode());
#endif
}
