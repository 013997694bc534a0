using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using ReadmeSamples;

namespace WebSockets.CloseStatus.Tests.TestData;

/// <summary>A plain frame reader over a stream (RFC 6455 §5.2; payloads under 64 KiB), standing in for a stack's own.</summary>
public sealed class StreamFrameReader(Stream stream) : IFrameReader
{
    public List<byte[]> Delivered { get; } = [];

    public async Task<byte[]?> ReadFrameAsync(TimeSpan timeout, CancellationToken ct)
    {
        using var timer = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timer.CancelAfter(timeout);
        try
        {
            byte[] header = new byte[2];
            if (!await FillAsync(header, timer.Token))
            {
                return null;
            }

            int length = header[1] & 0x7F;
            byte[] extended = new byte[length == 126 ? 2 : 0];
            await FillAsync(extended, timer.Token);
            if (length == 126)
            {
                length = extended[0] << 8 | extended[1];
            }

            byte[] rest = new byte[((header[1] & 0x80) != 0 ? 4 : 0) + length];
            await FillAsync(rest, timer.Token);
            return [.. header, .. extended, .. rest];
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new TimeoutException($"no frame within {timeout}");
        }
        catch (IOException)
        {
            return null; // a reset is an end of stream too
        }
    }

    public void Deliver(byte[] frame) => Delivered.Add(frame);

    private async Task<bool> FillAsync(byte[] buffer, CancellationToken ct)
    {
        int filled = 0;
        while (filled < buffer.Length)
        {
            int read = await stream.ReadAsync(buffer.AsMemory(filled), ct);
            if (read == 0)
            {
                return false;
            }

            filled += read;
        }

        return true;
    }
}
