using System;
using System.Buffers;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Text.Unicode;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;

namespace WebSockets.CloseStatus.Benchmarks;

/// <summary>How the caller meets the bytes: the patterns of issue #40.</summary>
public enum Pattern
{
    /// <summary>The call in a loop, its output not read.</summary>
    Hot,

    /// <summary>A writer's output copied right after it was written (as into a send buffer); a reader's input copied in right before it is read (as a receive does).</summary>
    ReadBack,

    /// <summary>One call after 8 MiB were written over, which evicts the code and the data from the L1 and L2 caches.</summary>
    Cold,
}

/// <summary>
/// Every char writer and the payload reader against its floor, in each <see cref="Pattern"/>: the char writers against
/// one strict <c>Utf8.FromUtf16</c> pass behind the same header, the reader against the least correct reader over
/// <c>Utf8.IsValid</c>.
/// </summary>
[MemoryDiagnoser]
[CategoriesColumn]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
public abstract class PatternBenchmarksBase
{
    private const string Payload = "Payload";
    private const string ServerFrame = "ServerFrame";
    private const string ClientFrame = "ClientFrame";
    private const string Read = "Read";
    private const uint MaskingKey = 0x12345678;

    // Our cases and the floors read the status from a field, so none gets its status check folded away.
    private readonly int _code = 1000;
    private readonly WebSocketCloseStatus _status = WebSocketCloseStatus.NormalClosure;
    private readonly CloseHandshake _handshake = new(WebSocketRole.Server);
    private readonly ArraySegment<byte> _sendBuffer = Workload.Aligned<byte>(new byte[CloseFrame.MaxLength], alignedIndex: 0, pageOffset: 512);

    private string _reason = "";
    private ArraySegment<byte> _payload;
    private ArraySegment<byte> _serverFrame;
    private ArraySegment<byte> _clientFrame;
    private ArraySegment<byte> _received;
    private ArraySegment<byte> _arrived;

    [ParamsSource(nameof(Workloads))]
    public Workload Workload { get; set; } = Workload.Valid[1];

    public static IEnumerable<Workload> Workloads => Workload.ForPatterns;

    /// <summary>Whether each case copies its output out (a writer) or its input in (the reader).</summary>
    protected bool ReadsBack { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        Workload.CheckLibraryBuild();
        _reason = Workload.AlignedString(Workload.Reason, alignedIndex: 2, pageOffset: 1536);   // a string, as callers pass it; the floors read the same one
        _payload = Workload.Aligned<byte>(new byte[ClosePayload.MaxLength], alignedIndex: 2, pageOffset: 2048);
        _serverFrame = Workload.Aligned<byte>(new byte[CloseFrame.MaxLength], alignedIndex: 4, pageOffset: 2048);
        _clientFrame = Workload.Aligned<byte>(new byte[CloseFrame.MaxLength], alignedIndex: 8, pageOffset: 2048);
        _received = Workload.Aligned<byte>(Workload.Payload, alignedIndex: 2, pageOffset: 1024);
        _arrived = Workload.Aligned<byte>(Workload.Payload, alignedIndex: 2, pageOffset: 3072);
        CheckSameBytes();
        PromoteEveryCase();
    }

    /// <summary>
    /// Promotes every case to tier 1, in every process, whichever case it measures: rounds of 50 calls (over the JIT's
    /// 30) with a pause past its 100 ms call-counting delay, until a whole round compiles no method. So each process
    /// compiles the same methods in the same order, and the runtime code all cases share (<c>Utf8.FromUtf16</c>'s
    /// transcoder, <c>Utf8.IsValid</c>) lands at the same addresses in ours' process as in the floor's; and one call per
    /// iteration (the cold pattern) measures final code from its first call.
    /// </summary>
    private void PromoteEveryCase()
    {
        long compiled = -1;
        for (int round = 0; round < 40 && System.Runtime.JitInfo.GetCompiledMethodCount() != compiled; round++)
        {
            compiled = System.Runtime.JitInfo.GetCompiledMethodCount();
            for (int i = 0; i < 50; i++)
            {
                CallEveryCase();
            }

            System.Threading.Thread.Sleep(150);
        }
    }

    /// <summary>Calls every case once.</summary>
    private int CallEveryCase() =>
        OursChars() + OursCharsTruncating() + MinimalStrict()
        + OursFrameServer() + OursFrameServerTruncating() + OursHandshakeWriteClose() + MinimalStrictFrame()
        + OursFrameMasked() + OursFrameMaskedTruncating() + MinimalStrictFrameMasked()
        + OursRead() + MinimalRead();

    /// <summary>ClosePayload.TryWrite from chars.</summary>
    [Benchmark]
    [BenchmarkCategory(Payload)]
    public int OursChars()
    {
        ClosePayload.TryWrite(_payload, _status, _reason, out int written);
        return Use(_payload, written);
    }

