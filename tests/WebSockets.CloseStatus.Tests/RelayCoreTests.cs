using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using FluentAssertions;
using WebSockets.CloseStatus.Internal;
using WebSockets.CloseStatus.Tests.TestData;
using Xunit;

namespace WebSockets.CloseStatus.Tests;

/// <summary>Issue #42: the byte relay's frame tracking and close handling without I/O, byte by byte; frames are built by hand from RFC 6455 §5.2.</summary>
public class RelayCoreTests
{
    private const int Client = RelayCore.Client;
    private const int Backend = RelayCore.Backend;
    private static readonly byte[] s_key = [0x37, 0xFA, 0x21, 0x3D];

    /// <summary>A frame as §5.2 lays it out: the first byte, the length in the form asked for (7, 16 or 64 bits), the masking key if any, the payload (masked with it).</summary>
    internal static byte[] Frame(byte first, byte[] payload, bool masked, int lengthBits = 0)
    {
        int bits = lengthBits != 0 ? lengthBits : payload.Length < 126 ? 7 : payload.Length <= ushort.MaxValue ? 16 : 64;
        var frame = new List<byte> { first };
        byte maskBit = masked ? (byte)0x80 : (byte)0;
        if (bits == 7)
        {
            frame.Add((byte)(maskBit | payload.Length));
        }
        else if (bits == 16)
        {
            frame.Add((byte)(maskBit | 126));
            frame.Add((byte)(payload.Length >> 8));
            frame.Add((byte)payload.Length);
        }
        else
        {
            frame.Add((byte)(maskBit | 127));
            byte[] length = new byte[8];
            BinaryPrimitives.WriteUInt64BigEndian(length, (ulong)payload.Length);
            frame.AddRange(length);
        }

        if (masked)
        {
            frame.AddRange(s_key);
            frame.AddRange(payload.Select((b, i) => (byte)(b ^ s_key[i % 4])));
        }
        else
        {
            frame.AddRange(payload);
        }

        return [.. frame];
    }

    /// <summary>A frame as the peer on <paramref name="from"/> sends it: masked from the client (§5.3).</summary>
    private static byte[] From(int from, byte first, byte[] payload) => Frame(first, payload, masked: from == Client);

    private static byte[] Close(int from, int? code, string reason = "") =>
        From(from, 0x88, code is int c ? Hex.Payload(c, Encoding.UTF8.GetBytes(reason)) : []);

    private static byte[] Bytes(int length, byte seed = 1) => Enumerable.Range(0, length).Select(i => (byte)(seed + i)).ToArray();

    /// <summary>What the pump does, without I/O: keeps what the core did not take, and records what goes to each leg.</summary>
    private sealed class Relay
    {
        private readonly List<byte>[] _held = [[], []];
        private readonly byte[] _close = new byte[CloseFrame.MaxLength];

        public RelayCore Core { get; } = new();

        public List<byte>[] Sent { get; } = [[], []];

        public void Feed(int from, ReadOnlySpan<byte> bytes)
        {
            _held[from].AddRange(bytes.ToArray());
            while (_held[from].Count > 0)
            {
                byte[] source = [.. _held[from]];
                RelayStep step = Core.Scan(from, source, _close);
                step.BytesForwarded.Should().BeInRange(0, step.BytesConsumed == 0 ? 0 : step.BytesConsumed);
                step.BytesConsumed.Should().BeInRange(0, source.Length);
                Sent[1 - from].AddRange(source[..step.BytesForwarded]);
                Sent[1 - from].AddRange(_close[..step.CloseLength]);
                _held[from].RemoveRange(0, step.BytesConsumed);
                if (step.BytesConsumed == 0 && step.CloseLength == 0)
                {
                    return;
                }
            }
        }

        /// <summary>Feeds <paramref name="bytes"/> in pieces cut at <paramref name="cuts"/>.</summary>
        public void FeedInPieces(int from, byte[] bytes, params int[] cuts)
        {
            int start = 0;
            foreach (int cut in cuts.Append(bytes.Length))
            {
                Feed(from, bytes.AsSpan(start, cut - start));
                start = cut;
            }
        }

        public int Held(int from) => _held[from].Count;

