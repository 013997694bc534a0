#if !NET
using System;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace WebSockets.CloseStatus.Internal;

/// <summary>
/// The netstandard2.0 build's validator, which has no <c>Utf8.IsValid</c> to call. Each sequence is checked as one little-endian 32-bit word: a mask and a compare say
/// which length its lead byte starts and that the continuations are there, and a test of a few more bits applies
/// Table 3-7's narrower second-byte ranges. Text in one script is runs of one sequence length: 3-byte sequences are
/// checked two at a time, and ASCII and 2-byte sequences, which alternate in Cyrillic or Arabic text, eight bytes at a
/// time with bit operations on all eight at once, so a space between two words costs no mispredicted branch.
/// </summary>
internal static partial class Utf8Validation
{
    private const ulong HighBitLanes = 0x8080_8080_8080_8080; // bit 7 of each byte: set in every byte but ASCII

    // 110xxxxx 10xxxxxx, the lead in the word's low byte; an overlong (C0, C1) has none of the lead's bits 1–4 set.
    private const uint Seq2Mask = 0xC0E0;
    private const uint Seq2 = 0x80C0;
    private const uint Seq2Bits = 0x1E;
    private const ulong Seq2BitsLanes = 0x1E1E_1E1E_1E1E_1E1E;
    private const ulong NonZeroLanes = 0x7E7E_7E7E_7E7E_7E7E; // added to a lane of at most 1E, sets its bit 7 unless the lane is 0

    // 1110xxxx 10xxxxxx 10xxxxxx. The lead's low nibble and bit 5 of the second byte (set from A0 on) tell the two
    // exceptions: E0 80–9F (overlong) leaves both 0; ED A0–BF (a surrogate) gives D and the bit.
    private const uint Seq3Mask = 0xC0_C0F0;
    private const uint Seq3 = 0x80_80E0;
    private const uint Seq3Bits = 0x2000 | 0x0F;
    private const uint Seq3Overlong = 0;
    private const uint Seq3Surrogate = 0x2000 | 0x0D;
    private const ulong Seq3PairMask = (ulong)Seq3Mask << 24 | Seq3Mask; // two in a row, in the low six bytes
    private const ulong Seq3Pair = (ulong)Seq3 << 24 | Seq3;

    // 11110xxx 10xxxxxx 10xxxxxx 10xxxxxx: the lead's three bits and the second byte's six are the code point's bits
    // 20–12, which must be 0x10–0x10F (U+10000–U+10FFFF): F0 90–BF, F1–F3 80–BF, F4 80–8F; F5–F7 are above.
    private const uint Seq4Mask = 0xC0C0_C0F8;
    private const uint Seq4 = 0x8080_80F0;

    /// <summary>The index of the first byte of the first ill-formed sequence in <paramref name="source"/>, or -1.</summary>
    private static int IndexOfInvalidScalar(ReadOnlySpan<byte> source)
    {
        ref byte origin = ref MemoryMarshal.GetReference(source);
        int length = source.Length;
        int i = 0;
        while (true)
        {
            // ASCII and 2-byte sequences (a 2-byte script with ASCII spaces and punctuation), eight bytes at a time, with
            // no branch on which bytes are which: bit 7 of each byte lane marks what the byte is.
            ulong carry = 0; // a lead in the last byte of the block before: the first byte of this one must continue it
            while (true)
            {
                // The end is read zero-padded: 00 is no continuation, so a sequence the end cuts off fails like any other.
                int left = length - i;
                ulong block = left >= sizeof(ulong) ? ReadUInt64(ref origin, i) : ReadEnd(ref origin, i, left);
                ulong lead = block & (block << 1) & HighBitLanes;       // 11xxxxxx
                ulong continuation = (block & HighBitLanes) ^ lead;      // 10xxxxxx
                ulong longer = lead & (block << 2);                   // 111xxxxx: a 3- or 4-byte lead, or F8–FF
                ulong overlong = lead & ~((block & Seq2BitsLanes) + NonZeroLanes); // C0, C1: no bit of 1E set
                if ((longer | overlong | (continuation ^ ((lead << 8) | carry))) != 0)
                {
                    break;
                }

                if (left < sizeof(ulong))
                {
                    return -1;
                }

                carry = lead >> 56;
                i += sizeof(ulong);
            }

            // This block has a longer sequence or an error: walk on a sequence at a time, from the lead of the one the
            // block before cut off, if any, until eight bytes after the last 3- or 4-byte sequence (mixed text stays
            // here). Each sequence is one little-endian word, checked by a mask and a compare.
            int end = i + sizeof(ulong);
            i -= (int)(carry >> 7);
            while (true)
            {
                if (i >= length)
                {
                    return -1;
                }

                uint word = length - i >= sizeof(uint) ? ReadUInt32(ref origin, i) : (uint)ReadEnd(ref origin, i, length - i);
                if ((word & 0x80) == 0 || (word & Seq2Mask) == Seq2)
                {
                    if (i >= end)
                    {
                        break;
                    }

                    if ((word & (0x80 | Seq2Bits)) == 0x80)
                    {
                        return i; // C0, C1
                    }

                    i += 1 + (int)((word >> 7) & 1); // ASCII is one byte, a 2-byte lead has bit 7 set
                }
                else if ((word & Seq3Mask) == Seq3)
                {
                    uint bits = word & Seq3Bits;
                    if (bits == Seq3Overlong || bits == Seq3Surrogate)
                    {
                        return i;
                    }

                    i += 3;

                    // A 3-byte script (CJK, Indic, Thai): two sequences per eight bytes.
                    while (length - i >= sizeof(ulong))
                    {
                        ulong pair = ReadUInt64(ref origin, i);
                        uint first = (uint)pair & Seq3Bits;
                        uint second = (uint)(pair >> 24) & Seq3Bits;
                        if ((pair & Seq3PairMask) != Seq3Pair
                            || first == Seq3Overlong || first == Seq3Surrogate || second == Seq3Overlong || second == Seq3Surrogate)
                        {
                            break;
                        }

                        i += 6;
                    }

                    end = i + sizeof(ulong);
                }
                else if ((word & Seq4Mask) == Seq4 && (((word & 0x07) << 6) | ((word >> 8) & 0x3F)) - 0x10 <= 0x10F - 0x10)
                {
                    i += 4;
                    end = i + sizeof(ulong);
                }
                else
                {
                    // A continuation where a lead must be, F8–FF, or a lead whose continuations are missing.
                    return i;
                }
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint ReadUInt32(ref byte origin, int index)
    {
        uint value = Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref origin, index));
        return BitConverter.IsLittleEndian ? value : BinaryPrimitives.ReverseEndianness(value);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong ReadUInt64(ref byte origin, int index)
    {
        ulong value = Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref origin, index));
        return BitConverter.IsLittleEndian ? value : BinaryPrimitives.ReverseEndianness(value);
    }

    // The last 0–7 bytes, little-endian, zero above them, from reads that may overlap.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong ReadEnd(ref byte origin, int index, int count)
    {
        if (count >= sizeof(uint))
        {
            return ReadUInt32(ref origin, index) | (ulong)ReadUInt32(ref origin, index + count - sizeof(uint)) << ((count - sizeof(uint)) * 8);
        }

        if (count >= 2)
        {
            return Unsafe.Add(ref origin, index) | (ulong)Unsafe.Add(ref origin, index + 1) << 8 | (ulong)Unsafe.Add(ref origin, index + count - 1) << ((count - 1) * 8);
        }

        return count > 0 ? Unsafe.Add(ref origin, index) : 0UL;
    }
}
#endif
