#if !NET
using System;
using System.Numerics;
using System.Runtime.InteropServices;

namespace WebSockets.CloseStatus.Internal;

/// <summary>Whether the netstandard2.0 build uses <see cref="Vector{T}"/>: on .NET (Core) runtimes only.</summary>
/// <remarks>
/// On .NET, <see cref="Vector{T}"/> compiles to SIMD instructions: the validator's ASCII skip and the transcoder's
/// <c>Vector.Narrow</c> made 123 ASCII bytes about 3x as fast there (26 to 9 ns read, 44 to 14 ns written). Mono 6.8 (Debian's, x64) says
/// <see cref="Vector.IsHardwareAccelerated"/> too, yet the same two made it 3-6x as slow (tests/WebSockets.CloseStatus.Benchmarks.Mono).
/// .NET Framework was not measured, so it keeps the scalar loop as well.
/// </remarks>
internal static class PortableVectors
{
    /// <summary>Whether this runtime makes <see cref="Vector{T}"/> fast: hardware accelerated, on .NET (Core).</summary>
    internal static readonly bool AreFast = Vector.IsHardwareAccelerated && IsDotNetCore(RuntimeInformation.FrameworkDescription);

    /// <summary>Whether <paramref name="description"/>, a <c>RuntimeInformation.FrameworkDescription</c>, names .NET (Core): ".NET 8.0.11", ".NET Core 3.1.32".</summary>
    internal static bool IsDotNetCore(string description) =>
        description.StartsWith(".NET ", StringComparison.Ordinal)
        && !description.StartsWith(".NET Framework", StringComparison.Ordinal)
        && !description.StartsWith(".NET Native", StringComparison.Ordinal);
}
#endif
