#if NET
using System;
using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace WebSockets.CloseStatus.Internal;

/// <summary>
/// The 128-bit path: 8 chars per step. A block of ASCII is narrowed (and an ASCII run then goes in the widest steps it
/// fills); a block below U+0800 is encoded as 2 bytes per char, a block without surrogates as 1-3 bytes per char, a
/// block of four surrogate pairs as four 4-byte sequences, and a block with pairs among other chars with each pair
/// split into 2 + 2 bytes; the bytes a char does not use are squeezed out with a byte shuffle from a table indexed by
/// which chars are wider than 1 (and 2) bytes, as simdutf does on SSE (Lemire and Keiser, "Transcoding Billions of
/// Unicode Characters per Second with SIMD Instructions", 2022). The last block is the span's last 8 chars: the chars it
/// shares with the block before were written already and are written again, as the same bytes, so no byte past the
/// output is written. 4-7 chars without surrogates are one block of the first and last 4; a short ASCII reason is one
/// step. The last 1-3 chars after a block that is not ASCII are written one by one when they are ASCII. The scalar loop
/// takes a block with a lone surrogate or a pair cut by its end (and says which), and other last 1-3 chars.
/// </summary>
internal static partial class Utf16Transcoding
{
    private const int BlockChars = 8;

    // 256 entries of 16 shuffle indices: the first bytes of a block's output (all of it, for a 2-byte block) and, in
    // the tail table, the 8 bytes (4 if it has fewer than 8) that end it, so that two stores write exactly the output.
    private static readonly byte[] s_twoByteHead = CreateShuffles(TwoByteOutput, tail: false);
    private static readonly byte[] s_twoByteTail = CreateShuffles(TwoByteOutput, tail: true);
    private static readonly byte[] s_threeByteHead = CreateShuffles(ThreeByteOutput, tail: false);
    private static readonly byte[] s_threeByteTail = CreateShuffles(ThreeByteOutput, tail: true);

    private static bool IsVectorPathActive => MaxVectorBits >= 128 && (Ssse3.IsSupported || AdvSimd.Arm64.IsSupported);

