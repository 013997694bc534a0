using System;
using System.Buffers;

namespace WebSockets.CloseStatus.Tests.TestData;

/// <summary>Builds multi-segment <see cref="ReadOnlySequence{T}"/> values, as System.IO.Pipelines hands them out.</summary>
public static class Segments
{
    public static ReadOnlySequence<byte> Split(byte[] bytes, int at) =>
        at <= 0 || at >= bytes.Length ? new ReadOnlySequence<byte>(bytes) : Of(bytes[..at], bytes[at..]);

    public static ReadOnlySequence<byte> Of(params byte[][] parts)
    {
        var first = new Segment(parts[0], 0);
        Segment last = first;
        for (int i = 1; i < parts.Length; i++)
        {
            last = last.Append(parts[i]);
        }

        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
