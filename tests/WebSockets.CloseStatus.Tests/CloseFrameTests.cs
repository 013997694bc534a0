using System;
using System.Buffers;
using System.Linq;
using System.Text;
using FluentAssertions;
using WebSockets.CloseStatus.Tests.TestData;
using Xunit;

namespace WebSockets.CloseStatus.Tests;

public class CloseFrameTests
{
    private const uint Key = 0x37FA213D;

    // Key's bytes in wire order, spelled out apart from it: the naive XOR the mask tests compare against.
    private static readonly byte[] s_keyBytes = [0x37, 0xFA, 0x21, 0x3D];

    public static TheoryData<int> PayloadLengths0To125() => [.. Enumerable.Range(0, 126)];

    [Theory]
    [MemberData(nameof(PayloadLengths0To125))]
    public void Header_EveryPayloadLength_ServerUnmasked_ClientMasked_Rfc6455_5_2(int length)
    {
        // §5.2: byte 0 = FIN | opcode 0x8; byte 1 = MASK | 7-bit length; §5.3: a client adds the 4-byte key.
        byte[] payload = FramePayload(length);
        byte[] server = Frames.Unmasked(payload);
        byte[] client = SystemNetPeer.MaskedCloseFrame(payload, Key);

        server[..2].Should().Equal(0x88, (byte)length);
        client[..6].Should().Equal(0x88, (byte)(0x80 | length), 0x37, 0xFA, 0x21, 0x3D);

        OperationStatus expected = length == 1 ? OperationStatus.InvalidData : OperationStatus.Done;
        byte[] serverReason = new byte[123];
        byte[] clientReason = new byte[123];
        CloseFrame.Read(server, WebSocketRole.Client, serverReason, out CloseFrameReadResult fromServer).Should().Be(expected);
        CloseFrame.Read(client, WebSocketRole.Server, clientReason, out CloseFrameReadResult fromClient).Should().Be(expected);
        if (length == 1)
        {
            fromServer.Error.Should().Be(CloseFrameError.TooShort);
            fromClient.Error.Should().Be(CloseFrameError.TooShort);
            return;
        }

        fromServer.BytesConsumed.Should().Be(2 + length);
        fromClient.BytesConsumed.Should().Be(6 + length);
        fromClient.ReasonIn(clientReason).Should().Equal(payload.Skip(2));
        fromServer.ReasonIn(serverReason).Should().Equal(payload.Skip(2));
        fromServer.Status.Should().Be(length == 0 ? WebSocketCloseStatus.Empty : WebSocketCloseStatus.NormalClosure);

        // And the writers produce exactly these bytes.
        byte[] written = new byte[CloseFrame.MaxLength];
        WriteFrame(written, WebSocketRole.Server, payload, out int serverLength).Should().BeTrue();
        written[..serverLength].Should().Equal(server);
        WriteMasked(written, payload, Key, out int clientLength).Should().BeTrue();
        written[..clientLength].Should().Equal(client);
        WriteMaskedChars(written, payload, Key, out int charClientLength).Should().BeTrue();
        written[..charClientLength].Should().Equal(client);
    }

