#if NET
using System;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace WebSockets.CloseStatus.Internal;

/// <summary>
/// The vector paths: the lookup algorithm of Keiser and Lemire, "Validating UTF-8 In Less Than One Instruction Per
/// Byte" (Software: Practice and Experience, 2021), as simdjson and simdutf use it. Three 16-entry tables, indexed by
/// the high and low nibbles of each byte's predecessor and the high nibble of the byte, say which errors the pair could
/// be; their AND is the errors it is. A byte two or three after a 3- or 4-byte lead must be a continuation, which the
/// pair tables cannot see: that check is separate. A block with an error is the verdict; when the caller needs the
/// exact index, the scalar loop finds it. Every path reads only inside the span: the rest after the last whole block is the end of the span, shuffled.
/// </summary>
internal static partial class Utf8Validation
{
    // Error bits (the paper's names).
    private const byte TooShort = 1 << 0;     // a lead or ASCII byte where a continuation must be
    private const byte TooLong = 1 << 1;      // a continuation after ASCII
    private const byte Overlong3 = 1 << 2;    // E0 followed by 80–9F
    private const byte TooLarge = 1 << 3;     // F4 followed by 90–BF, or F5–FF
    private const byte Surrogate = 1 << 4;    // ED followed by A0–BF
    private const byte Overlong2 = 1 << 5;    // C0 or C1
    private const byte TooLarge1000 = 1 << 6; // F5–FF followed by 80–8F
    private const byte Overlong4 = 1 << 6;    // F0 followed by 80–8F
    private const byte TwoConts = 1 << 7;     // a continuation after a continuation (allowed only where a 3- or 4-byte lead requires it)
    private const byte Carry = TooShort | TooLong | TwoConts;

    // The table entries, named: constants, so that each table is 16 byte constants (a mutation tool cannot turn them
    // into expressions that no longer fit in a byte).
    private const byte Lead2Overlong = TooShort | Overlong2;                           // C0–CF first
    private const byte Lead3 = TooShort | Overlong3 | Surrogate;                       // E0–EF first
    private const byte Lead4 = TooShort | TooLarge | TooLarge1000 | Overlong4;         // F0–FF first
    private const byte Low0 = Carry | Overlong3 | Overlong2 | Overlong4;               // _0 first: C0, E0, F0
    private const byte Low1 = Carry | Overlong2;                                       // _1 first: C1
    private const byte Low4 = Carry | TooLarge;                                        // _4 first: F4
    private const byte Low5Up = Carry | TooLarge | TooLarge1000;                       // _5–_F first: F5–FF
    private const byte LowD = Carry | TooLarge | TooLarge1000 | Surrogate;             // _D first: ED
    private const byte Second8 = TooLong | Overlong2 | TwoConts | Overlong3 | TooLarge1000 | Overlong4; // 80–8F second
    private const byte Second9 = TooLong | Overlong2 | TwoConts | Overlong3 | TooLarge;                 // 90–9F second
    private const byte SecondAB = TooLong | Overlong2 | TwoConts | Surrogate | TooLarge;                // A0–BF second
    private const byte ThirdMask = 0xE0 - 0x80; // only 111_____ keeps its high bit after this saturating subtraction
    private const byte FourthMask = 0xF0 - 0x80; // only 1111____ does

    // The tables are constants the JIT folds into each use; forced inline, because where its inlining budget ran out
    // (in the last-block code of the 512- and 128-bit paths) a getter call made it spill every vector around the call.

