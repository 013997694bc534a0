using System;
using System.Diagnostics;
using System.Reflection;
using System.Runtime.Versioning;
using System.Text.Unicode;
using System.Threading;
using System.Threading.Tasks;

namespace WebSockets.CloseStatus.Fuzz;

/// <summary>
/// The long-running proof of issue #18: every one of the 2^32 four-byte sequences, as a close reason placed across an
/// 8-, 16-, 32- and 64-byte block boundary, gets the same verdict from ClosePayload.Read as from .NET's Utf8.IsValid.
/// It proves the netstandard2.0 build's scalar loop (-p:LibraryTargetFramework=netstandard2.0); the net10.0 build
/// calls Utf8.IsValid itself.
/// </summary>
public static class Utf8Exhaustive
{
    public static int Run()
    {
        string build = typeof(ClosePayload).Assembly.GetCustomAttribute<TargetFrameworkAttribute>()?.FrameworkName ?? "?";
        Console.WriteLine($"utf8-exhaustive: all 2^32 four-byte sequences at reason offsets 14, 30 and 62, the {build} build");
        var stopwatch = Stopwatch.StartNew();
        long mismatches = 0;
        long done = 0;
        Parallel.For(0, 256, b0 =>
        {
            byte[] payload = new byte[2 + 66];
            payload[0] = 0x03;
            payload[1] = 0xE8;
            payload.AsSpan(2).Fill((byte)'a');
            payload[2] = 0xC3; // a 2-byte scalar first: the blocks before the sequence are not ASCII
            payload[3] = 0xA9;
            foreach (int offset in new[] { 14, 30, 62 })
            {
                Span<byte> reason = payload.AsSpan(2);
                for (int rest = 0; rest < 1 << 24; rest++)
                {
                    reason[offset] = (byte)b0;
                    reason[offset + 1] = (byte)(rest >> 16);
                    reason[offset + 2] = (byte)(rest >> 8);
                    reason[offset + 3] = (byte)rest;
                    bool ours = ClosePayload.ReadUtf8(payload, out _, out _) == CloseFrameError.None;
                    if (ours != Utf8.IsValid(reason))
                    {
                        Interlocked.Increment(ref mismatches);
                        Console.WriteLine($"MISMATCH at offset {offset}: {Convert.ToHexString(reason.Slice(offset, 4))}: ours {(ours ? "valid" : "invalid")}");
                    }
                }

                reason[offset..(offset + 4)].Fill((byte)'a');
            }

            if (Interlocked.Increment(ref done) % 32 == 0)
            {
                Console.WriteLine($"utf8-exhaustive: {done}/256 first bytes, {stopwatch.Elapsed.TotalMinutes:0.0} min");
            }
        });

        Console.WriteLine($"utf8-exhaustive: {3L << 32} reasons, {mismatches} mismatches, {stopwatch.Elapsed.TotalMinutes:0.0} min ({build} build)");
        return mismatches == 0 ? 0 : 1;
    }
}
