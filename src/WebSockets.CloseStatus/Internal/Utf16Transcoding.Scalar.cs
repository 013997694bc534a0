using System;
using System.Buffers;
#if !NET
using System.Numerics;
#endif
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace WebSockets.CloseStatus.Internal;

/// <summary>The scalar loop: the netstandard2.0 build's only path; on .NET, reasons under 4 chars (or of 4-7 with a surrogate), blocks with a lone surrogate or a cut pair, and the last 1-3 chars after a block that is not ASCII, unless they are ASCII.</summary>
internal static partial class Utf16Transcoding
{
    // The high 9 bits of four chars: all clear when the four are ASCII.
    private const ulong NonAsciiMask4 = 0xFF80_FF80_FF80_FF80;

    /// <summary>
    /// Transcodes from char <paramref name="at"/> and byte <paramref name="written"/> on, while <paramref name="at"/> is
    /// before <paramref name="end"/> (a surrogate pair that starts before it is taken whole), one scalar at a time.
    /// </summary>
    /// <returns>
    /// Where it stopped: the char index in the high 32 bits, the byte count in the low 32. It stopped before
    /// <paramref name="end"/> only at a scalar that failed, which <see cref="FailureAt"/> names.
    /// </returns>
    /// <remarks>
    /// Each index is checked against <paramref name="length"/> or <paramref name="room"/> before it is used. The two
    /// positions come back in one register, so that a caller's loop keeps its own in registers (a ref would pin them
    /// to the stack).
    /// </remarks>
    private static long FromUtf16Scalar(ref char chars, int length, ref byte bytes, int room, int at, int written, int end)
    {
        while (at < end)
        {
            uint c = Unsafe.Add(ref chars, at);
            if (c < 0x80)
            {
                if (written == room)
                {
                    break;
                }

                Unsafe.Add(ref bytes, written) = (byte)c;
                written++;
                at++;

#if !NET
                // A long ASCII run goes two vectors of chars per step first, where Vector.Narrow is known to be fast.
                if (NarrowsWithVectors)
                {
                    int narrowed = NarrowAsciiVectors(ref Unsafe.Add(ref chars, at), ref Unsafe.Add(ref bytes, written), Math.Min(end - at, room - written));
                    at += narrowed;
                    written += narrowed;
                }

#endif
                // More ASCII is likely after ASCII: four chars at a time while none is above U+007F.
                while (end - at >= 4 && room - written >= 4)
                {
                    ulong four = Unsafe.ReadUnaligned<ulong>(ref Unsafe.As<char, byte>(ref Unsafe.Add(ref chars, at)));
                    if ((four & NonAsciiMask4) != 0)
                    {
                        break;
                    }

                    ref byte to = ref Unsafe.Add(ref bytes, written);
                    to = (byte)Unsafe.Add(ref chars, at);
                    Unsafe.Add(ref to, 1) = (byte)Unsafe.Add(ref chars, at + 1);
                    Unsafe.Add(ref to, 2) = (byte)Unsafe.Add(ref chars, at + 2);
                    Unsafe.Add(ref to, 3) = (byte)Unsafe.Add(ref chars, at + 3);
                    at += 4;
                    written += 4;
                }
            }
            else if (c < 0x800)
            {
                if (room - written < 2)
                {
                    break;
                }

                ref byte to = ref Unsafe.Add(ref bytes, written);
                to = (byte)(0xC0 | (c >> 6));
                Unsafe.Add(ref to, 1) = (byte)(0x80 | (c & 0x3F));
                written += 2;
                at++;
            }
            else if (c - 0xD800 >= 0x800)
            {
                if (room - written < 3)
                {
                    break;
                }

                ref byte to = ref Unsafe.Add(ref bytes, written);
                to = (byte)(0xE0 | (c >> 12));
                Unsafe.Add(ref to, 1) = (byte)(0x80 | ((c >> 6) & 0x3F));
                Unsafe.Add(ref to, 2) = (byte)(0x80 | (c & 0x3F));
                written += 3;
                at++;
            }
            else
            {
                // A high surrogate, with a char after it that is a low one: a pair.
                if (c >= 0xDC00 || at + 1 >= length)
                {
                    break;
                }

                uint low = Unsafe.Add(ref chars, at + 1);
                if (low - 0xDC00u >= 0x400 || room - written < 4)
                {
                    break;
                }

                // U+10000 + (high - D800) * 400 + (low - DC00), with the offsets folded into one constant.
                uint scalar = (c << 10) + low - ((0xD800u << 10) + 0xDC00u - 0x10000u);
                ref byte to = ref Unsafe.Add(ref bytes, written);
                to = (byte)(0xF0 | (scalar >> 18));
                Unsafe.Add(ref to, 1) = (byte)(0x80 | ((scalar >> 12) & 0x3F));
                Unsafe.Add(ref to, 2) = (byte)(0x80 | ((scalar >> 6) & 0x3F));
                Unsafe.Add(ref to, 3) = (byte)(0x80 | (scalar & 0x3F));
                written += 4;
                at += 2;
            }
        }

        return ((long)at << 32) | (uint)written;
    }

#if !NET
    /// <summary>
    /// Whether a long ASCII run goes two vectors of chars per step: where <c>Vector.Narrow</c> is fast
    /// (<see cref="PortableVectors"/>), unless a test narrowed the path to the scalar loop. On .NET 10 it wrote a
    /// 123-char ASCII reason about 3x as fast as the four-char loop.
    /// </summary>
    internal static bool NarrowsWithVectors => PortableVectors.AreFast && MaxVectorBits > 0;

