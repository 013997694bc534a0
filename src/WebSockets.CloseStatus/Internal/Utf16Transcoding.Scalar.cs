#if !NET
using System;
using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace WebSockets.CloseStatus.Internal;

/// <summary>The netstandard2.0 build's transcoder: one scalar at a time, and ASCII four chars at a time.</summary>
internal static partial class Utf16Transcoding
{
    // The high 9 bits of four chars: all clear when the four are ASCII.
    private const ulong NonAsciiMask4 = 0xFF80_FF80_FF80_FF80;

    /// <summary>The scalar loop behind <see cref="FromUtf16"/>, with its contract.</summary>
    /// <remarks>Each index is checked against the length of its span before it is used.</remarks>
    private static OperationStatus FromUtf16Scalar(ReadOnlySpan<char> source, Span<byte> destination, out int charsRead, out int bytesWritten)
    {
        ref char chars = ref MemoryMarshal.GetReference(source);
        ref byte bytes = ref MemoryMarshal.GetReference(destination);
        int length = source.Length;
        int room = destination.Length;
        int at = 0;
        int written = 0;
        OperationStatus status = OperationStatus.Done;
        while (at < length)
        {
            uint c = Unsafe.Add(ref chars, at);
            if (c < 0x80)
            {
                if (written == room)
                {
                    status = OperationStatus.DestinationTooSmall;
                    break;
                }

                Unsafe.Add(ref bytes, written) = (byte)c;
                written++;
                at++;

                // More ASCII is likely after ASCII: four chars at a time while none is above U+007F.
                while (length - at >= 4 && room - written >= 4)
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
                    status = OperationStatus.DestinationTooSmall;
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
                    status = OperationStatus.DestinationTooSmall;
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
                // A high surrogate with a low one after it is a pair; any other surrogate is lone, whatever the room.
                uint low = c < 0xDC00 && at + 1 < length ? Unsafe.Add(ref chars, at + 1) : 0u;
                if (low - 0xDC00u >= 0x400)
                {
                    status = OperationStatus.InvalidData;
                    break;
                }

                if (room - written < 4)
                {
                    status = OperationStatus.DestinationTooSmall;
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

        charsRead = at;
        bytesWritten = written;
        return status;
    }
}
#endif
