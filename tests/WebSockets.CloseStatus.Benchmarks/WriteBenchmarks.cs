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

namespace WebSockets.CloseStatus.Benchmarks;

/// <summary>Writing a close payload: ours against what users would write or use instead.</summary>
[MemoryDiagnoser]
#pragma warning disable CA1001 // BenchmarkDotNet wants unsealed classes; the stream is disposed in GlobalCleanup.
public class WriteBenchmarks
#pragma warning restore CA1001
{
    private readonly int _code = 1000;
    private readonly byte[] _destination = new byte[CloseFrame.MaxLength];
    private readonly MemoryStream _stream = new(new byte[1024]);
    private string _reason = "";
    private byte[] _utf8Reason = [];

    [ParamsSource(nameof(Workloads))]
    public Workload Workload { get; set; } = Workload.Valid[0];

    public static IEnumerable<Workload> Workloads => Workload.Valid;

    [GlobalSetup]
    public void Setup()
    {
        _reason = Workload.Reason;
        _utf8Reason = Workload.Utf8Reason;
    }

    [GlobalCleanup]
    public void Cleanup() => _stream.Dispose();

    /// <summary>ClosePayload.TryWrite from a string: validation, one transcoding pass, no allocation.</summary>
    [Benchmark]
    public int OursChars()
    {
        ClosePayload.TryWrite(_destination, WebSocketCloseStatus.NormalClosure, _reason, out int written);
        return written;
    }

    /// <summary>ClosePayload.TryWrite from UTF-8 bytes: validation and a copy.</summary>
    [Benchmark]
    public int OursUtf8()
    {
        ClosePayload.TryWrite(_destination, WebSocketCloseStatus.NormalClosure, _utf8Reason, out int written);
        return written;
    }

    /// <summary>The least strict-correct code: range check, big-endian code, one Utf8.FromUtf16 pass that rejects lone surrogates.</summary>
    [Benchmark(Baseline = true)]
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

    /// <summary>The common two-pass version: Encoding.UTF8.GetByteCount, then GetBytes.</summary>
    [Benchmark]
    public int TwoPassEncoding()
    {
        int count = Encoding.UTF8.GetByteCount(_reason);
        if (count > 123)
        {
            throw new ArgumentException("reason");
        }

        BinaryPrimitives.WriteUInt16BigEndian(_destination, 1000);
        return 2 + Encoding.UTF8.GetBytes(_reason, _destination.AsSpan(2));
    }

    /// <summary>CloseFrame.TryWrite of a whole unmasked server frame.</summary>
    [Benchmark]
    public int OursFrameServer()
    {
        CloseFrame.TryWrite(_destination, WebSocketRole.Server, WebSocketCloseStatus.NormalClosure, _reason, out int written);
        return written;
    }

    /// <summary>CloseFrame.TryWriteMasked of a whole client frame with a given key.</summary>
    [Benchmark]
    public int OursFrameMasked()
    {
        CloseFrame.TryWriteMasked(_destination, WebSocketCloseStatus.NormalClosure, _reason, 0x12345678, out int written);
        return written;
    }

    /// <summary>.NET's CloseOutputAsync into a reused stream: a new ManagedWebSocket per close, frame handling included.</summary>
    [Benchmark]
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