    [Theory]
    [InlineData(new byte[] { 0x08, 0x00 }, CloseFrameError.NotFinal)]              // §5.5: control frames are not fragmented
    [InlineData(new byte[] { 0xC8, 0x00 }, CloseFrameError.ReservedBitsSet)]       // §5.2: RSV1
    [InlineData(new byte[] { 0xA8, 0x00 }, CloseFrameError.ReservedBitsSet)]       // RSV2
    [InlineData(new byte[] { 0x98, 0x00 }, CloseFrameError.ReservedBitsSet)]       // RSV3
    [InlineData(new byte[] { 0x81, 0x00 }, CloseFrameError.NotCloseFrame)]         // text
    [InlineData(new byte[] { 0x89, 0x00 }, CloseFrameError.NotCloseFrame)]         // ping
    [InlineData(new byte[] { 0x8A, 0x00 }, CloseFrameError.NotCloseFrame)]         // pong
    [InlineData(new byte[] { 0x8B, 0x00 }, CloseFrameError.NotCloseFrame)]         // reserved control opcode
    [InlineData(new byte[] { 0x88, 0x7E, 0x00, 0x02 }, CloseFrameError.TooLong)] // §5.5: 16-bit length form
    [InlineData(new byte[] { 0x88, 0x7F, 0, 0, 0, 0, 0, 0, 0, 2 }, CloseFrameError.TooLong)] // 64-bit form
    [InlineData(new byte[] { 0x88, 0x02, 0x03, 0xE8 }, CloseFrameError.MaskMissing)] // §5.1: a server needs masked frames
    [InlineData(new byte[] { 0x88, 0x01, 0x03 }, CloseFrameError.MaskMissing)]
    public void Read_AsServer_FrameLevelErrors(byte[] frame, CloseFrameError expected)
    {
        CloseFrame.Read(frame, WebSocketRole.Server, new byte[125], out CloseFrameReadResult result).Should().Be(OperationStatus.InvalidData);

        result.Error.Should().Be(expected);
        result.Error.ToCloseStatus().Should().Be(WebSocketCloseStatus.ProtocolError);
        result.BytesConsumed.Should().Be(0);
        result.Status.Should().Be(default(WebSocketCloseStatus));
    }

    [Fact]
    public void Read_AsClient_MaskedFrame_IsUnexpectedMask_Rfc6455_5_1()
    {
        byte[] frame = SystemNetPeer.MaskedCloseFrame(Hex.Payload(1000, []), Key);

        CloseFrame.Read(frame, WebSocketRole.Client, new byte[125], out CloseFrameReadResult result).Should().Be(OperationStatus.InvalidData);

        result.Error.Should().Be(CloseFrameError.UnexpectedMask);
    }

    [Theory]
    [InlineData(1006, "", CloseFrameError.InvalidStatus, WebSocketCloseStatus.ProtocolError)]
    [InlineData(999, "", CloseFrameError.InvalidStatus, WebSocketCloseStatus.ProtocolError)]
    [InlineData(1000, "C0 80", CloseFrameError.InvalidUtf8, WebSocketCloseStatus.InvalidPayloadData)]
    [InlineData(1000, "ED A0 80", CloseFrameError.InvalidUtf8, WebSocketCloseStatus.InvalidPayloadData)]
    public void Read_PayloadRules_ApplyInsideFrames(int code, string reasonHex, CloseFrameError expected, WebSocketCloseStatus answer)
    {
        byte[] payload = Hex.Payload(code, Hex.Parse(reasonHex));
        byte[] buffer = new byte[125];

        CloseFrame.Read(SystemNetPeer.MaskedCloseFrame(payload, Key), WebSocketRole.Server, buffer, out CloseFrameReadResult masked).Should().Be(OperationStatus.InvalidData);
        CloseFrame.Read(Frames.Unmasked(payload), WebSocketRole.Client, buffer, out CloseFrameReadResult unmasked).Should().Be(OperationStatus.InvalidData);

        masked.Error.Should().Be(expected);
        unmasked.Error.Should().Be(expected);
        masked.Error.ToCloseStatus().Should().Be(answer);
    }

