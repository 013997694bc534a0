using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;

namespace WebSockets.CloseStatus.Tests.TestData;

/// <summary>A duplex stream whose reads return exactly the chunks a test sends, and whose writes are recorded, can fail or can hang until cancelled.</summary>
public sealed class ScriptedStream : Stream
{
    private readonly Channel<byte[]> _incoming = Channel.CreateUnbounded<byte[]>();
    private readonly List<byte> _written = [];
    private byte[] _current = [];
    private int _offset;

    public bool FailWrites { get; set; }

    public bool HangWrites { get; set; }

    public bool ThrowOnDispose { get; set; }

    public bool IsDisposed { get; private set; }

    public override bool CanRead => true;

    public override bool CanWrite => true;

    public override bool CanSeek => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    /// <summary>Bytes the next reads return, as one chunk (a read returns at most one chunk).</summary>
    public void Send(byte[] bytes) => _incoming.Writer.TryWrite(bytes);

    /// <summary>The end of the stream, after what was sent.</summary>
    public void End() => _incoming.Writer.TryComplete();

    /// <summary>A read fails with <paramref name="exception"/>, after what was sent.</summary>
    public void Fail(Exception exception) => _incoming.Writer.TryComplete(exception);

    public byte[] Written()
    {
        lock (_written)
        {
            return [.. _written];
        }
    }

    /// <summary>Waits until at least <paramref name="count"/> bytes were written.</summary>
    public async Task<byte[]> WrittenAsync(int count)
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (Written().Length < count)
        {
            await Task.Delay(5, limit.Token);
        }

        return Written();
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_offset == _current.Length)
        {
            if (!await _incoming.Reader.WaitToReadAsync(cancellationToken))
            {
                return 0;
            }

            _current = await _incoming.Reader.ReadAsync(cancellationToken);
            _offset = 0;
        }

        int count = Math.Min(buffer.Length, _current.Length - _offset);
        _current.AsMemory(_offset, count).CopyTo(buffer);
        _offset += count;
        return count;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (HangWrites)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }

        if (FailWrites || IsDisposed)
        {
            throw new IOException("the scripted stream refuses writes");
        }

        lock (_written)
        {
            _written.AddRange(buffer.ToArray());
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        IsDisposed = true;
        _incoming.Writer.TryComplete();
        base.Dispose(disposing);
        if (ThrowOnDispose)
        {
            throw new IOException("the scripted stream throws on dispose");
        }
    }
}
