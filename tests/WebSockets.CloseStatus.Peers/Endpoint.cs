using System;
using System.Buffers.Binary;
using System.IO;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace WebSockets.CloseStatus.Peers;

/// <summary>
/// A minimal WebSocket endpoint over raw TCP (RFC 6455 §4 opening handshake, §5 framing, ping/pong) whose close
/// handling is only <see cref="CloseHandshake"/>: every close decision below is the state machine's.
/// </summary>
internal sealed class Endpoint : IDisposable
{
    private const string Guid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private readonly byte[] _buffer = new byte[1 << 16];
    private int _start;
    private int _end;
    private bool _socketClosed;
    private Func<string, Task>? _onText;
    private CloseHandshakeAction _action; // what the handshake's last answer asked for

    private Endpoint(Socket socket, WebSocketRole role)
    {
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: false);
        Handshake = new CloseHandshake(role);
    }

    public CloseHandshake Handshake { get; }

    /// <summary>Set when the stack's timer ran out and it reported the timeout.</summary>
    public bool TimedOut { get; private set; }

    /// <summary>Accepts the opening handshake of a client (§4.2) and returns the request target.</summary>
    public static async Task<(Endpoint Endpoint, string Target)> AcceptAsync(Socket socket, CancellationToken cancellationToken)
    {
        var endpoint = new Endpoint(socket, WebSocketRole.Server);
        string request = await endpoint.ReadHeadAsync(cancellationToken);
        string target = request.Split("\r\n")[0].Split(' ')[1];
        string key = Header(request, "Sec-WebSocket-Key") ?? throw new InvalidDataException("no Sec-WebSocket-Key in " + request);
        string accept = AcceptKey(key);
        await endpoint._stream.WriteAsync(Encoding.ASCII.GetBytes(
            "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: " + accept + "\r\n\r\n"), cancellationToken);
        return (endpoint, target);
    }

    /// <summary>Opens a client connection (§4.1) to 127.0.0.1:<paramref name="port"/>.</summary>
    public static async Task<Endpoint> ConnectAsync(int port, string target, CancellationToken cancellationToken)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, port), cancellationToken);
        var endpoint = new Endpoint(socket, WebSocketRole.Client);
        string key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));
        await endpoint._stream.WriteAsync(Encoding.ASCII.GetBytes(
            $"GET {target} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n"), cancellationToken);
        string response = await endpoint.ReadHeadAsync(cancellationToken);
        string expected = AcceptKey(key);
        if (!response.StartsWith("HTTP/1.1 101", StringComparison.Ordinal) || Header(response, "Sec-WebSocket-Accept") != expected)
        {
            throw new InvalidDataException("the server refused the upgrade: " + response);
        }

        return endpoint;
    }

#pragma warning disable CA5350 // RFC 6455 §4.2.2 defines Sec-WebSocket-Accept with SHA-1; it is no security measure.
    private static string AcceptKey(string key) => Convert.ToBase64String(SHA1.HashData(Encoding.ASCII.GetBytes(key + Guid)));
