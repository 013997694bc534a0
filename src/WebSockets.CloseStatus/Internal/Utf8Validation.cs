using System;
#if NET
using System.Buffers;
using System.Text;
using System.Text.Unicode;
#endif

namespace WebSockets.CloseStatus.Internal;

/// <summary>Well-formed UTF-8 per RFC 3629 (Unicode Table 3-7), without exceptions or allocations.</summary>
/// <remarks>
/// On .NET, the runtime's validator: a hand-written vector validator read 120-byte reasons several times as fast in a
/// loop, but slower than <c>Utf8.IsValid</c> once the caches had been flushed, the way a close meets them
/// (tests/WebSockets.CloseStatus.Benchmarks/README.md). The netstandard2.0 build takes a scalar loop.
/// </remarks>
internal static partial class Utf8Validation
{
    /// <summary>Tests whether <paramref name="source"/> is well-formed UTF-8.</summary>
    public static bool IsValid(ReadOnlySpan<byte> source) =>
#if NET
        Utf8.IsValid(source);
#else
        IndexOfInvalidScalar(source) < 0;
#endif

    /// <summary>Gets the index of the first byte of the first ill-formed sequence, or -1 if <paramref name="source"/> is well formed.</summary>
    /// <remarks>Only on the way to an exception or to a cut, never on the hot path: on .NET, one scalar at a time.</remarks>
    public static int IndexOfInvalid(ReadOnlySpan<byte> source)
    {
#if NET
        int index = 0;
        while (index < source.Length)
        {
            if (Rune.DecodeFromUtf8(source.Slice(index), out _, out int consumed) != OperationStatus.Done)
            {
                return index;
            }

            index += consumed;
        }

        return -1;
#else
        return IndexOfInvalidScalar(source);
#endif
    }
}
