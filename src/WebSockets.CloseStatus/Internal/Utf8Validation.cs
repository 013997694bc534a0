using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
#if NET8_0_OR_GREATER
using System.Runtime.Intrinsics;
#endif

namespace WebSockets.CloseStatus.Internal;

/// <summary>Well-formed UTF-8 per RFC 3629 (Unicode Table 3-7), without exceptions or allocations.</summary>
internal static partial class Utf8Validation
{
    /// <summary>The widest vector path the tests let the validator use: 512, 256, 128, or 0 for the scalar loop.</summary>
    /// <remarks>Every path gives the same answers, so a test that narrows it changes only which code runs in other tests. The netstandard2.0 build has the scalar loop only; above 0, it skips ASCII with <c>Vector&lt;T&gt;</c> where that is fast (<c>PortableVectors</c>).</remarks>
    internal static int MaxVectorBits { get; set; } = 512;

    /// <summary>The path the validator takes: the widest the runtime supports, within <see cref="MaxVectorBits"/>.</summary>
#if NET
    internal static int ActiveVectorBits => Math.Min(MaxVectorBits, HardwareVectorBits);
#else
    internal static int ActiveVectorBits => PortableVectors.AreFast && MaxVectorBits > 0 ? 8 * Vector<byte>.Count : 0;
#endif

    /// <summary>Tests whether <paramref name="source"/> is well-formed UTF-8.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsValid(ReadOnlySpan<byte> source) => Find(source, exact: false) < 0;

    /// <summary>Gets the index of the first byte of the first ill-formed sequence, or -1 if <paramref name="source"/> is well formed.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int IndexOfInvalid(ReadOnlySpan<byte> source) => Find(source, exact: true);

    /// <summary>
    /// -1 if <paramref name="source"/> is well formed; otherwise the index of its first error if <paramref name="exact"/>,
    /// else an index at or before it (a verdict needs no index: the vector paths then skip the scalar loop's search).
    /// </summary>
    /// <remarks>
    /// On .NET, a reason of 16 bytes or more takes the widest vector path it fills, which passes over ASCII blocks with
    /// one test each; shorter ones, and the netstandard2.0 build, take the scalar loop.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Find(ReadOnlySpan<byte> source, bool exact)
    {
#if NET8_0_OR_GREATER
        if (source.Length < Vector128<byte>.Count)
        {
            return IndexOfInvalidShort(source, exact);
        }

        if (TryIndexOfInvalidVector(source, exact, out int index))
        {
            return index;
        }
#else
        _ = exact; // the scalar loop's index is always exact
#endif
        return IndexOfInvalid(source, 0);
    }
}
