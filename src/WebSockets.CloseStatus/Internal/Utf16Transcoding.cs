using System;
using System.Buffers;
using System.Runtime.CompilerServices;
#if NET
using System.Text.Unicode;
#endif

namespace WebSockets.CloseStatus.Internal;

/// <summary>UTF-16 to UTF-8 that rejects lone surrogates, the same on every target.</summary>
internal static partial class Utf16Transcoding
{
    /// <summary>
    /// Transcodes <paramref name="source"/> into <paramref name="destination"/> as <c>Utf8.FromUtf16</c> does with
    /// <c>replaceInvalidSequences: false</c>: <see cref="OperationStatus.InvalidData"/> at a lone surrogate,
    /// <see cref="OperationStatus.DestinationTooSmall"/> at the first scalar that does not fit, whichever comes first.
    /// </summary>
    /// <remarks>
    /// What was written is the longest run of whole scalars before the stop, and no byte of
    /// <paramref name="destination"/> past <paramref name="bytesWritten"/> is written. On .NET it is the runtime's
    /// own call; the netstandard2.0 build, which has no <c>Utf8</c> class, takes a scalar loop.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static OperationStatus FromUtf16(ReadOnlySpan<char> source, Span<byte> destination, out int charsRead, out int bytesWritten) =>
#if NET
        Utf8.FromUtf16(source, destination, out charsRead, out bytesWritten, replaceInvalidSequences: false);
#else
        FromUtf16Scalar(source, destination, out charsRead, out bytesWritten);
#endif

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
