using System;
#if !NET8_0_OR_GREATER
using System.Numerics;
#endif
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace WebSockets.CloseStatus.Internal;

/// <summary>Well-formed UTF-8 per RFC 3629 (Unicode Table 3-7), without exceptions or allocations.</summary>
internal static class Utf8Validation
{
    private const ulong AsciiMask = 0x8080_8080_8080_8080;

    /// <summary>Tests whether <paramref name="source"/> is well-formed UTF-8.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsValid(ReadOnlySpan<byte> source)
    {
#if NET8_0_OR_GREATER
        // Most reasons are ASCII, and the runtime's vectorized search for a non-ASCII byte costs a fraction of its
        // UTF-8 check on short input. Only the bytes from the first non-ASCII one on need that check: an ASCII byte
        // is a whole scalar, so no sequence spans it.
        int firstNonAscii = source.IndexOfAnyExceptInRange((byte)0x00, (byte)0x7F);
        return firstNonAscii < 0 || System.Text.Unicode.Utf8.IsValid(source.Slice(firstNonAscii));
#else
        return IndexOfInvalid(source) < 0;
#endif
    }

#if NET8_0_OR_GREATER
    /// <summary>Gets the index of the first byte of the first ill-formed sequence of <paramref name="source"/>, which must be ill-formed.</summary>
    /// <remarks>Only error messages need it, so it may be slow: the runtime's decoder stops at the first ill-formed sequence.</remarks>
    public static int IndexOfInvalid(ReadOnlySpan<byte> source)
    {
        char[] scratch = new char[source.Length];
        // isFinalBlock keeps its default, true; bytesRead stops before the first ill-formed or incomplete sequence.
        _ = System.Text.Unicode.Utf8.ToUtf16(source, scratch, out int bytesRead, out _, replaceInvalidSequences: false);
        return bytesRead;
    }
#else
    /// <summary>Gets the index of the first byte of the first ill-formed sequence, or -1 if <paramref name="source"/> is well formed.</summary>
    public static int IndexOfInvalid(ReadOnlySpan<byte> source)
    {
        int i = 0;
        int length = source.Length;
        while (i < length)
        {
            // ASCII fast path: a vector, then eight bytes, at a time while no byte has the high bit set.
            while (length - i >= Vector<byte>.Count
                && (MemoryMarshal.Read<Vector<byte>>(source.Slice(i)) & new Vector<byte>(0x80)) == Vector<byte>.Zero)
            {
                i += Vector<byte>.Count;
            }

            while (length - i >= sizeof(ulong)
                && (MemoryMarshal.Read<ulong>(source.Slice(i)) & AsciiMask) == 0)
            {
                i += sizeof(ulong);
            }

            if (i == length)
            {
                break;
            }

            byte lead = source[i];
            if (lead < 0x80)
            {
                i++;
                continue;
            }

            // Table 3-7: the lead byte decides the length and the allowed range of the second byte,
            // which excludes overlongs (E0, F0), surrogates (ED) and code points above U+10FFFF (F4).
            int count;
            byte low = 0x80;
            byte high = 0xBF;
            if (lead < 0xC2)
            {
                return i; // a stray continuation byte, or the overlong leads C0 and C1
            }
            else if (lead < 0xE0)
            {
                count = 2;
            }
            else if (lead < 0xF0)
            {
                count = 3;
                if (lead == 0xE0)
                {
                    low = 0xA0;
                }
                else if (lead == 0xED)
                {
                    high = 0x9F;
                }
            }
            else if (lead < 0xF5)
            {
                count = 4;
                if (lead == 0xF0)
                {
                    low = 0x90;
                }
                else if (lead == 0xF4)
                {
                    high = 0x8F;
                }
            }
            else
            {
                return i; // F5–FF never appear in UTF-8
            }

            if (length - i < count)
            {
                return i;
            }

            byte second = source[i + 1];
            if (second < low || second > high)
            {
                return i;
            }

            for (int k = 2; k < count; k++)
            {
                if ((source[i + k] & 0xC0) != 0x80)
                {
                    return i;
                }
            }

            i += count;
        }

        return -1;
    }
#endif

    /// <summary>Tests whether <paramref name="value"/> is a UTF-8 continuation byte (10xxxxxx).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsContinuation(byte value) => (value & 0xC0) == 0x80;
}
