using System;
using System.IO;
using System.Net.WebSockets;
using System.Threading;
using System.Threading.Tasks;

namespace WebSockets.CloseStatus.Tests.TestData;

/// <summary>Drives .NET's own <c>ManagedWebSocket</c> (via <see cref="WebSocket.CreateFromStream(Stream, bool, string, TimeSpan)"/>) over in-memory bytes.</summary>
public static class SystemNetPeer
{
    public sealed record Received(bool Accepted, int? Status, string? Description, byte[] SentBack);

    /// <summary>Feeds <paramref name="frame"/> to a .NET WebSocket and reports what it made of it and what it wrote back.</summary>
    public static async Task<Received> ReceiveAsync(byte[] frame, bool isServer)
    {
        using var stream = new DuplexStream(frame);
        using WebSocket socket = WebSocket.CreateFromStream(stream, isServer, subProtocol: null, keepAliveInterval: Timeout.InfiniteTimeSpan);
        byte[] buffer = new byte[256];
        try
        {
            WebSocketReceiveResult result = await socket.ReceiveAsync(buffer, CancellationToken.None);
            return new Received(result.MessageType == WebSocketMessageType.Close, (int?)result.CloseStatus, result.CloseStatusDescription, stream.Written);
        }
        catch (WebSocketException)
        {
            return new Received(false, null, null, stream.Written);
        }
    }

    /// <summary>Has .NET write a close frame with <c>CloseOutputAsync</c> and returns the bytes.</summary>
    public static async Task<byte[]> SendCloseAsync(System.Net.WebSockets.WebSocketCloseStatus status, string? description, bool isServer)
    {
        using var stream = new DuplexStream([]);
        using WebSocket socket = WebSocket.CreateFromStream(stream, isServer, subProtocol: null, keepAliveInterval: Timeout.InfiniteTimeSpan);
        await socket.CloseOutputAsync(status, description, CancellationToken.None);
        return stream.Written;
    }

    /// <summary>A masked client frame (what a server receives): FIN | close, MASK | length, key, masked payload.</summary>
    public static byte[] MaskedCloseFrame(byte[] payload, uint key = 0x37FA213D)
    {
        byte[] frame = new byte[6 + payload.Length];
        frame[0] = 0x88;
        frame[1] = (byte)(0x80 | payload.Length);
        frame[2] = (byte)(key >> 24);
        frame[3] = (byte)(key >> 16);
        frame[4] = (byte)(key >> 8);
        frame[5] = (byte)key;
        for (int i = 0; i < payload.Length; i++)
        {
            frame[6 + i] = (byte)(payload[i] ^ frame[2 + (i % 4)]);
        }

        return frame;
    }

    private sealed class DuplexStream(byte[] input) : Stream
    {
        private readonly MemoryStream _input = new(input, writable: false);
        private readonly MemoryStream _output = new();

        public byte[] Written => _output.ToArray();

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

        public override int Read(byte[] buffer, int offset, int count) => _input.Read(buffer, offset, count);

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => _output.Write(buffer, offset, count);

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _input.Dispose();
                _output.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
