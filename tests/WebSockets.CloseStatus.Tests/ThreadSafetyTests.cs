using System;
using System.Buffers;
using System.Linq;
using System.Threading.Tasks;
using FluentAssertions;
using WebSockets.CloseStatus.Tests.TestData;
using Xunit;

namespace WebSockets.CloseStatus.Tests;

/// <summary>The static APIs hammered from many threads give the results of a single-threaded run.</summary>
public class ThreadSafetyTests
{
    [Fact]
    public void ReadWriteAndFrames_ManyThreads_MatchSingleThreaded()
    {
        var random = new Random(42);
        byte[][] payloads = [.. Enumerable.Range(0, 2000).Select(_ =>
        {
            byte[] bytes = new byte[random.Next(0, 40)];
            random.NextBytes(bytes);
            if (bytes.Length >= 2 && random.Next(2) == 0)
            {
                bytes[0] = 0x03;
                bytes[1] = (byte)(0xE8 + random.Next(16));
                for (int i = 2; i < bytes.Length; i++)
                {
                    bytes[i] &= 0x7F;
                }
            }

            return bytes;
        })];
        string[] reasons = [.. Enumerable.Range(0, 2000).Select(i => new string((char)('a' + (i % 26)), i % 200) + (i % 3 == 0 ? "😀é" : ""))];

        var expected = payloads.Select(Fingerprint).ToArray();
        var expectedWrites = reasons.Select(WriteFingerprint).ToArray();

        var actual = new string[payloads.Length];
        var actualWrites = new string[reasons.Length];
        Parallel.For(0, 64, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount * 4 }, round =>
        {
            for (int i = round % 7; i < payloads.Length; i += 7)
            {
                string result = Fingerprint(payloads[i]);
                if (result != expected[i])
                {
                    actual[i] = result;
                }

                string written = WriteFingerprint(reasons[i]);
                if (written != expectedWrites[i])
                {
                    actualWrites[i] = written;
                }
            }
        });

        actual.Where(a => a is not null).Should().BeEmpty();
        actualWrites.Where(a => a is not null).Should().BeEmpty();
    }

    [Fact]
    public void RandomMaskingKeys_ManyThreads_AllFramesReadBack()
    {
        string[] failures = new string[1000];
        Parallel.For(0, failures.Length, i =>
        {
            byte[] frame = new byte[CloseFrame.MaxLength];
            CloseFrame.TryWrite(frame, WebSocketRole.Client, WebSocketCloseStatus.NormalClosure, "thread " + i, out int length);
            byte[] reason = new byte[123];
            if (CloseFrame.Read(frame.AsSpan(0, length), WebSocketRole.Server, reason, out CloseFrameReadResult read) != OperationStatus.Done
                || System.Text.Encoding.UTF8.GetString(reason, read.ReasonOffset, read.ReasonLength) != "thread " + i)
            {
                failures[i] = "frame " + i;
            }
        });

        failures.Where(f => f is not null).Should().BeEmpty();
    }

    private static string Fingerprint(byte[] payload)
    {
        CloseFrameError error = ClosePayload.ReadUtf8(payload, out WebSocketCloseStatus status, out ReadOnlySpan<byte> reason);
        return $"{error}/{(int)status}/{Convert.ToHexString(reason)}/{FrameOracle.IsWellFormedUtf8(reason)}";
    }

    private static string WriteFingerprint(string reason)
    {
        Span<byte> buffer = stackalloc byte[ClosePayload.MaxLength];
        ClosePayload.TryWrite(buffer, WebSocketCloseStatus.TryAgainLater, reason, out int written, CloseReasonTruncation.TruncateWithEllipsis);
        return Convert.ToHexString(buffer[..written]);
    }
}