        public void CloseBothWays(WebSocketCloseStatus status, string? reason)
        {
            Core.Close(status, reason);
            SendDue(Client);
            SendDue(Backend);
        }

        public void SendDue(int to)
        {
            int length = Core.WriteDueClose(to, _close);
            Sent[to].AddRange(_close[..length]);
        }

        public void End(int leg)
        {
            int length = Core.ReportTransportClosed(leg, _close);
            Sent[1 - leg].AddRange(_close[..length]);
        }
    }

    public static TheoryData<int, int, int> DataFrames()
    {
        var data = new TheoryData<int, int, int>();
        foreach (int from in new[] { Client, Backend })
        {
            foreach ((int length, int bits) in new[] { (0, 7), (5, 7), (125, 7), (126, 16), (300, 16), (70_000, 64), (3, 64), (3, 16) })
            {
                data.Add(from, length, bits);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(DataFrames))]
    public void Rfc6455_5_2_DataFrames_AreForwardedVerbatim_WithTheHeaderSplitAtEveryByte(int from, int length, int bits)
    {
        byte[] frame = Frame(0x82, Bytes(length), masked: from == Client, bits);
        byte[] stream = [.. frame, .. Frame(0x89, Bytes(3, 9), from == Client), .. frame];
        int headerEnd = frame.Length - length + 1;
        for (int cut = 1; cut <= Math.Min(headerEnd, stream.Length - 1); cut++)
        {
            var relay = new Relay();
            relay.FeedInPieces(from, stream, cut);
            relay.Sent[1 - from].Should().Equal(stream, "cut at {0}", cut);
            relay.Sent[from].Should().BeEmpty();
            relay.Core.GetAction(from).Should().Be(CloseHandshakeAction.None);
        }
    }

    [Theory]
    [InlineData(Client)]
    [InlineData(Backend)]
    public void Rfc6455_5_2_ByteByByte_EveryFrameKind_IsForwardedAsIs_AndHeadersWaitUntilWhole(int from)
    {
        byte[] stream =
        [
            .. Frame(0x01, "Hel"u8.ToArray(), from == Client),          // text, first fragment (§5.4)
            .. Frame(0x89, "ping"u8.ToArray(), from == Client),         // a ping between the fragments
            .. Frame(0x00, Bytes(200), from == Client),                 // continuation, 16-bit length
            .. Frame(0x8A, [], from == Client),                         // an empty pong
            .. Frame(0x80, "lo"u8.ToArray(), from == Client, 64),       // last fragment, 64-bit length
            .. Frame(0xC2, Bytes(7), from == Client),                   // RSV1 (permessage-deflate): not the relay's business
        ];
        var relay = new Relay();
        var forwardedAt = new List<int>();
        for (int i = 0; i < stream.Length; i++)
        {
            relay.Feed(from, stream.AsSpan(i, 1));
            forwardedAt.Add(relay.Sent[1 - from].Count);
        }

        relay.Sent[1 - from].Should().Equal(stream);
        relay.Held(from).Should().Be(0);
        // A header goes on only once whole: after the first byte of the 16-bit frame's header, nothing of it has gone.
        int third = Frame(0x01, "Hel"u8.ToArray(), from == Client).Length + Frame(0x89, "ping"u8.ToArray(), from == Client).Length;
        forwardedAt[third].Should().Be(third);
        forwardedAt[third + 1].Should().Be(third);
        forwardedAt[third + 2].Should().Be(third);
        forwardedAt[third + 3].Should().Be(from == Client ? third : third + 4);
    }

    [Fact]
    public void Rfc6455_5_2_SixtyFourBitLength_IsTrackedToTheLastByte()
    {
        var core = new RelayCore();
        byte[] close = new byte[CloseFrame.MaxLength];
        byte[] header = [0x82, 127, 0, 0, 0, 1, 0, 0, 0, 1];   // 2^32 + 1 bytes
        core.Scan(Backend, header, close).Should().Be(new RelayStep(header.Length, header.Length, 0));
        core.Close(WebSocketCloseStatus.EndpointUnavailable, "bye");
        core.WriteDueClose(Client, close).Should().Be(0, "no close may go to the client inside a frame (§5.4)");
        core.GetAction(Client).Should().Be(CloseHandshakeAction.AwaitClose, "the close waits for a frame boundary, with the timer");

        byte[] chunk = new byte[1 << 20];
        long forwarded = 0;
        for (int i = 0; i < 4096; i++)
        {
            RelayStep step = core.Scan(Backend, chunk, close);
            step.CloseLength.Should().Be(0);
            forwarded += step.BytesForwarded;
        }

        forwarded.Should().Be(1L << 32);
        RelayStep last = core.Scan(Backend, [7, 0x82, 0], close);
        last.BytesForwarded.Should().Be(1, "the frame's last byte");
        last.BytesConsumed.Should().Be(1);
        Wire.Decode(close.AsSpan(0, last.CloseLength)).Payload.Should().Equal(Hex.Payload(1001, "bye"u8.ToArray()));
        core.Scan(Backend, [0x82, 0], close).Should().Be(new RelayStep(0, 2, 0), "data after the proxy's close is dropped");
    }

    [Theory]
    [InlineData(Client)]
    [InlineData(Backend)]
    public void Rfc6455_5_5_1_WellFormedClose_IsForwardedAsIs_ByteByByte_AndNothingAfterIt(int from)
    {
        byte[] close = Close(from, 4001, "Ж世😀é");
        byte[] after = From(from, 0x81, "late"u8.ToArray());
        byte[] stream = [.. From(from, 0x81, "hi"u8.ToArray()), .. close, .. after];
        for (int cut = 1; cut < stream.Length; cut++)
        {
            var relay = new Relay();
            relay.FeedInPieces(from, stream, cut);
            relay.Sent[1 - from].Should().Equal(stream[..^after.Length], "the close as it came, masked with the client's own key (cut {0})", cut);
            relay.Held(from).Should().Be(0, "what follows a close is dropped (§5.5.1)");
            relay.Core.IsCloseSent(1 - from).Should().BeTrue();
            relay.Core.GetAction(1 - from).Should().Be(CloseHandshakeAction.AwaitClose);
            relay.Core.GetAction(from).Should().Be(CloseHandshakeAction.None, "it waits for the other side's reply, which is forwarded");
        }
    }

    [Theory]
    [InlineData(Client)]
    [InlineData(Backend)]
    public void Rfc6455_7_1_1_RelayedHandshake_TheProxyEndsTheClientsTcp_AndWaitsForTheBackends(int initiator)
    {
        var relay = new Relay();
        relay.Feed(initiator, Close(initiator, 1000, "bye"));
        relay.Feed(1 - initiator, Close(1 - initiator, 1000));
        relay.Sent[initiator].Should().Equal(Close(1 - initiator, 1000));

        relay.Core.GetAction(Client).Should().Be(CloseHandshakeAction.CloseTransport, "the proxy is the client's server (§7.1.1)");
        relay.Core.GetAction(Backend).Should().Be(CloseHandshakeAction.AwaitTransportClose, "the proxy is the backend's client: the server ends TCP");
        relay.End(Client);
        relay.Core.GetAction(Backend).Should().Be(CloseHandshakeAction.AwaitTransportClose);
        relay.End(Backend);
        relay.Core.GetAction(Backend).Should().Be(CloseHandshakeAction.None);

        WebSocketCloseResult first = relay.Core.GetResult(initiator, null);
        first.ToString().Should().Be("1000 Normal Closure \"bye\", clean, started by Remote, sent 1000");
        WebSocketCloseResult second = relay.Core.GetResult(1 - initiator, null);
        second.ToString().Should().Be("1000 Normal Closure, clean, started by Local, sent 1000");
        second.Aborted.Should().BeFalse();
    }

    [Fact]
    public void Rfc6455_7_1_5_CloseWithoutACode_IsForwarded_As1005()
    {
        var relay = new Relay();
        relay.Feed(Backend, Close(Backend, null));
        relay.Feed(Client, Close(Client, null));
        relay.Sent[Client].Should().Equal(new byte[] { 0x88, 0x00 });
        relay.Core.GetResult(Backend, null).CloseStatus.Should().Be(WebSocketCloseStatus.Empty);
        relay.Core.GetResult(Client, null).SentStatus.Should().Be(WebSocketCloseStatus.Empty);
    }

    public static TheoryData<int, string, string> MalformedCloses() => new()
    {
        { Client, "03", "a 1-byte payload (§5.5.1)" },
        { Backend, "03", "a 1-byte payload (§5.5.1)" },
        { Client, "03ED", "1005 on the wire (§7.4.1)" },
        { Backend, "03EC", "1004 (§7.4.1)" },
        { Client, "03E8FF", "a reason that is not UTF-8 (§8.1)" },
        { Backend, "03E8EDA080", "a surrogate in UTF-8 (§8.1)" },
        { Backend, "1388", "5000 (§7.4.2)" },
    };

    [Theory]
    [MemberData(nameof(MalformedCloses))]
    public void Rfc6455_7_1_7_MalformedClose_IsReplacedBy1002_TowardTheOtherSide(int from, string payloadHex, string why)
    {
        byte[] malformed = From(from, 0x88, Convert.FromHexString(payloadHex));
        for (int cut = 1; cut < malformed.Length; cut++)
        {
            var relay = new Relay();
            relay.FeedInPieces(from, [.. malformed, .. From(from, 0x81, "x"u8.ToArray())], cut);
            Wire.Frame replacement = Wire.Decode(relay.Sent[1 - from].ToArray());
            replacement.Masked.Should().Be(from == Client, "toward the backend the proxy is a client and masks (§5.3): {0}", why);
            replacement.Payload.Should().Equal(Hex.Payload(1002, "malformed close on the other side"u8.ToArray()));
            relay.Core.GetResult(from, null).CloseStatus.Should().Be(WebSocketCloseStatus.AbnormalClosure, "a malformed close counts as none (§7.1.7)");
            relay.Core.GetAction(1 - from).Should().Be(CloseHandshakeAction.AwaitClose, "the 1002 went to the other side, whose reply is awaited");
            relay.Core.GetResult(1 - from, null).SentStatus.Should().Be(WebSocketCloseStatus.ProtocolError);

            // The other side's reply goes back as it is; then the failed side's TCP ends at once (§7.1.7).
            relay.Feed(1 - from, Close(1 - from, 1002));
            relay.Sent[from].Should().Equal(Close(1 - from, 1002));
            relay.Core.GetAction(from).Should().Be(CloseHandshakeAction.CloseTransport);
        }
    }

    [Theory]
    [InlineData("08 02 03 E8", "FIN clear: a fragmented close (§5.4)")]
    [InlineData("C8 02 03 E8", "RSV1 set (§5.2)")]
    [InlineData("88 7E 00 7E", "a 16-bit length (§5.5)")]
    [InlineData("88 FF 00 00", "a 64-bit length, masked (§5.5)")]
    [InlineData("88 82 00 00 00 00 03 E8", "a server's masked close (§5.1)")]
    public void Rfc6455_5_5_MalformedCloseFrames_FromTheBackend_AreReplacedBy1002_AndWhatFollowsIsDropped(string frameHex, string why)
    {
        var relay = new Relay();
        relay.Feed(Backend, [.. Hex.Parse(frameHex), .. Bytes(300)]);
        Wire.Decode(relay.Sent[Client].ToArray()).Payload.Should().Equal(Hex.Payload(1002, "malformed close on the other side"u8.ToArray()), why);
        relay.Held(Backend).Should().Be(0);
        relay.Feed(Backend, Bytes(10));
        relay.Sent[Client].Count.Should().Be(2 + 2 + 33);
    }

    [Fact]
    public void Rfc6455_5_1_AnUnmaskedCloseFromTheClient_IsMalformed()
    {
        var relay = new Relay();
        relay.Feed(Client, Frames.Unmasked(Hex.Payload(1000, [])));
        Wire.Decode(relay.Sent[Backend].ToArray()).Payload.Should().Equal(Hex.Payload(1002, "malformed close on the other side"u8.ToArray()));
    }

    [Theory]
    [InlineData(Client)]
    [InlineData(Backend)]
    public void Rfc6455_5_4_TheProxysClose_GoesBetweenFragments_AtTheNextFrameBoundary(int from)
    {
        byte[] first = From(from, 0x01, Bytes(40));
        byte[] ping = From(from, 0x89, Bytes(2));
        byte[] second = From(from, 0x80, Bytes(40));
        var relay = new Relay();
        relay.Feed(from, first.AsSpan(0, 20));
        relay.CloseBothWays(WebSocketCloseStatus.ServiceRestart, "restarting");

        relay.Sent[1 - from].Should().Equal(first[..20], "inside a frame no close can go (§5.2)");
        Wire.Frame toSender = Wire.Decode(relay.Sent[from].ToArray());
        toSender.Masked.Should().Be(from == Backend);
        toSender.Payload.Should().Equal(Hex.Payload(1012, "restarting"u8.ToArray()));

        relay.Feed(from, [.. first[20..], .. ping, .. second]);
        relay.Sent[1 - from].Take(first.Length).Should().Equal(first);
        Wire.Frame toOther = Wire.Decode(relay.Sent[1 - from].Skip(first.Length).ToArray());
        toOther.Masked.Should().Be(from == Client, "masked with a fresh key toward the backend (§5.3)");
        toOther.Payload.Should().Equal(Hex.Payload(1012, "restarting"u8.ToArray()));
        relay.Held(from).Should().Be(0, "data after the proxy's close is dropped (§5.5.1)");
    }

    [Fact]
    public void Rfc6455_7_1_2_ProxysOwnClose_BothRepliesEndBothSides_InTheOrderOf7_1_1()
    {
        var relay = new Relay();
        relay.CloseBothWays(WebSocketCloseStatus.EndpointUnavailable, "shutting down");
        Wire.Decode(relay.Sent[Client].ToArray()).Masked.Should().BeFalse();
        Wire.Frame toBackend = Wire.Decode(relay.Sent[Backend].ToArray());
        toBackend.Masked.Should().BeTrue();
        toBackend.Payload.Should().Equal(Hex.Payload(1001, "shutting down"u8.ToArray()));
        relay.Core.GetAction(Client).Should().Be(CloseHandshakeAction.AwaitClose);
        relay.Core.GetAction(Backend).Should().Be(CloseHandshakeAction.AwaitClose);

        relay.Feed(Client, [.. From(Client, 0x82, Bytes(9)), .. Close(Client, 1001)]);
        relay.Feed(Backend, Close(Backend, 1001, "ok"));
        relay.Sent[Client].Count.Should().Be(2 + 15, "replies are the proxy's to take, not forwarded");
        relay.Sent[Backend].Count.Should().Be(6 + 15);
        relay.Core.GetAction(Client).Should().Be(CloseHandshakeAction.CloseTransport);
        relay.Core.GetAction(Backend).Should().Be(CloseHandshakeAction.AwaitTransportClose);
        relay.End(Client);
        relay.End(Backend);
        relay.Core.GetResult(Backend, null).ToString().Should().Be("1001 Going Away \"ok\", clean, started by Local, sent 1001");
        relay.Core.GetResult(Client, null).ToString().Should().Be("1001 Going Away, clean, started by Local, sent 1001");

        // A second close changes nothing.
        relay.CloseBothWays(WebSocketCloseStatus.NormalClosure, null);
        relay.Sent[Client].Count.Should().Be(17);
    }

    [Fact]
    public void ProxysClose_WithoutACode_IsAnEmptyClose()
    {
        var relay = new Relay();
        relay.CloseBothWays(WebSocketCloseStatus.Empty, null);
        relay.Sent[Client].Should().Equal(new byte[] { 0x88, 0x00 });
        Wire.Decode(relay.Sent[Backend].ToArray()).Payload.Should().BeEmpty();
    }

    [Fact]
    public void Rfc6455_7_1_5_ProxysClose_CrossingTheClientsClose_EachSideGetsOneClose()
    {
        var relay = new Relay();
        relay.Feed(Client, Close(Client, 4000, "mine"));   // forwarded to the backend
        relay.CloseBothWays(WebSocketCloseStatus.EndpointUnavailable, "proxy");
        relay.Sent[Backend].Should().Equal(Close(Client, 4000, "mine"), "the backend had its close already");
        Wire.Decode(relay.Sent[Client].ToArray()).Payload.Should().Equal(Hex.Payload(1001, "proxy"u8.ToArray()));
        relay.Core.GetAction(Client).Should().Be(CloseHandshakeAction.CloseTransport, "the client's close arrived and the proxy's went");
        relay.Feed(Backend, Close(Backend, 4000));
        relay.Sent[Client].Count.Should().Be(2 + 7, "the backend's reply is not forwarded after the proxy's own close");
    }

    [Theory]
    [InlineData(Client)]
    [InlineData(Backend)]
    public void Rfc6455_7_1_5_ASideDroppingTcp_GetsTheOtherSide1001_1006AbnormalClosure(int dropped)
    {
        var relay = new Relay();
        relay.Feed(dropped, From(dropped, 0x82, Bytes(5)));
        relay.End(dropped);
        relay.Sent[1 - dropped].Take(From(dropped, 0x82, Bytes(5)).Length).Should().Equal(From(dropped, 0x82, Bytes(5)));
        Wire.Frame close = Wire.Decode(relay.Sent[1 - dropped].Skip(From(dropped, 0x82, Bytes(5)).Length).ToArray());
        close.Masked.Should().Be(dropped == Client);
        close.Payload.Should().Equal(Hex.Payload(1001, "1006 Abnormal Closure on the other side"u8.ToArray()));
        relay.Core.GetResult(dropped, null).ToString().Should().Be("1006 Abnormal Closure, not clean, aborted, started by None");

        relay.Feed(1 - dropped, Close(1 - dropped, 1001));
        relay.End(1 - dropped);
        relay.Core.GetResult(1 - dropped, null).ToString().Should().Be("1001 Going Away, clean, started by Local, sent 1001");
        relay.End(1 - dropped);
        relay.End(dropped);
    }

    [Fact]
    public void Rfc6455_5_2_ASideDroppingTcpInsideAFrame_EndsTheOtherSide_ForNoCloseCanFollow()
    {
        var relay = new Relay();
        relay.Feed(Backend, Frame(0x82, Bytes(100), masked: false).AsSpan(0, 50));
        relay.End(Backend);
        relay.Sent[Client].Count.Should().Be(50);
        relay.Core.GetAction(Client).Should().Be(CloseHandshakeAction.CloseTransport);

        var pending = new Relay();
        pending.Feed(Client, Frame(0x82, Bytes(100), masked: true).AsSpan(0, 50));
        pending.CloseBothWays(WebSocketCloseStatus.EndpointUnavailable, null);
        pending.Core.GetAction(Backend).Should().Be(CloseHandshakeAction.AwaitClose);
        pending.End(Client);
        pending.Core.GetAction(Backend).Should().Be(CloseHandshakeAction.CloseTransport);
        pending.Sent[Backend].Count.Should().Be(50);
    }

    [Fact]
    public void ASideDroppingTcp_WhileTheProxysCloseWaits_GetsTheOtherSideTheProxysClose()
    {
        var relay = new Relay();
        relay.Feed(Client, Frame(0x82, Bytes(10), masked: true).AsSpan(0, 8));
        relay.CloseBothWays(WebSocketCloseStatus.ServiceRestart, null);
        relay.Sent[Backend].Count.Should().Be(8);
        relay.Feed(Client, Frame(0x82, Bytes(10), masked: true).AsSpan(8));
        relay.Sent[Backend].Count.Should().Be(16 + 6 + 2);

        var atBoundary = new Relay();
        atBoundary.Core.Close(WebSocketCloseStatus.ServiceRestart, null);
        atBoundary.End(Client);
        Wire.Decode(atBoundary.Sent[Backend].ToArray()).Payload.Should().Equal(Hex.Payload(1012, []));
        atBoundary.Core.GetResult(Client, null).SentStatus.Should().BeNull();
    }

    [Fact]
    public void Rfc6455_7_1_1_Timeout_EndsTheSide_AndTheResultSaysSo()
    {
        var relay = new Relay();
        relay.CloseBothWays(WebSocketCloseStatus.EndpointUnavailable, null);
        relay.Feed(Backend, Close(Backend, 1001));
        relay.Core.ReportTimeout(Client);
        relay.Core.ReportTimeout(Backend);
        relay.Core.GetAction(Client).Should().Be(CloseHandshakeAction.CloseTransport);
        relay.Core.GetAction(Backend).Should().Be(CloseHandshakeAction.CloseTransport);
        relay.End(Client);
        relay.End(Backend);
        relay.Core.GetResult(Client, null).ToString().Should().Be("1006 Abnormal Closure, not clean, timed out, aborted, started by Local, sent 1001");
        relay.Core.GetResult(Backend, null).ToString().Should().Be("1001 Going Away, clean, started by Local, sent 1001", "the handshake was done: only TCP's end was late");

        var open = new Relay();
        open.Core.ReportTimeout(Client);
        open.Core.GetAction(Client).Should().Be(CloseHandshakeAction.None, "a timer with nothing awaited changes nothing");
    }

    [Fact]
    public void AfterASideEnded_ItsBytesAreDropped_AndNothingGoesToIt()
    {
        var relay = new Relay();
        relay.End(Backend);
        relay.Sent[Client].Count.Should().BeGreaterThan(0);
        relay.Feed(Client, From(Client, 0x82, Bytes(4)));
        relay.Sent[Backend].Should().BeEmpty();
        relay.Held(Client).Should().Be(0);
        relay.CloseBothWays(WebSocketCloseStatus.NormalClosure, null);
        relay.Sent[Backend].Should().BeEmpty();
        relay.End(Backend);
        relay.Core.GetAction(Backend).Should().Be(CloseHandshakeAction.None);
    }

    [Fact]
    public void Scan_AllocatesNothing_PerFrame()
    {
        var core = new RelayCore();
        byte[] frames = [.. Frame(0x82, Bytes(100), true), .. Frame(0x89, Bytes(4), true), .. Frame(0x81, Bytes(300), true)];
        byte[] close = new byte[CloseFrame.MaxLength];
        Allocations.Measure(() =>
        {
            for (int i = 0; i < 100; i++)
            {
                core.Scan(Client, frames, close);
            }
        }).Should().Be(0);
    }

    [Fact]
    public void UntrustedBytes_InAnyPieces_NeverThrow_AndForwardAPrefix()
    {
        var random = new Random(6455);
        for (int run = 0; run < TestScale.Cases(2_000); run++)
        {
            var relay = new Relay();
            for (int step = 0; step < 20; step++)
            {
                int leg = random.Next(2);
                switch (random.Next(12))
                {
                    case 0:
                        relay.CloseBothWays((WebSocketCloseStatus)(random.Next(2) == 0 ? 1000 : 4000), "x");
                        break;
                    case 1:
                        relay.End(leg);
                        break;
                    case 2:
                        relay.Core.ReportTimeout(leg);
                        break;
                    default:
                        byte[] bytes = new byte[random.Next(0, 40)];
                        random.NextBytes(bytes);
                        if (bytes.Length > 0 && random.Next(3) == 0)
                        {
                            bytes[0] = (byte)(0x80 | random.Next(16));
                            if (bytes.Length > 1)
                            {
                                bytes[1] = (byte)(random.Next(2) * 0x80 | random.Next(0, 128));
                            }
                        }

                        relay.Feed(leg, bytes);
                        break;
                }
            }

            relay.Held(Client).Should().BeLessThanOrEqualTo(CloseFrame.MaxLength + 40);
            _ = relay.Core.GetResult(Client, null).ToString();
            _ = relay.Core.GetResult(Backend, null).ToString();
        }
    }

    [Fact]
    public void Rfc6455_5_5_1_ASecondCloseFromASide_IsDropped_TheFirstIsItsResult()
    {
        var relay = new Relay();
        relay.Feed(Backend, [.. Close(Backend, 4001, "first"), .. Close(Backend, 4002, "second")]);
        relay.Feed(Backend, Close(Backend, 4003, "third"));
        relay.Sent[Client].Should().Equal(Close(Backend, 4001, "first"));
        WebSocketCloseResult result = relay.Core.GetResult(Backend, null);
        ((int)result.CloseStatus).Should().Be(4001);
        result.CloseStatusDescription.Should().Be("first");
    }

    [Fact]
    public void AClosedSidesBytes_AreDropped_EvenIfTheyStillArrive()
    {
        var relay = new Relay();
        relay.End(Client);
        relay.Feed(Client, [.. From(Client, 0x82, Bytes(3)), .. Close(Client, 1000)]);
        relay.Held(Client).Should().Be(0);
        relay.Sent[Backend].Count.Should().Be(6 + 2 + 39, "only the 1001 for the client's dropped TCP");
        relay.Core.GetResult(Client, null).CloseStatus.Should().Be(WebSocketCloseStatus.AbnormalClosure);
    }

    [Fact]
    public void TheProxysClose_ASecondCallWhileTheFirstWaits_ChangesNothing()
    {
        var relay = new Relay();
        relay.Feed(Backend, Frame(0x82, Bytes(10), masked: false).AsSpan(0, 5));
        relay.CloseBothWays(WebSocketCloseStatus.ServiceRestart, "first");
        relay.CloseBothWays(WebSocketCloseStatus.NormalClosure, "second");
        relay.Feed(Backend, Frame(0x82, Bytes(10), masked: false).AsSpan(5));
        Wire.Decode(relay.Sent[Client].Skip(12).ToArray()).Payload.Should().Equal(Hex.Payload(1012, "first"u8.ToArray()));
        Wire.Decode(relay.Sent[Backend].ToArray()).Payload.Should().Equal(Hex.Payload(1012, "first"u8.ToArray()));
    }

    [Fact]
    public void Rfc6455_7_1_5_ASidesCloseCrossingTheProxysWaitingClose_TheProxyStartedIt()
    {
        var relay = new Relay();
        relay.Feed(Backend, Frame(0x82, Bytes(10), masked: false).AsSpan(0, 5));
        relay.CloseBothWays(WebSocketCloseStatus.ServiceRestart, null);   // to the client: waits for the frame's end
        relay.Feed(Client, Close(Client, 1000));                           // the client's own close crosses it
        relay.Feed(Backend, Frame(0x82, Bytes(10), masked: false).AsSpan(5));
        relay.End(Client);
        relay.Core.GetResult(Client, null).Initiator.Should().Be(CloseInitiator.Local, "the proxy decided to close before the client's close arrived");
    }

    [Fact]
    public void ASideThatEnded_WhileTheProxysCloseToItWaited_GetsNoClose()
    {
        var relay = new Relay();
        relay.Feed(Backend, Frame(0x82, Bytes(10), masked: false).AsSpan(0, 5));
        relay.CloseBothWays(WebSocketCloseStatus.ServiceRestart, null);
        relay.End(Client);
        relay.Feed(Backend, Frame(0x82, Bytes(10), masked: false).AsSpan(5));
        relay.Sent[Client].Count.Should().Be(5, "the frame's first bytes; nothing after the client's side ended");
        relay.Core.GetResult(Client, null).SentStatus.Should().BeNull();
    }

    [Fact]
    public void WebSocketRelayResult_NamesBothSides()
    {
        var relay = new Relay();
        relay.End(Client);
        relay.End(Backend);
        var result = new WebSocketRelayResult(relay.Core.GetResult(Client, null), relay.Core.GetResult(Backend, new IOException("reset")));
        result.Client.CloseStatus.Should().Be(WebSocketCloseStatus.AbnormalClosure);
        result.Backend.Exception!.Message.Should().Be("reset");
        result.ToString().Should().Be("client: 1006 Abnormal Closure, not clean, aborted, started by None; backend: 1006 Abnormal Closure, not clean, aborted, started by Local, sent 1001");
    }

    [Fact]
    public void TheBackendEnding_WhileTheProxysCloseWaits_GetsTheClientThatClose()
    {
        var ended = new Relay();
        ended.Core.Close(WebSocketCloseStatus.ServiceRestart, "bye");
        ended.End(Backend);
        Wire.Decode(ended.Sent[Client].ToArray()).Payload.Should().Equal(Hex.Payload(1012, "bye"u8.ToArray()), "the backend ended at a boundary: the client gets the proxy's close");
    }

    [Fact]
    public void Rfc6455_7_1_4_ASideThatClosed_AndEndedBeforeAnyReply_IsNotClean()
    {
        var relay = new Relay();
        relay.Feed(Backend, Close(Backend, 1000, "bye"));
        relay.End(Backend);
        WebSocketCloseResult result = relay.Core.GetResult(Backend, null);
        result.CloseStatus.Should().Be(WebSocketCloseStatus.NormalClosure);
        result.WasClean.Should().BeFalse("no close went to it (§7.1.4)");
        result.SentStatus.Should().BeNull();
    }
}
