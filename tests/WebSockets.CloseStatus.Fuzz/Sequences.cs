using System;
using System.Buffers;

namespace WebSockets.CloseStatus.Fuzz;

/// <summary>Multi-segment <see cref="ReadOnlySequence{T}"/> values, as System.IO.Pipelines hands them out; shared by the fuzz targets and the tests.</summary>
public static class Sequences
{
    /// <summary>One segment per part, in order; empty parts make empty segments.</summary>
    public static ReadOnlySequence<byte> Of(params ReadOnlyMemory<byte>[] parts)
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