    private static OperationStatus FromUtf16Vector128(ReadOnlySpan<char> source, Span<byte> destination, out int bytesWritten)
    {
        ref ushort chars = ref Unsafe.As<char, ushort>(ref MemoryMarshal.GetReference(source));
        ref byte bytes = ref MemoryMarshal.GetReference(destination);
        int length = source.Length;
        int room = destination.Length;

        // 4-7 chars without surrogates: the first 4 and the last 4, which overlap, as one block, each half written on its
        // own, the second where its first char's bytes start (the chars they share are written again, as the same bytes).
        if (length < BlockChars)
        {
            Vector128<ushort> block = Vector128.Create(
                Unsafe.ReadUnaligned<ulong>(ref Unsafe.As<ushort, byte>(ref chars)),
                Unsafe.ReadUnaligned<ulong>(ref Unsafe.As<ushort, byte>(ref Unsafe.Add(ref chars, length - 4)))).AsUInt16();
            if (Vector128.Equals(block & Vector128.Create((ushort)0xF800), Vector128.Create((ushort)0xD800)) == Vector128<ushort>.Zero)
            {
                Vector128<ushort> upTo2 = Vector128.Equals(block & Vector128.Create((ushort)0xF800), Vector128<ushort>.Zero);
                Encode(block, upTo2, out Vector128<ushort> first, out Vector128<ushort> second);
                uint wide2 = ~Vector128.Equals(block & Vector128.Create((ushort)0xFF80), Vector128<ushort>.Zero).ExtractMostSignificantBits() & 0xFF;
                uint wide3 = ~upTo2.ExtractMostSignificantBits() & 0xFF;
                int lowIndex = (int)((wide2 & 0xF) | ((wide3 & 0xF) << 4));
                int highIndex = (int)((wide2 >> 4) | (wide3 & 0xF0));
                uint before = (1u << (length - 4)) - 1; // the chars before the last 4
                int offset = length - 4 + BitOperations.PopCount(wide2 & before) + BitOperations.PopCount(wide3 & before);
                int highCount = 4 + BitOperations.PopCount((uint)highIndex);
                if (room - offset >= highCount)
                {
                    Store(InterleaveLow(first, second), ref bytes, 4 + BitOperations.PopCount((uint)lowIndex), s_threeByteHead, s_threeByteTail, lowIndex);
                    Store(InterleaveHigh(first, second), ref Unsafe.Add(ref bytes, offset), highCount, s_threeByteHead, s_threeByteTail, highIndex);
                    bytesWritten = offset + highCount;
                    return OperationStatus.Done;
                }
            }

            return FromUtf16Scalar(source, destination, 0, 0, out bytesWritten);
        }

        // A short ASCII reason, the most common kind, in one step: its first and last 8 chars (16 for 17-32 chars), which
        // overlap unless it has 16 (32). A reason that is not ASCII from its first char costs one test here.
        if (length <= 4 * BlockChars && room >= length)
        {
            Vector128<ushort> head = Vector128.LoadUnsafe(ref chars);
            if ((head & Vector128.Create((ushort)0xFF80)) == Vector128<ushort>.Zero)
            {
                if (length <= 2 * BlockChars)
                {
                    Vector128<ushort> tail = Vector128.LoadUnsafe(ref chars, (nuint)(length - BlockChars));
                    if ((tail & Vector128.Create((ushort)0xFF80)) == Vector128<ushort>.Zero)
                    {
                        Vector128<ulong> narrowed = Vector128.Narrow(head, tail).AsUInt64();
                        Unsafe.WriteUnaligned(ref bytes, narrowed.ToScalar());
                        Unsafe.WriteUnaligned(ref Unsafe.Add(ref bytes, length - BlockChars), narrowed.GetElement(1));
                        bytesWritten = length;
                        return OperationStatus.Done;
                    }
                }
                else
                {
                    Vector128<ushort> head1 = Vector128.LoadUnsafe(ref chars, BlockChars);
                    Vector128<ushort> tail0 = Vector128.LoadUnsafe(ref chars, (nuint)(length - (2 * BlockChars)));
                    Vector128<ushort> tail1 = Vector128.LoadUnsafe(ref chars, (nuint)(length - BlockChars));
                    if (((head1 | tail0 | tail1) & Vector128.Create((ushort)0xFF80)) == Vector128<ushort>.Zero)
                    {
                        Vector128.Narrow(head, head1).StoreUnsafe(ref bytes);
                        Vector128.Narrow(tail0, tail1).StoreUnsafe(ref bytes, (nuint)(length - (2 * BlockChars)));
                        bytesWritten = length;
                        return OperationStatus.Done;
                    }
                }
            }
        }

        int i = 0;
        int j = 0;
        while (true)
        {
            // The last block overlaps the one before by `shared` chars, which took `sharedBytes` bytes: it starts there.
            int shared = 0;
            if (length - i < BlockChars)
            {
                if (i == length)
                {
                    bytesWritten = j;
                    return OperationStatus.Done;
                }

                shared = BlockChars - (length - i);
            }

            Vector128<ushort> block = Vector128.LoadUnsafe(ref chars, (nuint)(i - shared));
            if ((block & Vector128.Create((ushort)0xFF80)) == Vector128<ushort>.Zero)
            {
                // More ASCII is likely after ASCII: a run of 8 chars or more goes in the widest steps it fills, the rest in one.
                if (shared == 0)
                {
                    int narrowed = NarrowAscii(ref Unsafe.Add(ref chars, i), ref Unsafe.Add(ref bytes, j), Math.Min(length - i, room - j));
                    if (narrowed != 0)
                    {
                        i += narrowed;
                        j += narrowed;
                        continue;
                    }
                }

                int start = j - shared;
                if (room - start < BlockChars)
                {
                    break;
                }

                Unsafe.WriteUnaligned(ref Unsafe.Add(ref bytes, start), Vector128.Narrow(block, block).AsUInt64().ToScalar());
                j = start + BlockChars;
                i = i - shared + BlockChars;
                continue;
            }

            // The last 1-3 chars of a reason that is not ASCII there: cheaper one at a time than again in a whole block.
            // ASCII ones (a closing "bye" or "!") are written here; others go to the scalar loop.
            if (shared > BlockChars - 4)
            {
                int rest = length - i;
                ulong last = Unsafe.ReadUnaligned<ulong>(ref Unsafe.As<ushort, byte>(ref Unsafe.Add(ref chars, length - 4))) >> (16 * (4 - rest));
                if (!BitConverter.IsLittleEndian || (last & NonAsciiMask4) != 0 || room - j < rest)
                {
                    break;
                }

                for (int k = 0; k < rest; k++)
                {
                    Unsafe.Add(ref bytes, j + k) = (byte)(last >> (16 * k));
                }

                bytesWritten = j + rest;
                return OperationStatus.Done;
            }

            if ((block & Vector128.Create((ushort)0xF800)) == Vector128<ushort>.Zero)
            {
                int end = WriteTwoByteBlock(block, ref bytes, room, j, shared);
                if (end < 0)
                {
                    break;
                }

                j = end;

                i = i - shared + BlockChars;
                continue;
            }

            Vector128<ushort> surrogates = Vector128.Equals(block & Vector128.Create((ushort)0xF800), Vector128.Create((ushort)0xD800));
            if (surrogates == Vector128<ushort>.Zero)
            {
                int end = WriteThreeByteBlock(block, ref bytes, room, j, shared);
                if (end < 0)
                {
                    break;
                }

                j = end;

                i = i - shared + BlockChars;
                continue;
            }

            // Four surrogate pairs, each a high surrogate then a low one (emoji): 4 bytes each, 16 in all.
            if ((block.AsUInt32() & Vector128.Create(0xFC00_FC00u)) == Vector128.Create(0xDC00_D800u)
                && (shared & 1) == 0)
            {
                int start = j - (2 * shared);
                if (room - start < 2 * BlockChars)
                {
                    break;
                }

                EncodeFourBytes(block.AsUInt32()).StoreUnsafe(ref Unsafe.Add(ref bytes, start));
                j = start + (2 * BlockChars);
                i = i - shared + BlockChars;
                continue;
            }

            // Surrogate pairs among other chars, none cut by the block's end and none among the shared chars.
            {
                ushort before = shared != 0 ? Unsafe.Add(ref chars, i - shared - 1) : (ushort)0;
                int end = WriteMixedBlock(block, surrogates, ref bytes, room, j, shared, before);
                if (end >= 0)
                {
                    j = end;
                    i = i - shared + BlockChars;
                    continue;
                }
            }

            // A lone surrogate, a pair across the block's end, or no room: the scalar loop takes the block (or the
            // rest, if this is the last one: its shared chars are written), and says which.
            int blockEnd = Math.Min(i + BlockChars, length);
            long stop = FromUtf16Scalar(ref Unsafe.As<ushort, char>(ref chars), length, ref bytes, room, i, j, blockEnd);
            i = (int)(stop >> 32);
            j = (int)stop;
            if (i < blockEnd)
            {
                bytesWritten = j;
                return FailureAt(source, i);
            }
        }

        // The last 0-3 chars, or a block that did not fit: the scalar loop finds exactly where the output stops.
        return FromUtf16Scalar(source, destination, i, j, out bytesWritten);
    }

