using System;
using System.Buffers;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Net.WebSockets;
using System.Text;
using System.Text.Unicode;
using System.Threading;
using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;

namespace WebSockets.CloseStatus.Benchmarks;

/// <summary>Writing a close payload: ours against what users would write or use instead.</summary>
/// <remarks>
/// Four groups, each with its own baseline: writing a payload from chars (UTF-16), a server frame from chars, a masked
/// client frame from chars, and a payload from UTF-8 bytes. Each char writer is measured plain and with truncation on
/// (issue #28: every char writer at most the one-pass floor), and the setup checks that each writes its floor's bytes.
/// </remarks>
[MemoryDiagnoser]
[CategoriesColumn]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
#pragma warning disable CA1001 // BenchmarkDotNet wants unsealed classes; the stream is disposed in GlobalCleanup.
public class WriteBenchmarks
#pragma warning restore CA1001
{
    private const string FromChars = "FromChars";
    private const string FromUtf8 = "FromUtf8";
    private const string FrameFromChars = "FrameFromChars";
    private const string MaskedFrameFromChars = "MaskedFrameFromChars";
    private const uint MaskingKey = 0x12345678;

    // Our cases and the minimal baselines read the status from a field, so none gets its status check folded away.
    private readonly int _code = 1000;
    private readonly WebSocketCloseStatus _status = WebSocketCloseStatus.NormalClosure;

    private readonly MemoryStream _stream = new(new byte[1024]);
    private readonly CloseHandshake _handshake = new(WebSocketRole.Server);
    private string _reason = "";

    // Every input and output starts its reason on a cache line (Workload.Aligned), in every process.
    private ArraySegment<char> _reasonChars;
    private ArraySegment<byte> _utf8Reason;
    private ArraySegment<byte> _destination;
    private ArraySegment<byte> _serverFrameDestination;
    private ArraySegment<byte> _clientFrameDestination;

    [ParamsSource(nameof(Workloads))]
    public Workload Workload { get; set; } = Workload.Valid[0];

    public static IEnumerable<Workload> Workloads => Workload.ForWrite;

    [GlobalSetup]
    public void Setup()
    {
        Workload.CheckLibraryBuild();
        _reason = Workload.Reason;
        _reasonChars = Workload.Aligned<char>(_reason, alignedIndex: 0, pageOffset: 0);
        _utf8Reason = Workload.Aligned<byte>(Workload.Utf8Reason, alignedIndex: 0, pageOffset: 1024);
        _destination = Workload.Aligned<byte>(new byte[ClosePayload.MaxLength], alignedIndex: 2, pageOffset: 2048);
        _serverFrameDestination = Workload.Aligned<byte>(new byte[CloseFrame.MaxLength], alignedIndex: 4, pageOffset: 2048);
        _clientFrameDestination = Workload.Aligned<byte>(new byte[CloseFrame.MaxLength], alignedIndex: 8, pageOffset: 2048);
        CheckSameBytes();
    }

    [GlobalCleanup]
    public void Cleanup() => _stream.Dispose();

    /// <summary>ClosePayload.TryWrite from a string: validation, one transcoding pass, no allocation.</summary>
    [Benchmark]
    [BenchmarkCategory(FromChars)]
    public int OursChars()
    {
        ClosePayload.TryWrite(_destination, _status, (ReadOnlySpan<char>)_reasonChars, out int written);
        return written;
    }

    /// <summary>ClosePayload.TryWrite from UTF-8 bytes: validation and a copy.</summary>
    [Benchmark]
    [BenchmarkCategory(FromUtf8)]
    public int OursUtf8()
    {
        ClosePayload.TryWrite(_destination, _status, (ReadOnlySpan<byte>)_utf8Reason, out int written);
        return written;
    }

    /// <summary>The least strict-correct code: range check, big-endian code, one Utf8.FromUtf16 pass that rejects lone surrogates.</summary>
    [Benchmark(Baseline = true)]
    [BenchmarkCategory(FromChars)]
    public int MinimalStrict()
    {
        int code = _code;
        if (!(code is (>= 1000 and <= 1003) or (>= 1007 and <= 1014) or (>= 3000 and <= 4999)))
        {
            throw new ArgumentOutOfRangeException(nameof(code));
        }

        Span<byte> destination = _destination;
        BinaryPrimitives.WriteUInt16BigEndian(destination, (ushort)code);
        OperationStatus status = Utf8.FromUtf16(_reasonChars, destination.Slice(2, 123), out _, out int written, replaceInvalidSequences: false);
        return status == OperationStatus.Done ? written + 2 : throw new ArgumentException("reason");
    }

    /// <summary>The least strict-correct code for UTF-8 input: range check, length check, Utf8.IsValid, a copy.</summary>
    [Benchmark(Baseline = true)]
    [BenchmarkCategory(FromUtf8)]
    public int MinimalStrictUtf8()
    {
        int code = _code;
        if (!(code is (>= 1000 and <= 1003) or (>= 1007 and <= 1014) or (>= 3000 and <= 4999)))
        {
            throw new ArgumentOutOfRangeException(nameof(code));
        }

        ReadOnlySpan<byte> reason = _utf8Reason;
        if (reason.Length > 123 || !Utf8.IsValid(reason))
        {
            throw new ArgumentException("reason");
        }

        Span<byte> destination = _destination;
        BinaryPrimitives.WriteUInt16BigEndian(destination, (ushort)code);
        reason.CopyTo(destination[2..]);
        return reason.Length + 2;
    }

    /// <summary>The common two-pass version: Encoding.UTF8.GetByteCount, then GetBytes.</summary>
    [Benchmark]
    [BenchmarkCategory(FromChars)]
    public int TwoPassEncoding()
    {
        ReadOnlySpan<char> reason = _reasonChars;
        int count = Encoding.UTF8.GetByteCount(reason);
        if (count > 123)
        {
            throw new ArgumentException("reason");
        }

        Span<byte> destination = _destination;
        BinaryPrimitives.WriteUInt16BigEndian(destination, 1000);
        return 2 + Encoding.UTF8.GetBytes(reason, destination[2..]);
    }

    /// <summary>CloseFrame.TryWrite of a whole unmasked server frame.</summary>
    [Benchmark]
    [BenchmarkCategory(FrameFromChars)]
    public int OursFrameServer()
    {
        CloseFrame.TryWrite(_serverFrameDestination, WebSocketRole.Server, _status, (ReadOnlySpan<char>)_reasonChars, out int written);
        return written;
    }

    /// <summary>CloseFrame.TryWriteMasked of a whole client frame with a given key.</summary>
    [Benchmark]
    [BenchmarkCategory(MaskedFrameFromChars)]
    public int OursFrameMasked()
    {
        CloseFrame.TryWriteMasked(_clientFrameDestination, MaskingKey, _status, (ReadOnlySpan<char>)_reasonChars, out int written);
        return written;
    }

    /// <summary>ClosePayload.TryWrite from chars with truncation on: a reason that fits is written whole, in one pass.</summary>
    [Benchmark]
    [BenchmarkCategory(FromChars)]
    public int OursCharsTruncating()
    {
        ClosePayload.TryWrite(_destination, _status, (ReadOnlySpan<char>)_reasonChars, CloseReasonTruncation.TruncateWithEllipsis, out int written, out _);
        return written;
    }

    /// <summary>The least strict-correct code for a server's close frame: MinimalStrict behind the 2-byte header.</summary>
    [Benchmark(Baseline = true)]
    [BenchmarkCategory(FrameFromChars)]
    public int MinimalStrictFrame() => MinimalFrame(_serverFrameDestination, headerLength: 2);

    /// <summary>CloseFrame.TryWrite with truncation on.</summary>
    [Benchmark]
    [BenchmarkCategory(FrameFromChars)]
    public int OursFrameServerTruncating()
    {
        CloseFrame.TryWrite(_serverFrameDestination, WebSocketRole.Server, _status, (ReadOnlySpan<char>)_reasonChars, CloseReasonTruncation.TruncateWithEllipsis, out int written, out _);
        return written;
    }

    /// <summary>A server's CloseHandshake writing its close (Reset first, so each call starts the handshake again).</summary>
    [Benchmark]
    [BenchmarkCategory(FrameFromChars)]
    public int OursHandshakeWriteClose()
    {
        CloseHandshake handshake = _handshake;
        handshake.Reset();
        return handshake.WriteClose(_serverFrameDestination, _status, (ReadOnlySpan<char>)_reasonChars);
    }

    /// <summary>The least strict-correct code for a client's close frame: MinimalStrict behind the 6-byte header, then the mask, 8 bytes at a time.</summary>
    [Benchmark(Baseline = true)]
    [BenchmarkCategory(MaskedFrameFromChars)]
    public int MinimalStrictFrameMasked()
    {
        Span<byte> frame = _clientFrameDestination;
        int length = MinimalFrame(frame, headerLength: 6);
        BinaryPrimitives.WriteUInt32BigEndian(frame[2..], MaskingKey);

        // The key's wire bytes, read as a little-endian word (this machine's order), twice: one XOR masks 8 bytes.
        ulong key = BinaryPrimitives.ReadUInt32LittleEndian(frame[2..]);
        key |= key << 32;
        Span<byte> payload = frame[6..length];
        int i = 0;
        for (; i + 8 <= payload.Length; i += 8)
        {
            ulong masked = BinaryPrimitives.ReadUInt64LittleEndian(payload[i..]) ^ key;
            BinaryPrimitives.WriteUInt64LittleEndian(payload[i..], masked);
        }

        for (; i < payload.Length; i++)
        {
            payload[i] ^= (byte)(key >> (8 * (i & 3)));
        }

        return length;
    }

    /// <summary>CloseFrame.TryWriteMasked with truncation on.</summary>
    [Benchmark]
    [BenchmarkCategory(MaskedFrameFromChars)]
    public int OursFrameMaskedTruncating()
    {
        CloseFrame.TryWriteMasked(_clientFrameDestination, MaskingKey, _status, (ReadOnlySpan<char>)_reasonChars, CloseReasonTruncation.TruncateWithEllipsis, out int written, out _);
        return written;
    }

    /// <summary>.NET's CloseOutputAsync into a reused stream: a new ManagedWebSocket per close, frame handling included.</summary>
    [Benchmark(Description = "DotNetCloseOutputAsync (incl. frame handling)")]
    [BenchmarkCategory(FromChars)]
    public async Task<long> DotNetCloseOutputAsync()
    {
        _stream.Position = 0;
        using WebSocket socket = WebSocket.CreateFromStream(new KeepOpenStream(_stream), isServer: true, subProtocol: null, keepAliveInterval: Timeout.InfiniteTimeSpan);
        await socket.CloseOutputAsync(System.Net.WebSockets.WebSocketCloseStatus.NormalClosure, _reason, CancellationToken.None).ConfigureAwait(false);
        return _stream.Position;
    }

    // Disposing the WebSocket disposes its stream; this keeps the reused stream open across closes.
    // The close frame's header, then MinimalStrict's payload behind it: the frame's length.
    private int MinimalFrame(Span<byte> frame, int headerLength)
    {
        int code = _code;
        if (!(code is (>= 1000 and <= 1003) or (>= 1007 and <= 1014) or (>= 3000 and <= 4999)))
        {
            throw new InvalidOperationException("status");
        }

        OperationStatus status = Utf8.FromUtf16(_reasonChars, frame.Slice(headerLength + 2, 123), out _, out int written, replaceInvalidSequences: false);
        if (status != OperationStatus.Done)
        {
            throw new ArgumentException("reason");
        }

        frame[0] = 0x88;
        frame[1] = (byte)((headerLength == 6 ? 0x80 : 0) | (written + 2));
        BinaryPrimitives.WriteUInt16BigEndian(frame[headerLength..], (ushort)code);
        return headerLength + 2 + written;
    }

    // Each of our char writers must write exactly its floor's bytes, or its ratio compares different work.
    private void CheckSameBytes()
    {
        (string Name, Func<int> Ours, Func<int> Floor, ArraySegment<byte> Output)[] pairs =
        [
            (nameof(OursChars), OursChars, MinimalStrict, _destination),
            (nameof(OursCharsTruncating), OursCharsTruncating, MinimalStrict, _destination),
            (nameof(OursFrameServer), OursFrameServer, MinimalStrictFrame, _serverFrameDestination),
            (nameof(OursFrameServerTruncating), OursFrameServerTruncating, MinimalStrictFrame, _serverFrameDestination),
            (nameof(OursHandshakeWriteClose), OursHandshakeWriteClose, MinimalStrictFrame, _serverFrameDestination),
            (nameof(OursFrameMasked), OursFrameMasked, MinimalStrictFrameMasked, _clientFrameDestination),
            (nameof(OursFrameMaskedTruncating), OursFrameMaskedTruncating, MinimalStrictFrameMasked, _clientFrameDestination),
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
    }

    private sealed class KeepOpenStream(Stream inner) : Stream
    {
        public override bool CanRead => true; // CreateFromStream insists; nothing is read

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => inner.Length;

        public override long Position
        {
            get => inner.Position;
            set => inner.Position = value;
        }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);

        public override void Write(ReadOnlySpan<byte> buffer) => inner.Write(buffer);

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            inner.Write(buffer.Span);
            return default;
        }
    }
}
