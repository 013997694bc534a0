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
/// Two groups, each with its own baseline: a payload from chars (UTF-16) beside the two-pass and .NET's own ways, and a
/// payload from UTF-8 bytes. Every char writer against its floor, in each pattern, is in <see cref="PatternBenchmarks"/>.
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

    // Our cases and the minimal baselines read the status from a field, so none gets its status check folded away.
    private readonly int _code = 1000;
    private readonly WebSocketCloseStatus _status = WebSocketCloseStatus.NormalClosure;

    private readonly MemoryStream _stream = new(new byte[1024]);
    private string _reason = "";

    // Every input and output starts its reason on a cache line (Workload.Aligned), in every process.
    private ArraySegment<byte> _utf8Reason;
    private ArraySegment<byte> _destination;

    [ParamsSource(nameof(Workloads))]
    public Workload Workload { get; set; } = Workload.Valid[0];

    public static IEnumerable<Workload> Workloads => Workload.ForWrite;

    [GlobalSetup]
    public void Setup()
    {
        Workload.CheckLibraryBuild();
        _reason = Workload.Reason;
        _utf8Reason = Workload.Aligned<byte>(Workload.Utf8Reason, alignedIndex: 0, pageOffset: 1024);
        _destination = Workload.Aligned<byte>(new byte[ClosePayload.MaxLength], alignedIndex: 2, pageOffset: 2048);
    }

    [GlobalCleanup]
    public void Cleanup() => _stream.Dispose();

    /// <summary>ClosePayload.TryWrite from a string: validation, one transcoding pass, no allocation.</summary>
    [Benchmark]
    [BenchmarkCategory(FromChars)]
    public int OursChars()
    {
        ClosePayload.TryWrite(_destination, _status, _reason, out int written);
        return written;
    }

    /// <summary>ClosePayload.TryWriteUtf8: validation and a copy.</summary>
    [Benchmark]
    [BenchmarkCategory(FromUtf8)]
    public int OursUtf8()
    {
        ClosePayload.TryWriteUtf8(_destination, _status, (ReadOnlySpan<byte>)_utf8Reason, out int written);
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
        OperationStatus status = Utf8.FromUtf16(_reason, destination.Slice(2, 123), out _, out int written, replaceInvalidSequences: false);
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
        ReadOnlySpan<char> reason = _reason;
        int count = Encoding.UTF8.GetByteCount(reason);
        if (count > 123)
        {
            throw new ArgumentException("reason");
        }

        Span<byte> destination = _destination;
        BinaryPrimitives.WriteUInt16BigEndian(destination, 1000);
        return 2 + Encoding.UTF8.GetBytes(reason, destination[2..]);
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