    /// <summary>ClosePayload.TryWrite from chars with truncation on (the reason fits, as most do).</summary>
    [Benchmark]
    [BenchmarkCategory(Payload)]
    public int OursCharsTruncating()
    {
        ClosePayload.TryWrite(_payload, _status, _reason, out int written, CloseReasonTruncation.TruncateWithEllipsis);
        return Use(_payload, written);
    }

    /// <summary>The floor: range check, big-endian code, one strict Utf8.FromUtf16 pass.</summary>
    [Benchmark(Baseline = true)]
    [BenchmarkCategory(Payload)]
    public int MinimalStrict() => Use(_payload, MinimalFrame(_payload, headerLength: 0));

    /// <summary>CloseFrame.TryWrite of a server's frame.</summary>
    [Benchmark]
    [BenchmarkCategory(ServerFrame)]
    public int OursFrameServer()
    {
        CloseFrame.TryWrite(_serverFrame, WebSocketRole.Server, _status, _reason, out int written);
        return Use(_serverFrame, written);
    }

    /// <summary>CloseFrame.TryWrite of a server's frame with truncation on.</summary>
    [Benchmark]
    [BenchmarkCategory(ServerFrame)]
    public int OursFrameServerTruncating()
    {
        CloseFrame.TryWrite(_serverFrame, WebSocketRole.Server, _status, _reason, out int written, CloseReasonTruncation.TruncateWithEllipsis);
        return Use(_serverFrame, written);
    }

    /// <summary>A server's CloseHandshake writing its close (Reset first, so each call starts the handshake again).</summary>
    [Benchmark]
    [BenchmarkCategory(ServerFrame)]
    public int OursHandshakeWriteClose()
    {
        CloseHandshake handshake = _handshake;
        handshake.Reset();
        handshake.WriteClose(_serverFrame, _status, _reason, out int written);
        return Use(_serverFrame, written);
    }

    /// <summary>The floor of a server's frame: MinimalStrict behind the 2-byte header.</summary>
    [Benchmark(Baseline = true)]
    [BenchmarkCategory(ServerFrame)]
    public int MinimalStrictFrame() => Use(_serverFrame, MinimalFrame(_serverFrame, headerLength: 2));

    /// <summary>CloseFrame.TryWriteMasked of a client's frame with a given key.</summary>
    [Benchmark]
    [BenchmarkCategory(ClientFrame)]
    public int OursFrameMasked()
    {
        CloseFrame.TryWriteMasked(_clientFrame, MaskingKey, _status, _reason, out int written);
        return Use(_clientFrame, written);
    }

    /// <summary>CloseFrame.TryWriteMasked with truncation on.</summary>
    [Benchmark]
    [BenchmarkCategory(ClientFrame)]
    public int OursFrameMaskedTruncating()
    {
        CloseFrame.TryWriteMasked(_clientFrame, MaskingKey, _status, _reason, out int written, CloseReasonTruncation.TruncateWithEllipsis);
        return Use(_clientFrame, written);
    }

    /// <summary>The floor of a client's frame: MinimalStrict behind the 6-byte header, then the mask, 8 bytes at a time.</summary>
    [Benchmark(Baseline = true)]
    [BenchmarkCategory(ClientFrame)]
    public int MinimalStrictFrameMasked()
    {
        Span<byte> frame = _clientFrame;
        int length = MinimalFrame(frame, headerLength: 6);
        BinaryPrimitives.WriteUInt32BigEndian(frame[2..], MaskingKey);
        ulong key = BinaryPrimitives.ReadUInt32LittleEndian(frame[2..]);
        key |= key << 32;
        Span<byte> payload = frame[6..length];
        int i = 0;
        for (; i + 8 <= payload.Length; i += 8)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(payload[i..], BinaryPrimitives.ReadUInt64LittleEndian(payload[i..]) ^ key);
        }

        for (; i < payload.Length; i++)
        {
            payload[i] ^= (byte)(key >> (8 * (i & 3)));
        }