#pragma warning restore CA5350

    /// <summary>Starts the closing handshake with our close frame (§7.1.2); a null code sends a close without a status.</summary>
    public Task SendCloseAsync(int? code, string reason, CancellationToken cancellationToken)
    {
        byte[] frame = new byte[CloseFrame.MaxLength];
        _action = Handshake.WriteClose(frame, code is int c ? (WebSocketCloseStatus)c : WebSocketCloseStatus.Empty, reason, out int length);
        return _stream.WriteAsync(frame.AsMemory(0, length), cancellationToken).AsTask();
    }

    /// <summary>Sends a close frame with a raw payload, bypassing CloseHandshake: only to see what a peer does with a malformed close.</summary>
    public Task SendRawCloseAsync(byte[] payload, CancellationToken cancellationToken) =>
        _stream.WriteAsync(Frame(0x8, payload), cancellationToken).AsTask();

    /// <summary>Drops TCP without a close frame.</summary>
    public void Vanish()
    {
        CloseSocket();
        ReportTransportClosed();
    }

    /// <summary>Reads frames and does what the handshake's answers say until the transport is closed.</summary>
    /// <param name="closeTimeout">The stack's timer while it awaits the peer's close or, as a client, the server's closing of TCP.</param>
    /// <param name="giveUp">How long the connection may stay open with nothing to await before the scenario counts as hung.</param>
    /// <param name="onText">Called for each text message, before the frames after it are read.</param>
    public async Task RunAsync(TimeSpan closeTimeout, TimeSpan giveUp, Func<string, Task>? onText, CancellationToken cancellationToken)
    {
        byte[] closeFrame = new byte[CloseFrame.MaxLength];
        _onText = onText;
        await ProcessFramesAsync(cancellationToken); // frames that came with the opening handshake's response
        while (Handshake.State != CloseHandshakeState.Closed)
        {
            Trace($"state {Handshake.State}, action {_action}, buffered {_end - _start}");
            switch (_action)
            {
                case CloseHandshakeAction.SendClose:
                    _action = Handshake.WriteClose(closeFrame, out int length);
                    if (!await TryWriteAsync(closeFrame.AsMemory(0, length), cancellationToken))
                    {
                        ReportTransportClosed();
                    }

                    continue;

                case CloseHandshakeAction.CloseTransport:
                    CloseSocket();
                    ReportTransportClosed();
                    continue;
            }

            bool awaiting = _action is CloseHandshakeAction.AwaitClose or CloseHandshakeAction.AwaitTransportClose;
            int read = await ReadAsync(awaiting ? closeTimeout : giveUp, cancellationToken);
            Trace($"read {read}");
            if (read < 0)
            {
                if (!awaiting)
                {
                    throw new TimeoutException($"nothing happened for {giveUp.TotalSeconds} s in state {Handshake.State}, action {_action}");
                }

                TimedOut = true;
                _action = Handshake.ReportTimeout();
                continue;
            }

            if (read == 0)
            {
                CloseSocket(); // the peer closed TCP (or reset it): close our half too
                ReportTransportClosed();
                continue;
            }

            await ProcessFramesAsync(cancellationToken);
            if (!Handshake.CanReceiveData)
            {
                _start = _end; // §5.5.1: nothing after the peer's close (or a failure) is read
            }
        }
    }

    private void ReportTransportClosed()
    {
        Handshake.ReportTransportClosed();
        _action = CloseHandshakeAction.None;
    }

    /// <summary>Handles every whole frame in the buffer while frames are still to be read (§5.5.1: nothing after the peer's close).</summary>
    private async Task ProcessFramesAsync(CancellationToken cancellationToken)
    {
        while (Handshake.CanReceiveData && _end > _start)
        {
            ReadOnlySpan<byte> available = _buffer.AsSpan(_start, _end - _start);
            if ((available[0] & 0x0F) == 0x8)
            {
                _action = Handshake.ReceiveCloseFrame(available, out int consumed);
                _start += consumed; // 0 while the frame is incomplete
                return;
            }

            if (!TryParse(available, out int opcode, out byte[] payload, out int frameLength))
            {
                return;
            }

            _start += frameLength;
            switch (opcode)
            {
                case 0x9:
                    await TryWriteAsync(Frame(0xA, payload), cancellationToken);
                    break;
                case 0x1:
                    if (_onText is not null)
                    {
                        await _onText(Encoding.UTF8.GetString(payload));
                    }

                    break;
                case 0x2 or 0x0 or 0xA:
                    break;
                default:
                    _action = Handshake.Fail(WebSocketCloseStatus.ProtocolError); // §5.2: an unknown opcode fails the connection
                    return;
            }
        }
    }

    /// <summary>Parses one non-close frame, unmasking it (§5.2, §5.3); false until it is all there.</summary>
    private static bool TryParse(ReadOnlySpan<byte> source, out int opcode, out byte[] payload, out int frameLength)
    {
        opcode = source[0] & 0x0F;
        payload = [];
        frameLength = 0;
        if (source.Length < 2)
        {
            return false;
        }

        bool masked = (source[1] & 0x80) != 0;
        long length = source[1] & 0x7F;
        int header = 2;
        if (length == 126)
        {
            if (source.Length < 4)
            {
                return false;
            }

            length = BinaryPrimitives.ReadUInt16BigEndian(source[2..]);
            header = 4;
        }
        else if (length == 127)
        {
            if (source.Length < 10)
            {
                return false;
            }

            length = (long)BinaryPrimitives.ReadUInt64BigEndian(source[2..]);
            header = 10;
        }

        int keyOffset = header;
        header += masked ? 4 : 0;
        if (source.Length < header + length)
        {
            return false;
        }

        payload = source.Slice(header, (int)length).ToArray();
        if (masked)
        {
            CloseFrame.Mask(payload, BinaryPrimitives.ReadUInt32BigEndian(source[keyOffset..]));
        }

        frameLength = header + (int)length;
        return true;
    }

    /// <summary>A whole frame as this endpoint sends it: masked from a client (§5.3); payloads under 126 bytes only.</summary>
    private byte[] Frame(int opcode, byte[] payload)
    {
        bool mask = Handshake.Role == WebSocketRole.Client;
        byte[] frame = new byte[2 + (mask ? 4 : 0) + payload.Length];
        frame[0] = (byte)(0x80 | opcode);
        frame[1] = (byte)((mask ? 0x80 : 0) | payload.Length);
        payload.CopyTo(frame, mask ? 6 : 2);
        if (mask)
        {
            uint key = BinaryPrimitives.ReadUInt32BigEndian(RandomNumberGenerator.GetBytes(4));
            BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(2), key);
            CloseFrame.Mask(frame.AsSpan(6), key);
        }

        return frame;
    }

    /// <summary>Reads more bytes: the count, 0 at end of stream or on a reset, -1 when <paramref name="timeout"/> ran out.</summary>
    private async Task<int> ReadAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (_start == _end)
        {
            _start = _end = 0;
        }
        else if (_end == _buffer.Length)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }

        using var timer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timer.CancelAfter(timeout);
        try
        {
            int read = await _socket.ReceiveAsync(_buffer.AsMemory(_end), SocketFlags.None, timer.Token);
            _end += read;
            return read;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return -1;
        }
        catch (SocketException)
        {
            return 0;
        }
    }

    private async Task<bool> TryWriteAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        try
        {
            await _socket.SendAsync(bytes, SocketFlags.None, cancellationToken);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private async Task<string> ReadHeadAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            int end = _buffer.AsSpan(0, _end).IndexOf("\r\n\r\n"u8);
            if (end >= 0)
            {
                _start = end + 4;
                return Encoding.ASCII.GetString(_buffer, 0, end);
            }

            int read = await _socket.ReceiveAsync(_buffer.AsMemory(_end, 8192 - _end), SocketFlags.None, cancellationToken);
            if (read == 0)
            {
                throw new EndOfStreamException("the connection closed during the opening handshake");
            }

            _end += read;
        }
    }

    private static string? Header(string head, string name)
    {
        foreach (string line in head.Split("\r\n"))
        {
            int colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0 && line.AsSpan(0, colon).Trim().Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                return line[(colon + 1)..].Trim();
            }
        }

        return null;
    }

    private static readonly bool s_trace = Environment.GetEnvironmentVariable("PEERS_TRACE") == "1";

    private static void Trace(string message)
    {
        if (s_trace)
        {
            Console.Error.WriteLine("  trace: " + message);
        }
    }

    private void CloseSocket()
    {
        if (!_socketClosed)
        {
            _socketClosed = true;
            _socket.Close();
        }
    }

    public void Dispose()
    {
        CloseSocket();
        _stream.Dispose();
    }
}
