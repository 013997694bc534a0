using System;
using System.Buffers;
using System.Collections.Generic;
using System.Linq;
using FluentAssertions;
using WebSockets.CloseStatus.Tests.TestData;
using Xunit;

namespace WebSockets.CloseStatus.Tests;

/// <summary><see cref="CloseFrame.Read(in ReadOnlySequence{byte}, WebSocketRole, Span{byte}, out CloseFrameReadResult)"/> at every split point, as a PipeReader hands out bytes.</summary>
public class CloseFrameSequenceTests
{
    public static IEnumerable<object[]> Frames()
    {
        const uint key = 0xA1B2C3D4;
        yield return [SystemNetPeer.MaskedCloseFrame(Hex.Payload(1000, "bye"u8.ToArray()), key), WebSocketRole.Server];
        yield return [SystemNetPeer.MaskedCloseFrame([], key), WebSocketRole.Server];
        yield return [SystemNetPeer.MaskedCloseFrame(Hex.Payload(1001, Enumerable.Repeat((byte)0xD0, 60).SelectMany(b => new byte[] { b, 0x96 }).ToArray()), key), WebSocketRole.Server];
        yield return [SystemNetPeer.MaskedCloseFrame(Hex.Payload(1000, [0xC0, 0x80]), key), WebSocketRole.Server];
        yield return [SystemNetPeer.MaskedCloseFrame(Hex.Payload(1005, []), key), WebSocketRole.Server];
        yield return [new byte[] { 0x88, 0x05, 0x03, 0xE8, 0x62, 0x79, 0x65, 0x01, 0x02 }, WebSocketRole.Client];
        yield return [new byte[] { 0x88, 0x00 }, WebSocketRole.Client];
        yield return [new byte[] { 0x88, 0x81, 0x00, 0x00, 0x00, 0x00, 0x03 }, WebSocketRole.Server];
        yield return [new byte[] { 0x88, 0x7E, 0x00, 0x7D }, WebSocketRole.Client];
        yield return [new byte[] { 0x88, 0x02, 0x03, 0xE8 }, WebSocketRole.Server];
        yield return [new byte[] { 0x01, 0x02, 0x03, 0xE8 }, WebSocketRole.Client];
        yield return [new byte[] { 0x08, 0x02, 0x03, 0xE8 }, WebSocketRole.Client];
    }

    [Theory]
    [MemberData(nameof(Frames))]
    public void EveryPrefix_AtEverySplitPoint_MatchesTheSpanReader_AndTheOracle(byte[] frame, WebSocketRole role)
    {
        for (int length = 0; length <= frame.Length; length++)
        {
            byte[] prefix = frame[..length];
            byte[] spanDestination = new byte[ClosePayload.MaxLength];
            OperationStatus expected = CloseFrame.Read(prefix, role, spanDestination, out CloseFrameReadResult span);
            (CloseFrameError Error, int Code, int Length)? oracle = FrameOracle.ReadFrame(prefix, role);

            // The span reader agrees with the independent oracle: incomplete is NeedMoreData, else the same verdict.
            if (oracle is null)
            {
                expected.Should().Be(OperationStatus.NeedMoreData);
            }
            else
            {
                span.Error.Should().Be(oracle.Value.Error);
            }

            // Every split point, in two segments and in three (the second cut halfway through the rest).
            for (int split = 0; split <= length; split++)
            {
                foreach (int second in new[] { length, split + ((length - split) / 2) })
                {
                    ReadOnlySequence<byte> sequence = Segments.Of(prefix[..split], prefix[split..second], prefix[second..]);
                    byte[] destination = new byte[ClosePayload.MaxLength];

                    OperationStatus actual = CloseFrame.Read(sequence, role, destination, out CloseFrameReadResult result);

                    bool same = actual == expected && result.Error == span.Error && result.BytesConsumed == span.BytesConsumed
                        && result.BytesNeeded == span.BytesNeeded && result.Status == span.Status && result.ReasonIn(destination).AsSpan().SequenceEqual(span.ReasonIn(spanDestination));
                    same.Should().BeTrue("length {0}, splits at {1} and {2}: {3}/{4} against the span reader's {5}/{6}", length, split, second, actual, result.Error, expected, span.Error);
                }
            }
        }
    }
}
