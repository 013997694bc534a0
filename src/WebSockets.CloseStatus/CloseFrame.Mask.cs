using System;
using System.Buffers.Binary;
using System.Security.Cryptography;
#if NET
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
#endif

namespace WebSockets.CloseStatus;

public static partial class CloseFrame
{
#if !NET8_0_OR_GREATER
    private static readonly RandomNumberGenerator s_random = RandomNumberGenerator.Create();

    [ThreadStatic]
    private static byte[]? t_keyBuffer;
#endif

    /// <summary>XORs <paramref name="data"/> with a masking key, which both masks and unmasks (RFC 6455 §5.3); usable for any frame.</summary>
    /// <param name="data">The payload bytes, changed in place.</param>
    /// <param name="maskingKey">The masking key; its big-endian bytes are the 4 key bytes on the wire.</param>
    /// <param name="keyOffset">The position of <paramref name="data"/>'s first byte within the frame's payload, for a payload processed in pieces; only its remainder modulo 4 matters.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="keyOffset"/> is negative.</exception>
    public static void Mask(Span<byte> data, uint maskingKey, int keyOffset = 0)
    {
        if (keyOffset < 0)
        {
            Internal.ThrowHelper.ThrowNegative(keyOffset, nameof(keyOffset));
        }

        // The key as it meets the data (data[0] meets key byte keyOffset % 4), twice, to XOR eight bytes at a time.
        // Big-endian reads and writes keep key byte 0 on the first data byte on any machine, and the key stays in a
        // register: an eight-byte stack copy of it cost about 9 ns per call (BenchmarkDotNet, .NET 10).
        uint key = RotateLeft(maskingKey, 8 * (keyOffset & 3));
        ulong wide = ((ulong)key << 32) | key;

        int i = 0;
#if NET
        // 16 bytes per step, with the key's bytes in memory order: a step's start is a multiple of 4, as the key repeats.
        if (BitConverter.IsLittleEndian)
        {
            Vector128<byte> keys = Vector128.Create(BinaryPrimitives.ReverseEndianness(wide)).AsByte();
            ref byte start = ref MemoryMarshal.GetReference(data);
            for (; data.Length - i >= Vector128<byte>.Count; i += Vector128<byte>.Count)
            {
                (Vector128.LoadUnsafe(ref start, (nuint)i) ^ keys).StoreUnsafe(ref start, (nuint)i);
            }
        }
#endif
        for (; data.Length - i >= sizeof(ulong); i += sizeof(ulong))
        {
            Span<byte> chunk = data.Slice(i, sizeof(ulong));
            BinaryPrimitives.WriteUInt64BigEndian(chunk, BinaryPrimitives.ReadUInt64BigEndian(chunk) ^ wide);
        }

        // The last 0-7 bytes in at most three steps, not a byte at a time: i is a multiple of 4 here, so the key starts
        // at its first byte, and a step of 4 keeps it there.
        if (data.Length - i >= sizeof(uint))
        {
            Span<byte> chunk = data.Slice(i, sizeof(uint));
            BinaryPrimitives.WriteUInt32BigEndian(chunk, BinaryPrimitives.ReadUInt32BigEndian(chunk) ^ key);
            i += sizeof(uint);
        }

        if (data.Length - i >= sizeof(ushort))
        {
            Span<byte> chunk = data.Slice(i, sizeof(ushort));
            BinaryPrimitives.WriteUInt16BigEndian(chunk, (ushort)(BinaryPrimitives.ReadUInt16BigEndian(chunk) ^ (key >> 16)));
            i += sizeof(ushort);
        }

        if (i < data.Length)
        {
            // The key's third byte after a 2-byte step, else its first.
            data[i] ^= (byte)(key >> ((i & 2) != 0 ? 8 : 24));
        }
    }

    private static uint NewMaskingKey()
    {
#if NET8_0_OR_GREATER
        Span<byte> key = stackalloc byte[MaskingKeyLength];
        RandomNumberGenerator.Fill(key);
        return BinaryPrimitives.ReadUInt32BigEndian(key);
#else
        byte[] key = t_keyBuffer ??= new byte[MaskingKeyLength];
        s_random.GetBytes(key);
        return BinaryPrimitives.ReadUInt32BigEndian(key);
#endif
    }

#if NET8_0_OR_GREATER
    private static uint RotateLeft(uint value, int bits) => System.Numerics.BitOperations.RotateLeft(value, bits);
#else
    // C# takes a uint's shift count modulo 32, so bits == 0 gives value | value.
    private static uint RotateLeft(uint value, int bits) => (value << bits) | (value >> (32 - bits));
#endif
}