    [Fact]
    public void Read_StreamedOneByteAtATime_NeedsMoreUntilComplete_ThenSameAsWhole()
    {
        byte[][] frames =
        [
            SystemNetPeer.MaskedCloseFrame(Hex.Payload(1001, Encoding.UTF8.GetBytes("Grüße 😀")), Key),
            SystemNetPeer.MaskedCloseFrame([], Key),
            SystemNetPeer.MaskedCloseFrame(Hex.Payload(1000, [.. Enumerable.Repeat((byte)'a', 123)]), Key),
            SystemNetPeer.MaskedCloseFrame(Hex.Payload(1000, [0xFF]), Key),
        ];
        byte[] destination = new byte[125];
        foreach (byte[] frame in frames)
        {
            OperationStatus whole = CloseFrame.Read(frame, WebSocketRole.Server, destination, out CloseFrameReadResult expected);
            byte[] expectedReason = expected.ReasonIn(destination);
            (CloseFrameError Error, int Consumed, WebSocketCloseStatus Status) expectedFields = (expected.Error, expected.BytesConsumed, expected.Status);

            byte[] trailing = [.. frame, 0x81, 0x00]; // a following frame must be left alone
            for (int available = 0; available < frame.Length; available++)
            {
                CloseFrame.Read(trailing.AsSpan(0, available), WebSocketRole.Server, destination, out CloseFrameReadResult partial).Should().Be(OperationStatus.NeedMoreData, "{0} of {1} bytes", available, frame.Length);
                partial.BytesConsumed.Should().Be(0);
                partial.BytesNeeded.Should().BeInRange(1, frame.Length - available);
                (available + partial.BytesNeeded <= frame.Length).Should().BeTrue();
            }

            CloseFrame.Read(trailing, WebSocketRole.Server, destination, out CloseFrameReadResult complete).Should().Be(whole);
            (complete.Error, complete.BytesConsumed, complete.Status).Should().Be(expectedFields);
            complete.ReasonIn(destination).Should().Equal(expectedReason);
        }
    }

    [Fact]
    public void Read_NeedMoreData_BytesNeeded_ReachesTheFrameInFewSteps()
    {
        byte[] frame = SystemNetPeer.MaskedCloseFrame(Hex.Payload(1000, "abc"u8.ToArray()), Key);

        CloseFrame.Read([], WebSocketRole.Server, default, out CloseFrameReadResult empty).Should().Be(OperationStatus.NeedMoreData);
        empty.BytesNeeded.Should().Be(2);
        CloseFrame.Read(frame.AsSpan(0, 2), WebSocketRole.Server, default, out CloseFrameReadResult header).Should().Be(OperationStatus.NeedMoreData);
        header.BytesNeeded.Should().Be(frame.Length - 2);
    }

    [Fact]
    public void Read_InvalidFirstByte_IsReportedBeforeTheRestArrives()
    {
        CloseFrame.Read([0x08], WebSocketRole.Server, default, out CloseFrameReadResult result).Should().Be(OperationStatus.InvalidData);

        result.Error.Should().Be(CloseFrameError.NotFinal);
    }

    [Fact]
    public void Read_MaskedPayload_DestinationTooSmall()
    {
        byte[] frame = SystemNetPeer.MaskedCloseFrame(Hex.Payload(1000, "abc"u8.ToArray()), Key);

        CloseFrame.Read(frame, WebSocketRole.Server, new byte[2], out CloseFrameReadResult result).Should().Be(OperationStatus.DestinationTooSmall);

        result.DestinationLengthNeeded.Should().Be(3, "the destination receives the 3-byte reason, not the status");
        result.BytesNeeded.Should().Be(0, "BytesNeeded counts input bytes, and the whole frame is there");
        result.BytesConsumed.Should().Be(0);
    }

    [Fact]
    public void ReadInPlace_UnmasksIntoSource()
    {
        byte[] frame = SystemNetPeer.MaskedCloseFrame(Hex.Payload(1008, "nope"u8.ToArray()), Key);

        CloseFrame.ReadInPlace(frame, WebSocketRole.Server, out CloseFrameReadResult result).Should().Be(OperationStatus.Done);

        result.Status.Should().Be(WebSocketCloseStatus.PolicyViolation);
        (result.ReasonOffset, result.ReasonLength).Should().Be((8, 4), "the reason follows the 6-byte header and the status");
        Encoding.UTF8.GetString(result.ReasonIn(frame)).Should().Be("nope");
        frame[6..].Should().Equal(Hex.Payload(1008, "nope"u8.ToArray()));
    }

    [Fact]
    public void ReadInPlace_NeedMoreData_ChangesNothing()
    {
        byte[] frame = SystemNetPeer.MaskedCloseFrame(Hex.Payload(1000, "abc"u8.ToArray()), Key);
        byte[] partial = frame[..^1];
        byte[] copy = partial.ToArray();

        CloseFrame.ReadInPlace(partial, WebSocketRole.Server, out _).Should().Be(OperationStatus.NeedMoreData);

        partial.Should().Equal(copy);
    }