    // Narrows ASCII from `chars` to `bytes` in steps of 64 or 32 chars (where 512- or 256-bit vectors are fast) or 16, the
    // last step of each width overlapping the chars before it, which are ASCII and so of one byte each (123 ASCII chars
    // are two 64-char steps); stops before the first step that is not all ASCII, and tries the next narrower width from
    // there. Returns the chars narrowed.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int NarrowAscii(ref ushort chars, ref byte bytes, int count)
    {
        int at = 0;
        if (Vector512.IsHardwareAccelerated && count >= 64)
        {
            while (true)
            {
                int from = Math.Min(at, count - 64);
                Vector512<ushort> first = Vector512.LoadUnsafe(ref chars, (nuint)from);
                Vector512<ushort> second = Vector512.LoadUnsafe(ref chars, (nuint)(from + 32));
                if (((first | second) & Vector512.Create((ushort)0xFF80)) != Vector512<ushort>.Zero)
                {
                    break;
                }

                Vector512.Narrow(first, second).StoreUnsafe(ref bytes, (nuint)from);
                at = from + 64;
                if (at == count)
                {
                    return at;
                }
            }
        }

        if (Vector256.IsHardwareAccelerated && count >= 32)
        {
            while (true)
            {
                int from = Math.Min(at, count - 32);
                Vector256<ushort> first = Vector256.LoadUnsafe(ref chars, (nuint)from);
                Vector256<ushort> second = Vector256.LoadUnsafe(ref chars, (nuint)(from + 16));
                if (((first | second) & Vector256.Create((ushort)0xFF80)) != Vector256<ushort>.Zero)
                {
                    break;
                }

                Vector256.Narrow(first, second).StoreUnsafe(ref bytes, (nuint)from);
                at = from + 32;
                if (at == count)
                {
                    return at;
                }
            }
        }

        if (count >= 16)
        {
            while (true)
            {
                int from = Math.Min(at, count - 16);
                Vector128<ushort> first = Vector128.LoadUnsafe(ref chars, (nuint)from);
                Vector128<ushort> second = Vector128.LoadUnsafe(ref chars, (nuint)(from + 8));
                if (((first | second) & Vector128.Create((ushort)0xFF80)) != Vector128<ushort>.Zero)
                {
                    return at;
                }

                Vector128.Narrow(first, second).StoreUnsafe(ref bytes, (nuint)from);
                at = from + 16;
                if (at == count)
                {
                    return at;
                }
            }
        }

        // A run of 8-15 chars: the first and the last 8, which overlap, in one step.
        if (count >= BlockChars)
        {
            Vector128<ushort> first = Vector128.LoadUnsafe(ref chars);
            Vector128<ushort> second = Vector128.LoadUnsafe(ref chars, (nuint)(count - 8));
            if (((first | second) & Vector128.Create((ushort)0xFF80)) == Vector128<ushort>.Zero)
            {
                Vector128<ulong> narrowed = Vector128.Narrow(first, second).AsUInt64();
                Unsafe.WriteUnaligned(ref bytes, narrowed.ToScalar());
                Unsafe.WriteUnaligned(ref Unsafe.Add(ref bytes, count - 8), narrowed.GetElement(1));
                return count;
            }
        }

        return at;
    }

