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

/// <summary>Reading a close payload: ours against what users would write or use instead.</summary>
[MemoryDiagnoser]
public class ReadBenchmarks
{
    // Every input starts its reason on a cache line (Workload.Aligned), in every process.
    private ArraySegment<byte> _payload;
    private ArraySegment<byte> _serverFrame;
    private ArraySegment<byte> _clientFrame;
    private ArraySegment<byte> _unmasked;
    private readonly byte[] _receiveBuffer = new byte[256];

    [ParamsSource(nameof(Workloads))]
    public Workload Workload { get; set; } = Workload.Valid[0];

    public static IEnumerable<Workload> Workloads => Workload.ForRead;

    [GlobalSetup]
    public void Setup()
    {
        Workload.CheckLibraryBuild();
        byte[] payload = Workload.Payload;
        byte[] clientFrame = new byte[6 + payload.Length];
        clientFrame[0] = 0x88;
        clientFrame[1] = (byte)(0x80 | payload.Length);
        clientFrame[2] = 0x12;
        clientFrame[3] = 0x34;
        clientFrame[4] = 0x56;
        clientFrame[5] = 0x78;
        for (int i = 0; i < payload.Length; i++)
        {
            clientFrame[6 + i] = (byte)(payload[i] ^ clientFrame[2 + (i & 3)]);
        }

        _payload = Workload.Aligned<byte>(payload, alignedIndex: 2, pageOffset: 0);
        _serverFrame = Workload.Aligned<byte>([0x88, (byte)payload.Length, .. payload], alignedIndex: 4, pageOffset: 0);
        _clientFrame = Workload.Aligned<byte>(clientFrame, alignedIndex: 8, pageOffset: 0);
        _unmasked = Workload.Aligned<byte>(new byte[ClosePayload.MaxLength], alignedIndex: 2, pageOffset: 2048);
    }

    /// <summary>ClosePayload.ReadUtf8: every RFC rule, no allocation.</summary>
    [Benchmark]
    public int Ours()
    {
        CloseFrameError error = ClosePayload.ReadUtf8(_payload, out WebSocketCloseStatus status, out ReadOnlySpan<byte> reason);
        return (int)error + (int)status + reason.Length;
    }

    /// <summary>The least correct code: length checks, big-endian code, range check, Utf8.IsValid.</summary>
    [Benchmark(Baseline = true)]
    public int MinimalCorrect() => MinimalRead(_payload, out int status, out ReadOnlySpan<byte> reason) + status + reason.Length;

    /// <summary>What many stacks hand-roll: no code or UTF-8 validation, a string per reason.</summary>
    [Benchmark]
    public int NaiveGetString()
    {
        ReadOnlySpan<byte> payload = _payload;
        if (payload.Length < 2)
        {
            return 1005;
        }

        int status = BinaryPrimitives.ReadUInt16BigEndian(payload);
        string reason = Encoding.UTF8.GetString(payload[2..]);
        return status + reason.Length;
    }

    /// <summary>CloseFrame.Read on the unmasked server frame (header checks included).</summary>
    [Benchmark]
    public int OursFrameUnmasked()
    {
        CloseFrame.Read(_serverFrame, WebSocketRole.Client, _unmasked, out CloseFrameReadResult result);
        return (int)result.Status + result.ReasonLength + result.BytesConsumed;
    }

    /// <summary>CloseFrame.Read on the masked client frame (unmasking into a buffer included).</summary>
    [Benchmark]
    public int OursFrameMasked()
    {
        CloseFrame.Read(_clientFrame, WebSocketRole.Server, _unmasked, out CloseFrameReadResult result);
        return (int)result.Status + result.ReasonLength + result.BytesConsumed;
    }

    /// <summary>.NET's ManagedWebSocket receiving the masked frame via WebSocket.CreateFromStream: the only parser .NET offers; includes frame handling and the socket's creation.</summary>
    [Benchmark(Description = "DotNetManagedWebSocket (incl. frame handling)")]
    public async Task<int> DotNetManagedWebSocket()
    {
        using var stream = new MemoryStream(_clientFrame.Array!, _clientFrame.Offset, _clientFrame.Count, writable: false);
        using WebSocket socket = WebSocket.CreateFromStream(new ReadOnlyDuplex(stream), isServer: true, subProtocol: null, keepAliveInterval: Timeout.InfiniteTimeSpan);
        try
        {
            WebSocketReceiveResult result = await socket.ReceiveAsync(_receiveBuffer, CancellationToken.None).ConfigureAwait(false);
            return (int)(result.CloseStatus ?? 0) + (result.CloseStatusDescription?.Length ?? 0);
        }
        catch (WebSocketException)
        {
            return -1;
        }
    }

    // Same outputs as ClosePayload.Read: the code and the reason as a slice of the source.
    internal static int MinimalRead(ReadOnlySpan<byte> source, out int status, out ReadOnlySpan<byte> utf8Reason)
    {
        status = 0;
        utf8Reason = default;
        if (source.Length == 0)
        {
            status = 1005;
            return 0;
        }

        if (source.Length == 1 || source.Length > 125)
        {
            return 1;
        }

        int code = BinaryPrimitives.ReadUInt16BigEndian(source);
        bool valid = code is (>= 1000 and <= 1003) or (>= 1007 and <= 1014) or (>= 3000 and <= 4999);
        if (!valid)
        {
            return 3;
        }

        ReadOnlySpan<byte> reason = source[2..];
        if (!Utf8.IsValid(reason))
        {
            return 4;
        }

        status = code;
        utf8Reason = reason;
        return 0;
    }

    // ManagedWebSocket wants a writable stream for its answers; writes are dropped.
    private sealed class ReadOnlyDuplex(Stream input) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => input.Read(buffer, offset, count);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            new(input.Read(buffer.Span));

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count)
        {
        }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) => default;
    }
}