    // Narrows ASCII two vectors of chars per step while `count` allows one; stops before the first step with a char
    // above U+007F. Returns the chars narrowed.
    private static int NarrowAsciiVectors(ref char chars, ref byte bytes, int count)
    {
        int step = 2 * Vector<ushort>.Count;
        int at = 0;
        for (; count - at >= step; at += step)
        {
            ref byte from = ref Unsafe.As<char, byte>(ref Unsafe.Add(ref chars, at));
            Vector<ushort> first = Unsafe.ReadUnaligned<Vector<ushort>>(ref from);
            Vector<ushort> second = Unsafe.ReadUnaligned<Vector<ushort>>(ref Unsafe.Add(ref from, Vector<byte>.Count));
            if (((first | second) & new Vector<ushort>(0xFF80)) != Vector<ushort>.Zero)
            {
                break;
            }

            Unsafe.WriteUnaligned(ref Unsafe.Add(ref bytes, at), Vector.Narrow(first, second));
        }

        return at;
    }

#endif
    /// <summary>Why the scalar loop stopped at <paramref name="at"/>, before its end: a lone surrogate, or no room.</summary>
    private static OperationStatus FailureAt(ReadOnlySpan<char> source, int at)
    {
        char c = source[at];
        bool pair = char.IsHighSurrogate(c) && at + 1 < source.Length && char.IsLowSurrogate(source[at + 1]);
        return char.IsSurrogate(c) && !pair ? OperationStatus.InvalidData : OperationStatus.DestinationTooSmall;
    }

    /// <summary>The scalar loop over <paramref name="source"/> from char <paramref name="at"/> and byte <paramref name="written"/> to the end.</summary>
    private static OperationStatus FromUtf16Scalar(ReadOnlySpan<char> source, Span<byte> destination, int at, int written, out int bytesWritten)
    {
        long stop = FromUtf16Scalar(ref MemoryMarshal.GetReference(source), source.Length, ref MemoryMarshal.GetReference(destination), destination.Length, at, written, source.Length);
        bytesWritten = (int)stop;
        int stoppedAt = (int)(stop >> 32);
        return stoppedAt == source.Length ? OperationStatus.Done : FailureAt(source, stoppedAt);
    }
}