    // 1 to 3 bytes per BMP char and 4 per surrogate pair: a pair's high surrogate takes the first 2 bytes of its sequence
    // and its low surrogate the last 2, so that every char takes 1 to 3 bytes, as in a 3-byte block. Returns the end of
    // the output, or -1 if a surrogate is lone, or a pair is cut by the block's end, or the
    // output does not fit.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int WriteMixedBlock(Vector128<ushort> block, Vector128<ushort> surrogates, ref byte bytes, int room, int j, int shared, ushort before)
    {
        Vector128<ushort> high = Vector128.Equals(block & Vector128.Create((ushort)0xFC00), Vector128.Create((ushort)0xD800));
        Vector128<ushort> low = surrogates & ~high;
        uint highBits = high.ExtractMostSignificantBits();
        uint lowBits = low.ExtractMostSignificantBits();

        // Each low surrogate right after a high one, and each high one before a low one. A shared first char that is a low
        // surrogate is the second half of a pair written already (a lone one would have ended the transcoding), whose
        // high half, `before`, is the char before the block.
        uint sharedLow = shared != 0 ? 1u : 0u;
        if ((((highBits << 1) ^ lowBits) & ~sharedLow) != 0)
        {
            return -1;
        }

        Vector128<ushort> upTo2 = Vector128.Equals(block & Vector128.Create((ushort)0xF800), Vector128<ushort>.Zero);
        Encode(block, upTo2, out Vector128<ushort> first, out Vector128<ushort> second);

        // A high surrogate H: u = (H & 3FF) + 40 is the scalar's top 11 bits, and its bytes are F0 | u >> 8, 80 | (u >> 2) & 3F.
        Vector128<ushort> u = (block & Vector128.Create((ushort)0x3FF)) + Vector128.Create((ushort)0x40);
        first = Vector128.ConditionalSelect(high, ((u << 6) & Vector128.Create((ushort)0x3F00)) | Vector128.Create((ushort)0x8000), first);
        second = Vector128.ConditionalSelect(high, (u & Vector128.Create((ushort)0xFF00)) | Vector128.Create((ushort)0xF000), second);

        // A low surrogate L after H: its 3-byte middle byte 80 | (L >> 6) & 3F has bits 4-5 set (L's bits 10-11); the
        // sequence's third byte has H's low 2 bits there instead. Its last byte, 80 | L & 3F, is already right.
        Vector128<ushort> previous = Vector128.Shuffle(block, Vector128.Create((ushort)0, 0, 1, 2, 3, 4, 5, 6)).WithElement(0, before);
        second ^= Vector128.ShiftLeft(Vector128.AndNot(Vector128.Create((ushort)3), previous), 12) & low;

        uint wide2 = ~Vector128.Equals(block & Vector128.Create((ushort)0xFF80), Vector128<ushort>.Zero).ExtractMostSignificantBits() & 0xFF;
        uint wide3 = ~(upTo2 | surrogates).ExtractMostSignificantBits() & 0xFF;
        return WriteWideBlock(first, second, wide2, wide3, ref bytes, room, j, shared);
    }

