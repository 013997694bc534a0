using System;
using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace WebSockets.CloseStatus.Internal;

/// <summary>UTF-16 to UTF-8 that rejects lone surrogates, the same on every target.</summary>
internal static class Utf16Transcoding
{
    /// <summary>Transcodes <paramref name="source"/> into <paramref name="destination"/>; <see cref="OperationStatus.InvalidData"/> at a lone surrogate.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static OperationStatus FromUtf16(ReadOnlySpan<char> source, Span<byte> destination, out int bytesWritten)
    {
#if NET8_0_OR_GREATER
        // Close reasons are mostly ASCII, and the runtime's ASCII narrowing alone costs about half of what
        // Utf8.FromUtf16 does on a short ASCII reason (its set-up dominates). UTF-8 transcoding then resumes at the
        // first char it did not narrow, which gives the same result as transcoding the whole reason.
        OperationStatus status = System.Text.Ascii.FromUtf16(source, destination, out bytesWritten);
        if (status != OperationStatus.Done)
        {
            // isFinalBlock keeps its default, true: a high surrogate at the end is a lone one.
            status = System.Text.Unicode.Utf8.FromUtf16(source.Slice(bytesWritten), destination.Slice(bytesWritten), out _, out int rest, replaceInvalidSequences: false);
            bytesWritten += rest;
        }

        return status;
#else
        return FromUtf16Portable(source, destination, out bytesWritten);
#endif
    }

#if !NET8_0_OR_GREATER
    private static OperationStatus FromUtf16Portable(ReadOnlySpan<char> source, Span<byte> destination, out int bytesWritten)
    {
        int i = 0;
        int j = 0;
        OperationStatus status = OperationStatus.Done;
        while (i < source.Length)
        {
            // ASCII fast path: four chars at a time while none is above U+007F.
            while (source.Length - i >= 4 && destination.Length - j >= 4)
            {
                ulong chars = MemoryMarshal.Read<ulong>(MemoryMarshal.AsBytes(source.Slice(i, 4)));
                if ((chars & 0xFF80_FF80_FF80_FF80) != 0)
                {
                    break;
                }

                destination[j] = (byte)source[i];
                destination[j + 1] = (byte)source[i + 1];
                destination[j + 2] = (byte)source[i + 2];
                destination[j + 3] = (byte)source[i + 3];
                i += 4;
                j += 4;
            }

            if (i == source.Length)
            {
                break;
            }

            char c = source[i];
            int space = destination.Length - j;
            if (c < 0x80)
            {
                if (space < 1)
                {
                    status = OperationStatus.DestinationTooSmall;
                    break;
                }

                destination[j++] = (byte)c;
                i++;
            }
            else if (c < 0x800)
            {
                if (space < 2)
                {
                    status = OperationStatus.DestinationTooSmall;
                    break;
                }

                destination[j++] = (byte)(0xC0 | (c >> 6));
                destination[j++] = (byte)(0x80 | (c & 0x3F));
                i++;
            }
            else if (!char.IsSurrogate(c))
            {
                if (space < 3)
                {
                    status = OperationStatus.DestinationTooSmall;
                    break;
                }

                destination[j++] = (byte)(0xE0 | (c >> 12));
                destination[j++] = (byte)(0x80 | ((c >> 6) & 0x3F));
                destination[j++] = (byte)(0x80 | (c & 0x3F));
                i++;
            }
            else if (char.IsHighSurrogate(c) && i + 1 < source.Length && char.IsLowSurrogate(source[i + 1]))
            {
                if (space < 4)
                {
                    status = OperationStatus.DestinationTooSmall;
                    break;
                }

                int scalar = char.ConvertToUtf32(c, source[i + 1]);
                destination[j++] = (byte)(0xF0 | (scalar >> 18));
                destination[j++] = (byte)(0x80 | ((scalar >> 12) & 0x3F));
                destination[j++] = (byte)(0x80 | ((scalar >> 6) & 0x3F));
                destination[j++] = (byte)(0x80 | (scalar & 0x3F));
                i += 2;
            }
            else
            {
                status = OperationStatus.InvalidData;
                break;
            }
        }

        bytesWritten = j;
        return status;
    }
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