    // Indexed by the high nibble of the first byte of a pair.
    private static Vector128<byte> Byte1High
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Vector128.Create(
            TooLong, TooLong, TooLong, TooLong, TooLong, TooLong, TooLong, TooLong,
            TwoConts, TwoConts, TwoConts, TwoConts,
            Lead2Overlong, TooShort, Lead3, Lead4);
    }

    // Indexed by the low nibble of the first byte of a pair.
    private static Vector128<byte> Byte1Low
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Vector128.Create(
            Low0, Low1, Carry, Carry, Low4, Low5Up, Low5Up, Low5Up,
            Low5Up, Low5Up, Low5Up, Low5Up, Low5Up, LowD, Low5Up, Low5Up);
    }

    // Indexed by the high nibble of the second byte of a pair.
    private static Vector128<byte> Byte2High
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Vector128.Create(
            TooShort, TooShort, TooShort, TooShort, TooShort, TooShort, TooShort, TooShort,
            Second8, Second9, SecondAB, SecondAB,
            TooShort, TooShort, TooShort, TooShort);
    }

    /// <summary>The widest path this runtime supports: 512 (AVX-512BW), 256 (AVX2), 128 (SSSE3 or Arm64 AdvSimd), or 0.</summary>
    private static int HardwareVectorBits =>
        Vector512.IsHardwareAccelerated && Avx512BW.IsSupported ? 512
        : Avx2.IsSupported ? 256
        : Ssse3.IsSupported || AdvSimd.Arm64.IsSupported ? 128
        : 0;

    /// <summary>The vector path for this machine and this length (at least 16 bytes); false when the CPU has none.</summary>
    /// <remarks>
    /// The widest vector the input fills at least once: a short reason is checked in one or two 128-bit steps, which cost
    /// less than a 512-bit one. AVX-512 reads the part after its last whole block through a masked load; the other
    /// paths in 16-byte blocks (a close reason is at most 123 bytes).
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool TryIndexOfInvalidVector(ReadOnlySpan<byte> source, bool exact, out int index)
    {
        int bits = ActiveVectorBits;

        // A short ASCII reason, the common case, in one step without a call: its first and last 16 bytes cover it.
        if (bits >= 128 && source.Length <= 2 * Vector128<byte>.Count)
        {
            ref byte origin = ref MemoryMarshal.GetReference(source);
            if (IsAscii(Vector128.LoadUnsafe(ref origin) | Vector128.LoadUnsafe(ref origin, (nuint)(source.Length - Vector128<byte>.Count))))
            {
                index = -1;
                return true;
            }
        }

        if (bits >= 512 && source.Length >= Vector512<byte>.Count)
        {
            index = IndexOfInvalid512(source, exact);
            return true;
        }

        if (bits >= 256 && source.Length >= Vector256<byte>.Count)
        {
            index = IndexOfInvalid256(source, exact);
            return true;
        }

        if (bits >= 128)
        {
            index = Finish128(source, 0, Vector128<byte>.Zero, exact);
            return true;
        }

        index = 0;
        return false;
    }

    /// <summary>
    /// An input under 16 bytes in one 128-bit step, read zero-padded: the zeros after it catch a sequence it cuts off, as
    /// in <see cref="Finish128"/>. The exact index of an error, and a CPU without the step, are left to the scalar loop.
    /// </summary>
    private static int IndexOfInvalidShort(ReadOnlySpan<byte> source, bool exact)
    {
        if (ActiveVectorBits < 128)
        {
            return IndexOfInvalid(source, 0);
        }

        ref byte origin = ref MemoryMarshal.GetReference(source);
        int length = source.Length;
        Vector128<byte> input = (length >= sizeof(ulong)
            ? Vector128.Create(ReadUInt64(ref origin, 0), ReadEnd(ref origin, sizeof(ulong), length - sizeof(ulong)))
            : Vector128.CreateScalar(ReadEnd(ref origin, 0, length))).AsByte();
        if (IsAscii(input) || Errors128(input, Vector128<byte>.Zero) == Vector128<byte>.Zero)
        {
            return -1;
        }

        return exact ? IndexOfInvalid(source, 0) : 0;
    }

    /// <summary>
    /// 16-byte blocks from <paramref name="i"/> to the end, after <paramref name="previous"/>, then the rest: the last 16
    /// bytes of the span, shuffled down so that the rest comes first and zeros (ASCII) follow. The zeros also catch a
    /// sequence cut off at the end. Needs at least 16 bytes in the span, which every caller has.
    /// </summary>
    private static int Finish128(ReadOnlySpan<byte> source, int i, Vector128<byte> previous, bool exact)
    {
        ref byte origin = ref MemoryMarshal.GetReference(source);
        int length = source.Length;
        for (; length - i >= Vector128<byte>.Count; i += Vector128<byte>.Count)
        {
            Vector128<byte> input = Vector128.LoadUnsafe(ref origin, (nuint)i);
            if (!IsAscii(input | previous) && Errors128(input, previous) != Vector128<byte>.Zero)
            {
                return exact ? Locate(source, i) : i;
            }

            previous = input;
        }

        // The last 16 bytes hold the rest: if they and the block before the rest are ASCII, nothing is left to check.
        int rest = length - i;
        Vector128<byte> end = rest == 0 ? Vector128<byte>.Zero : Vector128.LoadUnsafe(ref origin, (nuint)(length - Vector128<byte>.Count));
        if (IsAscii(end | previous))
        {
            return -1;
        }

        Vector128<byte> last = rest == 0
            ? Vector128<byte>.Zero
            : Lookup128(end, Vector128.LoadUnsafe(ref MemoryMarshal.GetReference(TailShuffle), (nuint)(Vector128<byte>.Count - rest)));
        return Errors128(last, previous) == Vector128<byte>.Zero ? -1 : exact ? Locate(source, i) : i;
    }

    // Shuffle indices from offset 16 - rest: 16 - rest .. 15 (the last rest bytes of a vector), then 0x80 (a zero).
    private static ReadOnlySpan<byte> TailShuffle =>
    [
        0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
        0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80,
    ];

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<byte> Errors128(Vector128<byte> input, Vector128<byte> previous)
    {
        Vector128<byte> prev1 = Previous128(input, previous, 15);
        Vector128<byte> special = Lookup128(Byte1High, Vector128.ShiftRightLogical(prev1, 4))
            & Lookup128(Byte1Low, prev1 & Vector128.Create((byte)0x0F))
            & Lookup128(Byte2High, Vector128.ShiftRightLogical(input, 4));

        // Only 111_____ two bytes back and 1111____ three bytes back keep their high bit.
        Vector128<byte> must23 = SubtractSaturate128(Previous128(input, previous, 14), ThirdMask)
            | SubtractSaturate128(Previous128(input, previous, 13), FourthMask);
        return (must23 & Vector128.Create((byte)0x80)) ^ special;
    }

    /// <summary>The input shifted right by 16 - <paramref name="shift"/> bytes, the start filled from the end of <paramref name="previous"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<byte> Previous128(Vector128<byte> input, Vector128<byte> previous, [ConstantExpected(Min = 13, Max = 15)] byte shift) =>
        Ssse3.IsSupported ? Ssse3.AlignRight(input, previous, shift) : AdvSimd.ExtractVector128(previous, input, shift);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<byte> Lookup128(Vector128<byte> table, Vector128<byte> nibbles) =>
        Ssse3.IsSupported ? Ssse3.Shuffle(table, nibbles) : AdvSimd.Arm64.VectorTableLookup(table, nibbles);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<byte> SubtractSaturate128(Vector128<byte> value, byte amount) =>
        Sse2.IsSupported ? Sse2.SubtractSaturate(value, Vector128.Create(amount)) : AdvSimd.SubtractSaturate(value, Vector128.Create(amount));

    private static int IndexOfInvalid256(ReadOnlySpan<byte> source, bool exact)
    {
        ref byte origin = ref MemoryMarshal.GetReference(source);
        int length = source.Length;
        Vector256<byte> previous = Vector256<byte>.Zero;
        int i = 0;
        for (; length - i >= Vector256<byte>.Count; i += Vector256<byte>.Count)
        {
            Vector256<byte> input = Vector256.LoadUnsafe(ref origin, (nuint)i);
            if (!IsAscii(input | previous) && Errors256(input, previous) != Vector256<byte>.Zero)
            {
                return exact ? Locate(source, i) : i;
            }

            previous = input;
        }

        return Finish128(source, i, previous.GetUpper(), exact);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<byte> Errors256(Vector256<byte> input, Vector256<byte> previous)
    {
        // AlignRight works within each 128-bit lane: give it the lane before each one (the previous block's upper lane first).
        Vector256<byte> before = Avx2.Permute2x128(previous, input, 0x21);
        Vector256<byte> prev1 = Avx2.AlignRight(input, before, 15);
        Vector256<byte> special = Avx2.Shuffle(Vector256.Create(Byte1High, Byte1High), Vector256.ShiftRightLogical(prev1, 4))
            & Avx2.Shuffle(Vector256.Create(Byte1Low, Byte1Low), prev1 & Vector256.Create((byte)0x0F))
            & Avx2.Shuffle(Vector256.Create(Byte2High, Byte2High), Vector256.ShiftRightLogical(input, 4));
        Vector256<byte> must23 = Avx2.SubtractSaturate(Avx2.AlignRight(input, before, 14), Vector256.Create(ThirdMask))
            | Avx2.SubtractSaturate(Avx2.AlignRight(input, before, 13), Vector256.Create(FourthMask));
        return (must23 & Vector256.Create((byte)0x80)) ^ special;
    }

    private static int IndexOfInvalid512(ReadOnlySpan<byte> source, bool exact)
    {
        ref byte origin = ref MemoryMarshal.GetReference(source);
        int length = source.Length;
        Vector512<byte> previous = Vector512<byte>.Zero;
        int i = 0;
        for (; length - i >= Vector512<byte>.Count; i += Vector512<byte>.Count)
        {
            Vector512<byte> input = Vector512.LoadUnsafe(ref origin, (nuint)i);
            if (!IsAscii(input | previous) && Errors512(input, previous) != Vector512<byte>.Zero)
            {
                return exact ? Locate(source, i) : i;
            }

            previous = input;
        }

        // The rest through a masked load: AVX-512 loads none of the masked-off bytes, so none past the span.
        Vector512<byte> last = MaskedLoad512(ref Unsafe.Add(ref origin, i), length - i);
        return IsAscii(last | previous) || Errors512(last, previous) == Vector512<byte>.Zero ? -1 : exact ? Locate(source, i) : i;
    }

    /// <summary>The first <paramref name="count"/> bytes from <paramref name="source"/>, zeros after them; reads nothing else.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe Vector512<byte> MaskedLoad512(ref byte source, int count)
    {
        Vector512<byte> mask = Vector512.LessThan(Vector512<byte>.Indices, Vector512.Create((byte)count));
        fixed (byte* address = &source)
        {
            return Avx512BW.MaskLoad(address, mask, Vector512<byte>.Zero);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<byte> Errors512(Vector512<byte> input, Vector512<byte> previous)
    {
        // The lane before each 128-bit lane: the previous block's last lane, then the input's lanes 0–2.
        Vector512<byte> before = Avx512F.AlignRight64(input.AsUInt64(), previous.AsUInt64(), 6).AsByte();
        Vector512<byte> prev1 = Avx512BW.AlignRight(input, before, 15);
        Vector512<byte> special = Avx512BW.Shuffle(Lanes512(Byte1High), Vector512.ShiftRightLogical(prev1, 4))
            & Avx512BW.Shuffle(Lanes512(Byte1Low), prev1 & Vector512.Create((byte)0x0F))
            & Avx512BW.Shuffle(Lanes512(Byte2High), Vector512.ShiftRightLogical(input, 4));
        Vector512<byte> must23 = Avx512BW.SubtractSaturate(Avx512BW.AlignRight(input, before, 14), Vector512.Create(ThirdMask))
            | Avx512BW.SubtractSaturate(Avx512BW.AlignRight(input, before, 13), Vector512.Create(FourthMask));
        return (must23 & Vector512.Create((byte)0x80)) ^ special;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<byte> Lanes512(Vector128<byte> table)
    {
        Vector256<byte> half = Vector256.Create(table, table);
        return Vector512.Create(half, half);
    }

    // A block of ASCII after a block of ASCII needs no more checking: no sequence can start, end or be cut off in it.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool IsAscii(Vector128<byte> value) => (value & Vector128.Create((byte)0x80)) == Vector128<byte>.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool IsAscii(Vector256<byte> value) => (value & Vector256.Create((byte)0x80)) == Vector256<byte>.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool IsAscii(Vector512<byte> value) => (value & Vector512.Create((byte)0x80)) == Vector512<byte>.Zero;

    /// <summary>
    /// The exact index after a vector block at <paramref name="block"/> found an error. Everything before the block is
    /// well formed, but for a last sequence the block may complete; the scalar loop starts at that sequence's lead (a
    /// lead within the last three bytes), or at the block.
    /// </summary>
    private static int Locate(ReadOnlySpan<byte> source, int block)
    {
        int from = block;
        for (int back = 1; back <= 3 && block - back >= 0; back++)
        {
            byte b = source[block - back];
            if ((b & 0xC0) != 0x80)
            {
                if (b >= 0xC0)
                {
                    from = block - back;
                }

                break;
            }
        }

        return IndexOfInvalid(source, from);
    }
}
#endif