    [Fact]
    public void ReadInPlace_UnmaskedAndInvalid()
    {
        CloseFrame.ReadInPlace(Frames.Unmasked(Hex.Payload(3000, "x"u8.ToArray())), WebSocketRole.Client, out CloseFrameReadResult ok).Should().Be(OperationStatus.Done);
        ((int)ok.Status).Should().Be(3000);

        CloseFrame.ReadInPlace(new byte[] { 0x88, 0x02, 0x03, 0xE8 }, WebSocketRole.Server, out CloseFrameReadResult bad).Should().Be(OperationStatus.InvalidData);
        bad.Error.Should().Be(CloseFrameError.MaskMissing);
    }

    [Fact]
    public void Write_Client_UsesFreshRandomKey_AndMasksPayload()
    {
        byte[] first = new byte[CloseFrame.MaxLength];
        byte[] second = new byte[CloseFrame.MaxLength];

        CloseFrame.TryWrite(first, WebSocketRole.Client, WebSocketCloseStatus.NormalClosure, "bye", out int firstLength).Should().BeTrue();
        CloseFrame.TryWriteUtf8(second, WebSocketRole.Client, WebSocketCloseStatus.NormalClosure, "bye"u8, out int secondLength).Should().BeTrue();

        (firstLength, secondLength).Should().Be((11, 11));
        first[..2].Should().Equal(0x88, 0x85);
        first[2..6].Should().NotEqual(second[2..6], "each frame gets a new key (a 1 in 2^32 chance of a false failure)");
        foreach (byte[] frame in new[] { first, second })
        {
            byte[] reason = new byte[123];
            CloseFrame.Read(frame.AsSpan(0, 11), WebSocketRole.Server, reason, out CloseFrameReadResult result).Should().Be(OperationStatus.Done);
            result.Status.Should().Be(WebSocketCloseStatus.NormalClosure);
            Encoding.UTF8.GetString(result.ReasonIn(reason)).Should().Be("bye");
        }
    }

    [Fact]
    public void Write_SameArgumentRulesAsClosePayload()
    {
        byte[] destination = new byte[CloseFrame.MaxLength];

        Action badStatus = () => CloseFrame.TryWrite(destination, WebSocketRole.Server, WebSocketCloseStatus.AbnormalClosure, "", out _);
        Action tooLong = () => CloseFrame.TryWriteMasked(destination, Key, WebSocketCloseStatus.NormalClosure, new string('a', 124), out _);
        Action badUtf8 = () => CloseFrame.TryWriteMaskedUtf8(destination, Key, WebSocketCloseStatus.NormalClosure, new byte[] { 0xC0, 0x80 }, out _);
        Action badRole = () => CloseFrame.TryWrite(destination, (WebSocketRole)3, WebSocketCloseStatus.NormalClosure, "", out _);
        Action badRoleRead = () => CloseFrame.Read([], (WebSocketRole)3, default, out _);
        Action tinyDestinationStillValidates = () => CloseFrame.TryWrite(new byte[1], WebSocketRole.Client, WebSocketCloseStatus.Empty, "why", out _);

        badStatus.Should().Throw<ArgumentOutOfRangeException>().WithMessage("1006 (AbnormalClosure) is reported locally*");
        tooLong.Should().Throw<ArgumentException>().WithMessage("The reason is 124 bytes*");
        badUtf8.Should().Throw<ArgumentException>().WithMessage("*not well-formed UTF-8*");
        badRole.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("role");
        badRoleRead.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("role");
        tinyDestinationStillValidates.Should().Throw<ArgumentOutOfRangeException>();
    }