    // 1 to 3 bytes per char (no surrogates). Returns the end of the output, or -1 if it does not fit.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int WriteThreeByteBlock(Vector128<ushort> block, ref byte bytes, int room, int j, int shared)
    {
        Vector128<ushort> upTo2 = Vector128.Equals(block & Vector128.Create((ushort)0xF800), Vector128<ushort>.Zero);
        Encode(block, upTo2, out Vector128<ushort> first, out Vector128<ushort> second);
        uint wide2 = ~Vector128.Equals(block & Vector128.Create((ushort)0xFF80), Vector128<ushort>.Zero).ExtractMostSignificantBits() & 0xFF;
        uint wide3 = ~upTo2.ExtractMostSignificantBits() & 0xFF;
        return WriteWideBlock(first, second, wide2, wide3, ref bytes, room, j, shared);
    }

    // The bytes of each of 8 chars below U+D800 or above U+DFFF, on all lanes at once: in `first`, the char itself (its
    // 1-byte form) and 80 | c & 3F (the last byte of its 2- or 3-byte form); in `second`, E0 | c >> 12 (the lead of its 3-byte
    // form) and, where `upTo2` is set, C0 | c >> 6 (the lead of its 2-byte form), elsewhere 80 | (c >> 6) & 3F (the middle
    // byte of its 3-byte form). Interleaved, each char's 32-bit lane has its form at bytes [0], [3, 1] or [2, 3, 1].
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Encode(Vector128<ushort> c, Vector128<ushort> upTo2, out Vector128<ushort> first, out Vector128<ushort> second)
    {
        first = (c & Vector128.Create((ushort)0x7F)) | ((c << 8) & Vector128.Create((ushort)0x3F00)) | Vector128.Create((ushort)0x8000);

        // Below U+0800, c >> 6 has no bit above 4, so C0 | c >> 6 is 80 | (c >> 6) & 3F with bit 6 set.
        second = Vector128.ShiftRightLogical(c, 12) | ((c << 2) & Vector128.Create((ushort)0x3F00)) | Vector128.Create((ushort)0x80E0)
            | (upTo2 & Vector128.Create((ushort)0x4000));
    }

