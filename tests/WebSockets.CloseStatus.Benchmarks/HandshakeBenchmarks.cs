using System;
using System.Collections.Generic;
using BenchmarkDotNet.Attributes;

namespace WebSockets.CloseStatus.Benchmarks;

/// <summary>
/// A server's whole closing handshake for one connection (issue #15): read the client's masked close frame, write the
/// echo, report the transport closed and read the result, through CloseHandshake, against the same work done with the
/// frame-level calls alone (CloseFrame.Read, then CloseFrame.TryWrite of the echo). Both return what they found, so
/// neither can be optimized away.
/// </summary>
[MemoryDiagnoser]
public class HandshakeBenchmarks
{
    private readonly CloseHandshake _handshake = new(WebSocketRole.Server);
    private ArraySegment<byte> _clientFrame;
    private ArraySegment<byte> _unmasked;
    private ArraySegment<byte> _reply;

    [ParamsSource(nameof(Workloads))]
    public Workload Workload { get; set; } = Workload.Valid[0];

    public static IEnumerable<Workload> Workloads => Workload.ForHandshake;

    [GlobalSetup]
    public void Setup()
    {
        Workload.CheckLibraryBuild();
        byte[] payload = Workload.Payload;
        byte[] key = [0x12, 0x34, 0x56, 0x78];
        byte[] frame = new byte[6 + payload.Length];
        frame[0] = 0x88;
        frame[1] = (byte)(0x80 | payload.Length);
        key.CopyTo(frame, 2);
        for (int i = 0; i < payload.Length; i++)
        {
            frame[6 + i] = (byte)(payload[i] ^ key[i & 3]);
        }

        _clientFrame = Workload.Aligned<byte>(frame, alignedIndex: 8, pageOffset: 0);
        _unmasked = Workload.Aligned<byte>(new byte[ClosePayload.MaxLength], alignedIndex: 2, pageOffset: 2048);
        _reply = Workload.Aligned<byte>(new byte[CloseFrame.MaxLength], alignedIndex: 0, pageOffset: 1024);
    }

    /// <summary>The frame-level calls a stack would make by hand: read the close, write the echo.</summary>
    [Benchmark(Baseline = true)]
    public int FrameCalls()
    {
        CloseFrame.Read(_clientFrame, WebSocketRole.Server, _unmasked, out CloseFrameReadResult frame);
        CloseFrame.TryWriteUtf8(_reply, WebSocketRole.Server, frame.Status, ReadOnlySpan<byte>.Empty, out int written);
        return (int)frame.Status + frame.ReasonLength + written;
    }

    /// <summary>CloseHandshake: the close, the echo it asks for, the transport closed, and the connection's result (§7.1.4–7.1.6).</summary>
    [Benchmark]
    public int Handshake()
    {
        CloseHandshake handshake = _handshake;
        handshake.Reset();
        handshake.ReceiveCloseFrame(_clientFrame, out _);
        handshake.WriteClose(_reply, out int written);
        handshake.ReportTransportClosed();
        return (int)handshake.CloseStatus.GetValueOrDefault() + handshake.Utf8CloseStatusDescription.Length + written + (handshake.WasClean ? 1 : 0);
    }
}