    [Fact]
    public void Write_DestinationTooSmall_ReturnsFalse_ForEverySize()
    {
        for (int size = 0; size < 9; size++)
        {
            byte[] destination = new byte[size];
            CloseFrame.TryWriteMasked(destination, Key, WebSocketCloseStatus.NormalClosure, "bye", out int masked).Should().BeFalse();
            CloseFrame.TryWrite(destination.AsSpan(0, Math.Min(size, 4)), WebSocketRole.Server, WebSocketCloseStatus.NormalClosure, "bye", out int server).Should().BeFalse();
            (masked, server).Should().Be((0, 0));
        }

        // An empty payload still needs the header.
        CloseFrame.TryWrite(new byte[1], WebSocketRole.Server, WebSocketCloseStatus.Empty, "", out int written).Should().BeFalse();
        written.Should().Be(0);
        CloseFrame.TryWrite(new byte[2], WebSocketRole.Server, WebSocketCloseStatus.Empty, "", out written).Should().BeTrue();
        written.Should().Be(2);
    }

    [Fact]
    public void Write_Truncation_WritesTheCutReason()
    {
        byte[] destination = new byte[CloseFrame.MaxLength];

        CloseFrame.TryWrite(destination, WebSocketRole.Client, WebSocketCloseStatus.InternalServerError, new string('x', 200), out int written, CloseReasonTruncation.TruncateWithEllipsis).Should().BeTrue();

        written.Should().Be(CloseFrame.MaxLength);
        byte[] reason = new byte[123];
        CloseFrame.Read(destination, WebSocketRole.Server, reason, out CloseFrameReadResult result).Should().Be(OperationStatus.Done);
        Encoding.UTF8.GetString(result.ReasonIn(reason)).Should().Be(new string('x', 120) + "…");

        CloseFrame.TryWrite(new byte[10], WebSocketRole.Server, WebSocketCloseStatus.InternalServerError, new string('x', 200), out written, CloseReasonTruncation.Truncate).Should().BeFalse();
        written.Should().Be(0);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(5)]
    public void Mask_MatchesNaiveXor_AtAnyOffset_AndIsItsOwnInverse(int keyOffset)
    {
        byte[] data = [.. Enumerable.Range(0, 300).Select(i => (byte)(i * 7))];
        byte[] expected = [.. data.Select((b, i) => (byte)(b ^ s_keyBytes[(i + keyOffset) % 4]))];
        byte[] masked = data.ToArray();

        CloseFrame.Mask(masked, Key, keyOffset);
        masked.Should().Equal(expected);

        CloseFrame.Mask(masked, Key, keyOffset);
        masked.Should().Equal(data);
    }

    /// <summary>
    /// RFC 6455 §5.3: octet i of the payload is XORed with octet i MOD 4 of the key. Every length up to 40 (each way the
    /// 16-, 8-, 4-, 2- and 1-byte steps can end) at every key offset, and not a byte outside the span is touched.
    /// </summary>
    [Fact]
    public void Mask_EveryLengthAndKeyOffset_MatchesNaiveXor_AndTouchesNothingOutside()
    {
        for (int length = 0; length <= 40; length++)
        {
            for (int keyOffset = 0; keyOffset < 4; keyOffset++)
            {
                byte[] buffer = [.. Enumerable.Range(0, length + 6).Select(i => (byte)(0xA5 ^ (i * 13)))];
                byte[] expected = [.. buffer.Select((b, i) => i >= 3 && i < 3 + length ? (byte)(b ^ s_keyBytes[(i - 3 + keyOffset) % 4]) : b)];

                CloseFrame.Mask(buffer.AsSpan(3, length), Key, keyOffset);

                buffer.Should().Equal(expected, $"a span of {length} bytes at key offset {keyOffset}");
            }
        }
    }

    [Fact]
    public void Mask_InPieces_EqualsMaskWhole()
    {
        byte[] whole = [.. Enumerable.Range(0, 100).Select(i => (byte)i)];
        byte[] pieces = whole.ToArray();

        CloseFrame.Mask(whole, Key);
        CloseFrame.Mask(pieces.AsSpan(0, 13), Key, 0);
        CloseFrame.Mask(pieces.AsSpan(13, 50), Key, 13);
        CloseFrame.Mask(pieces.AsSpan(63), Key, 63);

        pieces.Should().Equal(whole);
    }

