using System;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace WebSockets.CloseStatus.Tests.TestData;

/// <summary>
/// A WebSocket peer written from RFC 6455 alone (§1.3 handshake, §5.2 framing), with no WebSocket library, so a test
/// decides byte by byte what it does: answer a close, never answer, drop TCP, send data after a close, close first.
/// It records every frame it reads, decoded on its own, so a test can check what the peer saw.
/// </summary>
public sealed class RawPeer : IDisposable
{
    private readonly TcpClient _tcp;
    private readonly NetworkStream _stream;
    private readonly bool _masks;

    private RawPeer(TcpClient tcp, bool isClient)
    {
        _tcp = tcp;
        _stream = tcp.GetStream();
        _masks = isClient;
    }

    public sealed record Frame(byte Opcode, bool Fin, byte[] Payload)
    {
        public int? CloseCode => Opcode == 8 && Payload.Length >= 2 ? Payload[0] << 8 | Payload[1] : null;

        public string CloseReason => Opcode == 8 && Payload.Length > 2 ? Encoding.UTF8.GetString(Payload, 2, Payload.Length - 2) : string.Empty;
    }

    /// <summary>The frames this peer has read, in order.</summary>
    public List<Frame> Received { get; } = [];

    /// <summary>Listens on 127.0.0.1 as a WebSocket server; <see cref="AcceptAsync"/> takes one client.</summary>
    public static TcpListener Listen()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return listener;
    }

    public static Uri UriOf(TcpListener listener) => new($"ws://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}/");

    /// <summary>Accepts one client and answers its opening handshake (§4.2.2).</summary>
    public static async Task<RawPeer> AcceptAsync(TcpListener listener, CancellationToken ct)
    {
        TcpClient tcp = await listener.AcceptTcpClientAsync(ct);
        var peer = new RawPeer(tcp, isClient: false);
        string request = await peer.ReadHeadAsync(ct);
        string key = Header(request, "Sec-WebSocket-Key");
#pragma warning disable CA5350 // RFC 6455 §4.2.2 defines the accept value with SHA-1; it protects nothing
        string accept = Convert.ToBase64String(SHA1.HashData(Encoding.ASCII.GetBytes(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11")));
#pragma warning restore CA5350
        await peer.WriteAsync(Encoding.ASCII.GetBytes(
            $"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: {accept}\r\n\r\n"), ct);
        return peer;
    }

    /// <summary>Connects to a WebSocket server as a client and completes the opening handshake (§4.1).</summary>
    public static async Task<RawPeer> ConnectAsync(Uri uri, CancellationToken ct)
    {
        var tcp = new TcpClient();
        await tcp.ConnectAsync(uri.Host, uri.Port, ct);
        var peer = new RawPeer(tcp, isClient: true);
        string key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));
        await peer.WriteAsync(Encoding.ASCII.GetBytes(
            $"GET {uri.PathAndQuery} HTTP/1.1\r\nHost: {uri.Authority}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n"), ct);
        string response = await peer.ReadHeadAsync(ct);
        if (!response.StartsWith("HTTP/1.1 101", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"the server refused the upgrade: {response}");
        }

        return peer;
    }

    /// <summary>Reads the next frame, or <see langword="null"/> when the connection ends or <paramref name="timeout"/> passes first.</summary>
    public async Task<Frame?> ReadFrameAsync(TimeSpan timeout)
    {
        using var timer = new CancellationTokenSource(timeout);
        try
        {
            byte[] header = new byte[2];
            if (!await FillAsync(header, timer.Token))
            {
                return null;
            }

            long length = header[1] & 0x7F;
            if (length >= 126)
            {
                byte[] extended = new byte[length == 126 ? 2 : 8];
                await FillAsync(extended, timer.Token);
                length = 0;
                foreach (byte b in extended)
                {
                    length = length << 8 | b;
                }
            }

            byte[] key = new byte[(header[1] & 0x80) != 0 ? 4 : 0];
            await FillAsync(key, timer.Token);
            byte[] payload = new byte[length];
            await FillAsync(payload, timer.Token);
            for (int i = 0; i < payload.Length && key.Length == 4; i++)
            {
                payload[i] ^= key[i % 4];
            }

            var frame = new Frame((byte)(header[0] & 0x0F), (header[0] & 0x80) != 0, payload);
            Received.Add(frame);
            return frame;
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException)
        {
            return null;
        }
    }

    /// <summary>Reads frames until a close frame, answering pings with nothing; <see langword="null"/> if none arrives in time.</summary>
    public async Task<Frame?> ReadCloseAsync(TimeSpan timeout)
    {
        DateTime end = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < end)
        {
            Frame? frame = await ReadFrameAsync(end - DateTime.UtcNow);
            if (frame is null || frame.Opcode == 8)
            {
                return frame;
            }
        }

        return null;
    }

    public Task SendTextAsync(string text) => SendFrameAsync(0x1, Encoding.UTF8.GetBytes(text));

    public Task SendCloseAsync(int code, string reason) =>
        SendFrameAsync(0x8, [(byte)(code >> 8), (byte)code, .. Encoding.UTF8.GetBytes(reason)]);

    /// <summary>Sends one final frame (§5.2), masked when this peer is the client (§5.3).</summary>
    public async Task SendFrameAsync(byte opcode, byte[] payload)
    {
        var frame = new List<byte> { (byte)(0x80 | opcode) };
        byte maskBit = _masks ? (byte)0x80 : (byte)0;
        if (payload.Length < 126)
        {
            frame.Add((byte)(maskBit | payload.Length));
        }
        else
        {
            frame.AddRange([(byte)(maskBit | 126), (byte)(payload.Length >> 8), (byte)payload.Length]);
        }

        byte[] key = _masks ? RandomNumberGenerator.GetBytes(4) : [];
        frame.AddRange(key);
        for (int i = 0; i < payload.Length; i++)
        {
            frame.Add(_masks ? (byte)(payload[i] ^ key[i % 4]) : payload[i]);
        }

        await WriteAsync([.. frame], CancellationToken.None);
    }

    /// <summary>Ends the TCP connection without a close frame.</summary>
    public void DropConnection()
    {
        try
        {
            _tcp.Client.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException)
        {
            // already reset by the other side
        }

        _tcp.Close();
    }

    /// <summary>Whether the other side has closed TCP: a read returns the end of the stream (or a reset) within <paramref name="timeout"/>.</summary>
    public async Task<bool> SeesConnectionEndAsync(TimeSpan timeout)
    {
        DateTime end = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < end)
        {
            using var timer = new CancellationTokenSource(end - DateTime.UtcNow);
            try
            {
                byte[] one = new byte[1];
                if (await _stream.ReadAsync(one, timer.Token) == 0)
                {
                    return true;
                }
            }
            catch (OperationCanceledException)
            {
                return false;
            }
            catch (IOException)
            {
                return true;
            }
        }

        return false;
    }

    public void Dispose() => _tcp.Dispose();

    private static string Header(string head, string name)
    {
        foreach (string line in head.Split("\r\n"))
        {
            int colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0 && line.AsSpan(0, colon).Trim().Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                return line[(colon + 1)..].Trim();
            }
        }

        throw new InvalidOperationException($"no {name} header in:\n{head}");
    }

    private async Task WriteAsync(byte[] bytes, CancellationToken ct)
    {
        await _stream.WriteAsync(bytes, ct);
        await _stream.FlushAsync(ct);
    }

    // Byte by byte up to the blank line, so not one byte of the first frame is taken with the head.
    private async Task<string> ReadHeadAsync(CancellationToken ct)
    {
        var head = new List<byte>();
        byte[] one = new byte[1];
        while (head.Count < 4 || head[^4] != '\r' || head[^3] != '\n' || head[^2] != '\r' || head[^1] != '\n')
        {
            if (await _stream.ReadAsync(one, ct) == 0)
            {
                throw new IOException("the connection ended in the opening handshake");
            }

            head.Add(one[0]);
        }

        return Encoding.ASCII.GetString([.. head]);
    }

    private async Task<bool> FillAsync(byte[] buffer, CancellationToken ct)
    {
        int filled = 0;
        while (filled < buffer.Length)
        {
            int read = await _stream.ReadAsync(buffer.AsMemory(filled), ct);
            if (read == 0)
            {
                return false;
            }

            filled += read;
        }

        return true;
    }
}
