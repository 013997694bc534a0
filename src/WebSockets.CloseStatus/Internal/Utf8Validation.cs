using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace WebSockets.CloseStatus.Internal;

/// <summary>Well-formed UTF-8 per RFC 3629 (Unicode Table 3-7), without exceptions or allocations.</summary>
internal static partial class Utf8Validation
{
    private const ulong AsciiMask = 0x8080_8080_8080_8080;

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
    /// One loop for every target, so both builds give the same answers. On .NET 10 it beats <c>Utf8.IsValid</c> on what
    /// close frames carry (measured in a BenchmarkDotNet run): the runtime's vectorized search skips an ASCII reason in
    /// about half that method's time, and the loop checks a short multibyte reason in about three quarters of it.
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

    /// <summary>Like <see cref="IndexOfInvalid(ReadOnlySpan{byte})"/>, from <paramref name="start"/>, where no sequence may begin before.</summary>
    /// <remarks>
    /// The scalar loop: the netstandard2.0 build's only one, and the vector paths' way to the exact index. Text in one
    /// script is mostly runs of one sequence length, so each length has its own check, and only an ASCII byte pays for
    /// a look at the bytes after it in eights.
    /// </remarks>
    private static int IndexOfInvalid(ReadOnlySpan<byte> source, int start)
    {
        int i = start;
        int length = source.Length;
        while (i < length)
        {
            byte lead = source[i];
            if (lead < 0x80)
            {
                // ASCII: skip the run it may start, a vector, then eight bytes, at a time.
                i++;
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

                continue;
            }

            // Table 3-7: the lead byte decides the length and the allowed range of the second byte, which excludes
            // overlongs (C0, C1, E0, F0), surrogates (ED) and code points above U+10FFFF (F4); F5–FF never appear.
            if (lead < 0xE0)
            {
                // C2–DF 80–BF; C0 and C1 are overlong, 80–BF a stray continuation.
                if (lead < 0xC2 || length - i < 2 || (source[i + 1] & 0xC0) != 0x80)
                {
                    return i;
                }

                i += 2;
            }
            else if (lead < 0xF0)
            {
                // E0 A0–BF, E1–EC 80–BF, ED 80–9F, EE–EF 80–BF; then 80–BF.
                if (length - i < 3)
                {
                    return i;
                }

                byte second = source[i + 1];
                byte low = lead == 0xE0 ? (byte)0xA0 : (byte)0x80;
                byte high = lead == 0xED ? (byte)0x9F : (byte)0xBF;
                if (second < low || second > high || (source[i + 2] & 0xC0) != 0x80)
                {
                    return i;
                }

                i += 3;
            }
            else
            {
                // F0 90–BF, F1–F3 80–BF, F4 80–8F; then 80–BF twice.
                if (lead > 0xF4 || length - i < 4)
                {
                    return i;
                }

                byte second = source[i + 1];
                byte low = lead == 0xF0 ? (byte)0x90 : (byte)0x80;
                byte high = lead == 0xF4 ? (byte)0x8F : (byte)0xBF;
                if (second < low || second > high || (source[i + 2] & 0xC0) != 0x80 || (source[i + 3] & 0xC0) != 0x80)
                {
                    return i;
                }

                i += 4;
            }
        }

        return -1;
    }
}