    // Writes 8 chars encoded by Encode: bit k of `wide2` is set if char k takes 2 bytes or more, of `wide3` if 3. The
    // block's first `shared` chars were written already, at the end of the output: it starts where they did.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int WriteWideBlock(Vector128<ushort> first, Vector128<ushort> second, uint wide2, uint wide3, ref byte bytes, int room, int j, int shared)
    {
        uint sharedLanes = (1u << shared) - 1;
        int start = j - shared - BitOperations.PopCount(wide2 & sharedLanes) - BitOperations.PopCount(wide3 & sharedLanes);
        int lowIndex = (int)((wide2 & 0xF) | ((wide3 & 0xF) << 4));
        int highIndex = (int)((wide2 >> 4) | (wide3 & 0xF0));
        int lowCount = 4 + BitOperations.PopCount((uint)lowIndex);
        int highCount = 4 + BitOperations.PopCount((uint)highIndex);
        if (room - start < lowCount + highCount)
        {
            return -1;
        }

        Store(InterleaveLow(first, second), ref Unsafe.Add(ref bytes, start), lowCount, s_threeByteHead, s_threeByteTail, lowIndex);
        Store(InterleaveHigh(first, second), ref Unsafe.Add(ref bytes, start + lowCount), highCount, s_threeByteHead, s_threeByteTail, highIndex);
        return start + lowCount + highCount;
    }

    // Lanes 0-3 of `first` and `second`, alternating: each char's two 16-bit halves in one 32-bit lane.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<byte> InterleaveLow(Vector128<ushort> first, Vector128<ushort> second) =>
        Sse2.IsSupported ? Sse2.UnpackLow(first, second).AsByte() : AdvSimd.Arm64.ZipLow(first, second).AsByte();

    // Lanes 4-7 of `first` and `second`, alternating.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<byte> InterleaveHigh(Vector128<ushort> first, Vector128<ushort> second) =>
        Sse2.IsSupported ? Sse2.UnpackHigh(first, second).AsByte() : AdvSimd.Arm64.ZipHigh(first, second).AsByte();

    // Four valid surrogate pairs, in 32-bit lanes (the high surrogate in the low half), as four 4-byte sequences.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<byte> EncodeFourBytes(Vector128<uint> pairs)
    {
        Vector128<uint> scalar = (Vector128.ShiftLeft(pairs & Vector128.Create(0x3FFu), 10)
            | (Vector128.ShiftRightLogical(pairs, 16) & Vector128.Create(0x3FFu))) + Vector128.Create(0x10000u);
        Vector128<uint> continuation = Vector128.Create(0x80u);
        Vector128<uint> sixBits = Vector128.Create(0x3Fu);
        return (Vector128.ShiftRightLogical(scalar, 18) | Vector128.Create(0xF0u)
            | Vector128.ShiftLeft((Vector128.ShiftRightLogical(scalar, 12) & sixBits) | continuation, 8)
            | Vector128.ShiftLeft((Vector128.ShiftRightLogical(scalar, 6) & sixBits) | continuation, 16)
            | Vector128.ShiftLeft((scalar & sixBits) | continuation, 24)).AsByte();
    }

    // 1 or 2 bytes per char: each char's 2-byte form (or the char itself) in its 16-bit lane, then the unused high bytes
    // of the ASCII lanes squeezed out.
    // Returns the end of the output, or -1 if it does not fit.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int WriteTwoByteBlock(Vector128<ushort> block, ref byte bytes, int room, int j, int shared)
    {
        Vector128<ushort> ascii = Vector128.Equals(block & Vector128.Create((ushort)0xFF80), Vector128<ushort>.Zero);
        Vector128<ushort> twoBytes = Vector128.ShiftRightLogical(block, 6) | Vector128.Create((ushort)0xC0)
            | Vector128.ShiftLeft((block & Vector128.Create((ushort)0x3F)) | Vector128.Create((ushort)0x80), 8);
        Vector128<byte> encoded = Vector128.ConditionalSelect(ascii, block, twoBytes).AsByte();
        uint wide = ~ascii.ExtractMostSignificantBits() & 0xFF;
        int start = j - shared - BitOperations.PopCount(wide & ((1u << shared) - 1));
        int count = BlockChars + BitOperations.PopCount(wide);
        if (room - start < count)
        {
            return -1;
        }

        Store(encoded, ref Unsafe.Add(ref bytes, start), count, s_twoByteHead, s_twoByteTail, (int)wide);
        return start + count;
    }

