using System;
using System.Buffers;
using System.Runtime.CompilerServices;
#if NET
using System.Runtime.Intrinsics;
#endif

namespace WebSockets.CloseStatus.Internal;

/// <summary>UTF-16 to UTF-8 that rejects lone surrogates, the same on every target.</summary>
internal static partial class Utf16Transcoding
{
    /// <summary>The widest vector path the tests let the transcoder use: 128, or 0 for the scalar loop.</summary>
    /// <remarks>Every path gives the same answers, so a test that narrows it changes only which code runs in other tests. The netstandard2.0 build has the scalar loop only; above 0, it narrows ASCII with <c>Vector.Narrow</c> where that is fast (<c>PortableVectors</c>).</remarks>
    internal static int MaxVectorBits { get; set; } = 128;

    /// <summary>
    /// Transcodes <paramref name="source"/> into <paramref name="destination"/> as <c>Utf8.FromUtf16</c> does with
    /// <c>replaceInvalidSequences: false</c>: <see cref="OperationStatus.InvalidData"/> at a lone surrogate,
    /// <see cref="OperationStatus.DestinationTooSmall"/> at the first scalar that does not fit, whichever comes first.
    /// </summary>
    /// <remarks>
    /// No byte of <paramref name="destination"/> past <paramref name="bytesWritten"/> is written. On .NET, a reason of 4
    /// chars or more goes up to 8 chars per step (see Utf16Transcoding.Vector.cs); shorter ones, and the netstandard2.0
    /// build, take the scalar loop. A close reason is at most 123 bytes, so the runtime's set-up for long text is what
    /// a reason would pay for most: both paths start at once.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static OperationStatus FromUtf16(ReadOnlySpan<char> source, Span<byte> destination, out int bytesWritten)
    {
#if NET
        if (source.Length >= 4 && IsVectorPathActive)
        {
            return FromUtf16Vector128(source, destination, out bytesWritten);
        }
#endif
        return FromUtf16Scalar(source, destination, 0, 0, out bytesWritten);
    }

    /// <summary>
    /// Walks <paramref name="source"/> scalar by scalar and stops before the first one that would take the UTF-8
    /// length past <paramref name="maxBytes"/>. A lone surrogate counts as 3 bytes, the size of U+FFFD, so that a cut
    /// falls in the same place whatever lies beyond it.
    /// </summary>
    /// <param name="source">The UTF-16 text.</param>
    /// <param name="maxBytes">The UTF-8 budget; <see cref="long.MaxValue"/> counts the whole text.</param>
    /// <param name="charsFit">The number of chars that fit, always at a scalar boundary.</param>
    /// <param name="bytesFit">The UTF-8 length of those chars.</param>
    /// <returns>The index of the first lone surrogate among the chars that fit, or -1.</returns>
    public static int Measure(ReadOnlySpan<char> source, long maxBytes, out int charsFit, out long bytesFit)
    {
        long bytes = 0;
        int i = 0;
        int loneSurrogate = -1;
        while (i < source.Length)
        {
            char c = source[i];
            int width = 1;
            int charCount = 1;
            bool lone = false;
            if (c >= 0x80)
            {
                if (c < 0x800)
                {
                    width = 2;
                }
                else if (!char.IsSurrogate(c))
                {
                    width = 3;
                }
                else if (char.IsHighSurrogate(c) && i + 1 < source.Length && char.IsLowSurrogate(source[i + 1]))
                {
                    width = 4;
                    charCount = 2;
                }
                else
                {
                    width = 3;
                    lone = true;
                }
            }

            if (bytes + width > maxBytes)
            {
                break;
            }

            if (lone && loneSurrogate < 0)
            {
                loneSurrogate = i;
            }

            bytes += width;
            i += charCount;
        }

        charsFit = i;
        bytesFit = bytes;
        return loneSurrogate;
    }
}
