using System;
using System.IO;
using System.Text;

namespace WebSockets.CloseStatus.Tool;

/// <summary>Reads lines from a byte stream as they arrive, holding at most <see cref="MaxLineBytes"/> bytes of any line.</summary>
/// <remarks>A line ends at '\n' (a '\r' before it is dropped) or at the end of the stream. Bytes that are not UTF-8 decode to U+FFFD.</remarks>
internal sealed class LineReader
{
    /// <summary>The longest line kept, in bytes; far more than any close payload or frame in hex (131 bytes take 393 characters).</summary>
    public const int MaxLineBytes = 4096;

    private readonly Stream _source;
    private readonly byte[] _buffer = new byte[8192];
    private readonly byte[] _line = new byte[MaxLineBytes];
    private int _position;
    private int _count;

    public LineReader(Stream source) => _source = source;

    /// <summary>Reads the next line.</summary>
    /// <param name="line">The line without its end; empty when it was too long.</param>
    /// <param name="length">The line's full length in bytes, also when it was too long.</param>
    /// <returns><see langword="false"/> at the end of the stream, when there is no further line.</returns>
    public bool TryReadLine(out string line, out long length)
    {
        int kept = 0;
        length = 0;
        bool any = false;
        while (true)
        {
            if (_position == _count)
            {
                // Read returns as soon as some bytes are there, so a slow producer's lines are answered one by one.
                _count = _source.Read(_buffer, 0, _buffer.Length);
                _position = 0;
                if (_count == 0)
                {
                    line = any ? Decode(kept, length) : "";
                    return any;
                }
            }

            any = true;
            int newline = Array.IndexOf(_buffer, (byte)'\n', _position, _count - _position);
            int end = newline < 0 ? _count : newline;
            int take = end - _position;
            if (length + take <= MaxLineBytes)
            {
                Buffer.BlockCopy(_buffer, _position, _line, kept, take);
                kept += take;
            }

            length += take;
            _position = newline < 0 ? _count : newline + 1;
            if (newline >= 0)
            {
                line = Decode(kept, length);
                return true;
            }
        }
    }

    private string Decode(int kept, long length)
    {
        if (length > MaxLineBytes)
        {
            return "";
        }

        int used = kept > 0 && _line[kept - 1] == '\r' ? kept - 1 : kept;
        return Encoding.UTF8.GetString(_line, 0, used);
    }
}
