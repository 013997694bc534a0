using System;
using System.Buffers;
using System.Linq;

namespace WebSockets.CloseStatus.Tests.TestData;

/// <summary>Builds multi-segment <see cref="ReadOnlySequence{T}"/> values, as System.IO.Pipelines hands them out.</summary>
public static class Segments
{
    public static ReadOnlySequence<byte> Split(byte[] bytes, int at) =>
        at <= 0 || at >= bytes.Length ? new ReadOnlySequence<byte>(bytes) : Of(bytes[..at], bytes[at..]);

    public static ReadOnlySequence<byte> Of(params byte[][] parts) =>
        Fuzz.Sequences.Of([.. parts.Select(part => (ReadOnlyMemory<byte>)part)]);
}