    [Fact]
    public void Mask_NegativeOffset_Throws()
    {
        Action act = () => CloseFrame.Mask(new byte[4], Key, -1);

        act.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("keyOffset").WithMessage("keyOffset must not be negative; it was -1.*");
    }

    [Theory]
    [InlineData(0x88, true)]  // FIN | close
    [InlineData(0x08, true)]  // a close with FIN clear is still one, which a reader reports NotFinal (§5.4, §5.5)
    [InlineData(0xF8, true)]  // reserved bits set: a close still, ReservedBitsSet for a reader (§5.2)
    [InlineData(0x81, false)] // text
    [InlineData(0x82, false)] // binary
    [InlineData(0x80, false)] // a continuation frame
    [InlineData(0x89, false)] // ping
    [InlineData(0x8A, false)] // pong
    [InlineData(0x8B, false)] // a reserved control opcode (§5.2: 0xB–0xF)
    [InlineData(0x83, false)] // a reserved data opcode (§5.2: 0x3–0x7)
    [InlineData(0x00, false)]
    public void IsCloseFrame_LooksAtTheOpcode_Rfc6455_5_2(byte first, bool expected)
    {
        // §5.2: the opcode is the low nibble of the first byte; §11.8: 0x8 denotes a close frame.
        byte[] frame = [first, 0x02, 0x03, 0xE8];

        CloseFrame.IsCloseFrame(frame).Should().Be(expected);
        CloseFrame.IsCloseFrame(frame.AsSpan(0, 1)).Should().Be(expected, "the first byte is enough");
        CloseFrame.IsCloseFrame(new ReadOnlySequence<byte>(frame)).Should().Be(expected);
        CloseFrame.IsCloseFrame(Segments.Of([first], [0x02], [0x03, 0xE8])).Should().Be(expected);
        CloseFrame.IsCloseFrame(Segments.Of([], [], [first, 0x02], [0x03, 0xE8])).Should().Be(expected, "empty leading segments are skipped");
        CloseFrame.Read(frame, WebSocketRole.Client, new byte[ClosePayload.MaxReasonLength], out CloseFrameReadResult result);
        (result.Error == CloseFrameError.NotCloseFrame).Should().Be(!expected, "IsCloseFrame agrees with the reader");
    }

    [Fact]
    public void IsCloseFrame_Empty_IsFalse()
    {
        CloseFrame.IsCloseFrame(ReadOnlySpan<byte>.Empty).Should().BeFalse();
        CloseFrame.IsCloseFrame([]).Should().BeFalse();
        CloseFrame.IsCloseFrame(ReadOnlySequence<byte>.Empty).Should().BeFalse();
        CloseFrame.IsCloseFrame(Segments.Of([], [], [])).Should().BeFalse("segments with no byte hold no frame");
    }

    [Fact]
    public void IsCloseFrame_Sequence_FirstSegmentEmpty_IsNotFirstSpanZero()
    {
        // The mistake IsCloseFrame saves a stack from: FirstSpan[0] of a sequence whose first segment is empty throws.
        ReadOnlySequence<byte> sequence = Segments.Of([], [0x88, 0x00]);
        sequence.IsSingleSegment.Should().BeFalse();
        sequence.First.IsEmpty.Should().BeTrue();

        CloseFrame.IsCloseFrame(sequence).Should().BeTrue();
        CloseFrame.IsCloseFrame(Segments.Of([], [0x81, 0x00])).Should().BeFalse();
        Allocations.Measure(() => CloseFrame.IsCloseFrame(sequence)).Should().Be(0);
    }