    // Writes the `count` bytes the shuffles of entry `index` take from `encoded`: the first 8 (or 4) and the last 8
    // (or 4), which overlap, so nothing past `count` is written.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(Vector128<byte> encoded, ref byte destination, int count, byte[] heads, byte[] tails, int index)
    {
        Vector128<byte> head = Shuffle(encoded, Vector128.LoadUnsafe(ref MemoryMarshal.GetArrayDataReference(heads), (nuint)(index * 16)));
        Vector128<byte> tail = Shuffle(encoded, Vector128.LoadUnsafe(ref MemoryMarshal.GetArrayDataReference(tails), (nuint)(index * 16)));
        if (count >= 8)
        {
            Unsafe.WriteUnaligned(ref destination, head.AsUInt64().ToScalar());
            Unsafe.WriteUnaligned(ref Unsafe.Add(ref destination, count - 8), tail.AsUInt64().ToScalar());
        }
        else
        {
            Unsafe.WriteUnaligned(ref destination, head.AsUInt32().ToScalar());
            Unsafe.WriteUnaligned(ref Unsafe.Add(ref destination, count - 4), tail.AsUInt32().ToScalar());
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<byte> Shuffle(Vector128<byte> vector, Vector128<byte> indices) =>
        Ssse3.IsSupported ? Ssse3.Shuffle(vector, indices) : AdvSimd.Arm64.VectorTableLookup(vector, indices);

    // The byte offsets, within a 2-byte block's 16 bytes, that the chars selected by `wide` (bit k: char k takes 2 bytes) use.
    private static int TwoByteOutput(int wide, Span<byte> offsets)
    {
        int count = 0;
        for (int k = 0; k < 8; k++)
        {
            offsets[count++] = (byte)(2 * k);
            if ((wide & (1 << k)) != 0)
            {
                offsets[count++] = (byte)((2 * k) + 1);
            }
        }

        return count;
    }

    // The byte offsets, within four 32-bit lanes laid out by Encode, of the chars' UTF-8 forms: bit k of `index` set if
    // char k takes 2 bytes or more, bit 4 + k if 3.
    private static int ThreeByteOutput(int index, Span<byte> offsets)
    {
        int count = 0;
        for (int k = 0; k < 4; k++)
        {
            int lane = 4 * k;
            if ((index & (1 << (4 + k))) != 0)
            {
                offsets[count++] = (byte)(lane + 2);
            }

            if ((index & (1 << k)) != 0)
            {
                offsets[count++] = (byte)(lane + 3);
                offsets[count++] = (byte)(lane + 1);
            }
            else
            {
                offsets[count++] = (byte)lane;
            }
        }

        return count;
    }

    // 256 shuffles of 16 indices each; 0x80 (which both shuffles read as "write 0") past the bytes an entry takes.
    private static byte[] CreateShuffles(OutputOffsets output, bool tail)
    {
        var table = new byte[256 * 16];
        table.AsSpan().Fill(0x80);
        Span<byte> offsets = stackalloc byte[16];
        for (int index = 0; index < 256; index++)
        {
            int count = output(index, offsets);
            int from = !tail ? 0 : count >= 8 ? count - 8 : count - 4;
            offsets.Slice(from, count - from).CopyTo(table.AsSpan(index * 16));
        }

        return table;
    }

    private delegate int OutputOffsets(int index, Span<byte> offsets);
}
#endif