        return Use(_clientFrame, length);
    }

    /// <summary>ClosePayload.Read of the payload.</summary>
    [Benchmark]
    [BenchmarkCategory(Read)]
    public int OursRead()
    {
        Arrive();
        CloseFrameError error = ClosePayload.ReadUtf8(_received, out WebSocketCloseStatus status, out ReadOnlySpan<byte> reason);
        return (int)error + (int)status + reason.Length;
    }

    /// <summary>The least correct reader: length checks, big-endian code, range check, Utf8.IsValid.</summary>
    [Benchmark(Baseline = true)]
    [BenchmarkCategory(Read)]
    public int MinimalRead()
    {
        Arrive();
        return ReadBenchmarks.MinimalRead(_received, out int status, out ReadOnlySpan<byte> reason) + status + reason.Length;
    }

    // ReadBack: the bytes written are copied out at once, as into a send buffer.
    private int Use(ArraySegment<byte> output, int written)
    {
        if (ReadsBack)
        {
            output.AsSpan(0, written).CopyTo(_sendBuffer);
        }

        return written;
    }

    // ReadBack: the payload arrives (is copied in) right before it is read.
    private void Arrive()
    {
        if (ReadsBack)
        {
            _arrived.AsSpan().CopyTo(_received);
        }
    }

    // The header, then the code and one strict Utf8.FromUtf16 pass: the frame's (or, without a header, the payload's) length.
    private int MinimalFrame(Span<byte> frame, int headerLength)
    {
        int code = _code;
        if (!(code is (>= 1000 and <= 1003) or (>= 1007 and <= 1014) or (>= 3000 and <= 4999)))
        {
            throw new InvalidOperationException("status");
        }

        OperationStatus status = Utf8.FromUtf16(_reason, frame.Slice(headerLength + 2, 123), out _, out int written, replaceInvalidSequences: false);
        if (status != OperationStatus.Done)
        {
            throw new ArgumentException("reason");
        }

        if (headerLength > 0)
        {
            frame[0] = 0x88;
            frame[1] = (byte)((headerLength == 6 ? 0x80 : 0) | (written + 2));
        }

        BinaryPrimitives.WriteUInt16BigEndian(frame[headerLength..], (ushort)code);
        return headerLength + 2 + written;
    }

    // Each writer must write exactly its floor's bytes, and the reader return what its floor does, or a ratio compares different work.
    private void CheckSameBytes()
    {
        (string Name, Func<int> Ours, Func<int> Floor, ArraySegment<byte> Output)[] pairs =
        [
            (nameof(OursChars), OursChars, MinimalStrict, _payload),
            (nameof(OursCharsTruncating), OursCharsTruncating, MinimalStrict, _payload),
            (nameof(OursFrameServer), OursFrameServer, MinimalStrictFrame, _serverFrame),
            (nameof(OursFrameServerTruncating), OursFrameServerTruncating, MinimalStrictFrame, _serverFrame),
            (nameof(OursHandshakeWriteClose), OursHandshakeWriteClose, MinimalStrictFrame, _serverFrame),
            (nameof(OursFrameMasked), OursFrameMasked, MinimalStrictFrameMasked, _clientFrame),
            (nameof(OursFrameMaskedTruncating), OursFrameMaskedTruncating, MinimalStrictFrameMasked, _clientFrame),
        ];
        foreach ((string name, Func<int> ours, Func<int> floor, ArraySegment<byte> output) in pairs)
        {
            byte[] expected = output.AsSpan(0, floor()).ToArray();
            output.AsSpan().Clear();
            int written = ours();
            if (!output.AsSpan(0, written).SequenceEqual(expected))
            {
                throw new InvalidOperationException($"{name} [{Workload}] wrote {Convert.ToHexString(output.AsSpan(0, written))}, its floor {Convert.ToHexString(expected)}.");
            }
        }

        if (OursRead() != MinimalRead())
        {
            throw new InvalidOperationException($"{nameof(OursRead)} [{Workload}] disagrees with its floor.");
        }
    }
}

/// <summary>The cases in a loop: as they are (Hot) and with the bytes read right after they were written (ReadBack).</summary>
public class PatternBenchmarks : PatternBenchmarksBase
{
    [Params(Pattern.Hot, Pattern.ReadBack)]
    public Pattern Pattern
    {
        get => ReadsBack ? Pattern.ReadBack : Pattern.Hot;
        set => ReadsBack = value == Pattern.ReadBack;
    }
}

/// <summary>
/// The cases one call at a time, each after 8 MiB were written over (in the iteration's setup, not measured): a close
/// comes once per connection, with other work between two. Each iteration is one call, so the figures carry the
/// timer's cost too, the same in every case (BenchmarkDotNet subtracts its measured overhead). Every case runs its
/// final, optimized code from the first measured call: the setup calls them until the JIT compiles nothing more, as
/// one call per iteration would otherwise measure tier-0 code for the first hundred or so iterations.
/// </summary>
[InvocationCount(1, 1)]
[WarmupCount(10)]
[IterationCount(200)]
public class ColdBenchmarks : PatternBenchmarksBase
{
    private readonly byte[] _evict = new byte[8 << 20];
    private int _round;

    [Params(Pattern.Cold)]
    public Pattern Pattern { get; set; } = Pattern.Cold;

    [IterationSetup]
    public void Evict()
    {
        byte value = (byte)++_round;
        byte[] evict = _evict;
        for (int i = 0; i < evict.Length; i += 64)
        {
            evict[i] = value;
        }
    }
}