    [Fact]
    public void ReadAndWrite_DoNotAllocate()
    {
        byte[] frame = SystemNetPeer.MaskedCloseFrame(Hex.Payload(1000, [.. Enumerable.Repeat((byte)'a', 100)]), Key);
        byte[] destination = new byte[CloseFrame.MaxLength];
        int sink = 0;

        long allocated = Allocations.Measure(() =>
        {
            CloseFrame.Read(frame, WebSocketRole.Server, destination, out CloseFrameReadResult result);
            sink += result.BytesConsumed;
            CloseFrame.TryWrite(destination, WebSocketRole.Client, WebSocketCloseStatus.NormalClosure, "bye", out int written);
            sink += written;
            CloseFrame.TryWrite(destination, WebSocketRole.Server, WebSocketCloseStatus.NormalClosure, "bye", out written);
            sink += written;
        });

        allocated.Should().Be(0);
        sink.Should().BePositive();
    }

    private static byte[] FramePayload(int length) => length switch
    {
        0 => [],
        1 => [0x03],
        _ => Hex.Payload(1000, [.. Enumerable.Repeat((byte)'a', length - 2)]),
    };

    private static bool WriteFrame(byte[] destination, WebSocketRole role, byte[] payload, out int written) =>
        payload.Length == 0
            ? CloseFrame.TryWriteUtf8(destination, role, WebSocketCloseStatus.Empty, ReadOnlySpan<byte>.Empty, out written)
            : CloseFrame.TryWriteUtf8(destination, role, (WebSocketCloseStatus)((payload[0] << 8) | payload[1]), payload.AsSpan(2), out written);

    private static bool WriteMaskedChars(byte[] destination, byte[] payload, uint key, out int written) =>
        payload.Length == 0
            ? CloseFrame.TryWriteMasked(destination, key, WebSocketCloseStatus.Empty, ReadOnlySpan<char>.Empty, out written)
            : CloseFrame.TryWriteMasked(destination, key, (WebSocketCloseStatus)((payload[0] << 8) | payload[1]), Encoding.UTF8.GetString(payload, 2, payload.Length - 2), out written);

    private static bool WriteMasked(byte[] destination, byte[] payload, uint key, out int written) =>
        payload.Length == 0
            ? CloseFrame.TryWriteMaskedUtf8(destination, key, WebSocketCloseStatus.Empty, ReadOnlySpan<byte>.Empty, out written)
            : CloseFrame.TryWriteMaskedUtf8(destination, key, (WebSocketCloseStatus)((payload[0] << 8) | payload[1]), payload.AsSpan(2), out written);

    [Fact]
    public void Write_Client_EveryOverload_DrawsANewKeyEachTime()
    {
        // A 1 in 2^32 chance of a false failure per comparison.
        byte[] a = new byte[CloseFrame.MaxLength];
        byte[] b = new byte[CloseFrame.MaxLength];

        CloseFrame.TryWrite(a, WebSocketRole.Client, WebSocketCloseStatus.NormalClosure, "x", out _).Should().BeTrue();
        CloseFrame.TryWrite(b, WebSocketRole.Client, WebSocketCloseStatus.NormalClosure, "x", out _).Should().BeTrue();
        a[2..6].Should().NotEqual(b[2..6]);

        CloseFrame.TryWriteUtf8(a, WebSocketRole.Client, WebSocketCloseStatus.NormalClosure, "x"u8, out _).Should().BeTrue();
        CloseFrame.TryWriteUtf8(b, WebSocketRole.Client, WebSocketCloseStatus.NormalClosure, "x"u8, out _).Should().BeTrue();
        a[2..6].Should().NotEqual(b[2..6]);
    }

    [Fact]
    public void ReadInPlace_ReportsFrameLength()
    {
        byte[] frame = SystemNetPeer.MaskedCloseFrame(Hex.Payload(1000, "abc"u8.ToArray()), Key);

        CloseFrame.ReadInPlace(frame, WebSocketRole.Server, out CloseFrameReadResult result).Should().Be(OperationStatus.Done);

        result.BytesConsumed.Should().Be(11);
    }

    [Fact]
    public void Read_OneByte_NeedsExactlyOneMore()
    {
        CloseFrame.Read([0x88], WebSocketRole.Client, default, out CloseFrameReadResult result).Should().Be(OperationStatus.NeedMoreData);

        result.BytesNeeded.Should().Be(1);
    }
}
