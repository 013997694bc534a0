using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace WebSockets.CloseStatus.Internal;

/// <summary>Well-formed UTF-8 per RFC 3629 (Unicode Table 3-7), without exceptions or allocations.</summary>
internal static partial class Utf8Validation
{
    /// <summary>The widest vector path the tests let the validator use: 512, 256, 128, or 0 for the scalar loop.</summary>
    /// <remarks>Every path gives the same answers, so a test that narrows it changes only which code runs in other tests. The netstandard2.0 build has the scalar loop only.</remarks>
    internal static int MaxVectorBits { get; set; } = 512;

    /// <summary>The path the validator takes: the widest the runtime supports, within <see cref="MaxVectorBits"/>.</summary>
#if NET
    internal static int ActiveVectorBits => Math.Min(MaxVectorBits, HardwareVectorBits);
#else
    internal static int ActiveVectorBits => 0;
#endif

    /// <summary>Tests whether <paramref name="source"/> is well-formed UTF-8.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsValid(ReadOnlySpan<byte> source) => IndexOfInvalid(source) < 0;

    /// <summary>Gets the index of the first byte of the first ill-formed sequence, or -1 if <paramref name="source"/> is well formed.</summary>
    /// <remarks>
    /// On .NET, a reason of 16 bytes or more skips its ASCII prefix with the runtime's vectorized search and checks the
    /// rest on the widest vector path the CPU has; shorter ones, and the netstandard2.0 build, take the scalar loop.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int IndexOfInvalid(ReadOnlySpan<byte> source)
    {
#if NET8_0_OR_GREATER
        if (source.Length < 16)
        {
            return IndexOfInvalid(source, 0); // a few bytes: the scalar loop alone
        }

        // An ASCII byte is a whole scalar, so no sequence spans it: only the bytes from the first non-ASCII one on need checking.
        int firstNonAscii = source.IndexOfAnyExceptInRange((byte)0x00, (byte)0x7F);
        if (firstNonAscii < 0)
        {
            return -1;
        }

        return TryIndexOfInvalidVector(source, firstNonAscii, out int index) ? index : IndexOfInvalid(source, firstNonAscii);
#else
        return IndexOfInvalid(source, 0);
#endif
    }
}
