using System;
using System.Buffers;
using System.Text;
using FluentAssertions;
using WebSockets.CloseStatus.Tests.TestData;
using Xunit;

namespace WebSockets.CloseStatus.Tests;

/// <summary>The overload set is one: every string overload writes what its span overload writes, and the frame API offers what the payload API does.</summary>
public class ApiSurfaceTests
{
    private const uint Key = 0x37FA213D;

    [Theory]
    [InlineData("bye")]
    [InlineData("")]
    [InlineData(null)]
    [InlineData("Привет 服务器 😀")]
    public void StringOverloads_WriteWhatTheSpanOverloadsWrite_NullIsNoReason(string? reason)
    {
        var status = WebSocketCloseStatus.PolicyViolation;
        byte[] expected = ClosePayload.Create(status, reason);
        byte[] buffer = new byte[CloseFrame.MaxLength];

        ClosePayload.GetByteCount(status, reason).Should().Be(expected.Length);
        ClosePayload.TryWrite(buffer, status, reason, out int written).Should().BeTrue();
        buffer[..written].Should().Equal(expected);
        ClosePayload.TryWrite(buffer, status, reason, out written, CloseReasonTruncation.Truncate).Should().BeTrue();
        buffer[..written].Should().Equal(expected);
        ClosePayload.TryWrite(buffer, status, reason.AsSpan(), out written, CloseReasonTruncation.TruncateWithEllipsis).Should().BeTrue();
        buffer[..written].Should().Equal(expected);
        ClosePayload.TryWriteUtf8(buffer, status, Encoding.UTF8.GetBytes(reason ?? ""), out written).Should().BeTrue();
        buffer[..written].Should().Equal(expected);

        CloseFrame.TryWrite(buffer, WebSocketRole.Server, status, reason, out written).Should().BeTrue();
        buffer[2..written].Should().Equal(expected);
        CloseFrame.TryWrite(buffer, WebSocketRole.Server, status, reason, out written, CloseReasonTruncation.Truncate).Should().BeTrue();
        buffer[2..written].Should().Equal(expected);
        CloseFrame.TryWriteMasked(buffer, Key, status, reason, out written).Should().BeTrue();
        Unmasked(buffer, written).Should().Equal(expected);
        CloseFrame.TryWriteMasked(buffer, Key, status, reason, out written, CloseReasonTruncation.Truncate).Should().BeTrue();
        Unmasked(buffer, written).Should().Equal(expected);

        var frames = new ArrayBufferWriter<byte>();
        CloseFrame.Write(frames, WebSocketRole.Server, status, reason, CloseReasonTruncation.None).Should().Be(2 + expected.Length);
        CloseFrame.Write(frames, WebSocketRole.Server, status, reason).Should().Be(2 + expected.Length);
        CloseFrame.Write(frames, WebSocketRole.Server, status, reason.AsSpan(), CloseReasonTruncation.Truncate).Should().Be(2 + expected.Length);
        CloseFrame.WriteUtf8(frames, WebSocketRole.Server, status, Encoding.UTF8.GetBytes(reason ?? "")).Should().Be(2 + expected.Length);
        byte[] frame = [0x88, (byte)expected.Length, .. expected];
        frames.WrittenSpan.ToArray().Should().Equal([.. frame, .. frame, .. frame, .. frame]);
    }

    [Fact]
    public void Read_WithOutVar_CompilesAndDecodesTheReason()
    {
        // The call that was ambiguous (CS0121) while a span overload of the same name differed from it only by an out
        // type: the span reader is ReadUtf8.
        ClosePayload.Read(Hex.Payload(1001, "bye"u8.ToArray()), out var status, out var reason).Should().Be(CloseFrameError.None);

        status.Should().Be(WebSocketCloseStatus.EndpointUnavailable);
        reason.Should().Be("bye");
    }

    [Theory]
    [InlineData(WebSocketRole.Server)]
    [InlineData(WebSocketRole.Client)]
    public void FrameWriters_Utf8AndTruncation_ReadBackThroughTheFrameReader(WebSocketRole sender)
    {
        WebSocketRole receiver = sender == WebSocketRole.Server ? WebSocketRole.Client : WebSocketRole.Server;
        byte[] longReason = Encoding.UTF8.GetBytes(new string('ж', 100));   // 200 bytes
        byte[] frame = new byte[CloseFrame.MaxLength];
        byte[] unmasked = new byte[ClosePayload.MaxLength];

        CloseFrame.TryWriteUtf8(frame, sender, WebSocketCloseStatus.MessageTooBig, longReason, out int written, CloseReasonTruncation.TruncateWithEllipsis).Should().BeTrue();

        CloseFrame.Read(frame.AsSpan(0, written), receiver, unmasked, out CloseFrameReadResult result).Should().Be(OperationStatus.Done);
        result.Status.Should().Be(WebSocketCloseStatus.MessageTooBig);
        Encoding.UTF8.GetString(result.ReasonIn(unmasked)).Should().Be(new string('ж', 60) + "…");

        var writer = new ArrayBufferWriter<byte>();
        int length = CloseFrame.WriteUtf8(writer, sender, WebSocketCloseStatus.MessageTooBig, longReason, CloseReasonTruncation.Truncate);
        CloseFrame.Read(writer.WrittenSpan, receiver, unmasked, out result).Should().Be(OperationStatus.Done);
        result.BytesConsumed.Should().Be(length);
        Encoding.UTF8.GetString(result.ReasonIn(unmasked)).Should().Be(new string('ж', 61));
    }

    [Fact]
    public void FrameWriters_MaskedUtf8Truncation_UsesTheGivenKey()
    {
        byte[] reason = Encoding.UTF8.GetBytes(new string('x', 130));
        byte[] frame = new byte[CloseFrame.MaxLength];

        CloseFrame.TryWriteMaskedUtf8(frame, Key, WebSocketCloseStatus.NormalClosure, reason, out int written, CloseReasonTruncation.Truncate).Should().BeTrue();

        frame.AsSpan(2, 4).ToArray().Should().Equal(0x37, 0xFA, 0x21, 0x3D);
        Unmasked(frame, written).Should().Equal([0x03, 0xE8, .. reason[..123]]);
        CloseFrame.TryWriteMaskedUtf8(new byte[10], Key, WebSocketCloseStatus.NormalClosure, reason, out written, CloseReasonTruncation.Truncate).Should().BeFalse();
        written.Should().Be(0);
    }

    [Fact]
    public void FrameWriters_BufferWriter_NullThrows()
    {
        Action write = () => CloseFrame.Write(null!, WebSocketRole.Server, WebSocketCloseStatus.NormalClosure, "", CloseReasonTruncation.None);
        Action writeUtf8 = () => CloseFrame.WriteUtf8(null!, WebSocketRole.Server, WebSocketCloseStatus.NormalClosure, ReadOnlySpan<byte>.Empty, CloseReasonTruncation.None);

        write.Should().Throw<ArgumentNullException>().Which.ParamName.Should().Be("destination");
        writeUtf8.Should().Throw<ArgumentNullException>().Which.ParamName.Should().Be("destination");
    }

    [Theory]
    [InlineData(0x01)] // a text frame
    [InlineData(0x00)] // a continuation fragment
    [InlineData(0x02)] // a binary fragment, FIN clear
    [InlineData(0x71)] // FIN clear, RSV set, text
    [InlineData(0x89)] // a ping
    public void Read_NonCloseOpcode_IsNotCloseFrame_WhateverFinSays(byte first)
    {
        // RFC 6455 §5.2: the opcode says what the frame is; a data fragment is no close frame with FIN clear either.
        CloseFrame.Read([first], WebSocketRole.Server, default, out CloseFrameReadResult result).Should().Be(OperationStatus.InvalidData);

        result.Error.Should().Be(CloseFrameError.NotCloseFrame);
    }

    [Theory]
    [InlineData(WebSocketRole.Server, 0x81)]
    [InlineData(WebSocketRole.Client, 0x01)]
    public void Read_OneBytePayload_IsTooShort_AsSoonAsTheHeaderArrives(WebSocketRole role, byte second)
    {
        // RFC 6455 §5.5.1: a payload holds a 2-byte code or nothing; the length byte alone shows a 1-byte one.
        byte[] header = [0x88, second];

        CloseFrame.Read(header, role, new byte[ClosePayload.MaxLength], out CloseFrameReadResult result).Should().Be(OperationStatus.InvalidData);
        result.Error.Should().Be(CloseFrameError.TooShort);
        CloseFrame.ReadInPlace(header, role, out result).Should().Be(OperationStatus.InvalidData);
        result.Error.Should().Be(CloseFrameError.TooShort);
    }

    [Fact]
    public void Read_LenientMode_AcceptsUnregisteredProtocolCodes_ForFramesToo()
    {
        byte[] frame = SystemNetPeer.MaskedCloseFrame(Hex.Payload(2999, "x"u8.ToArray()), Key);
        byte[] unmasked = new byte[ClosePayload.MaxLength];

        CloseFrame.Read(frame, WebSocketRole.Server, unmasked, out CloseFrameReadResult strict).Should().Be(OperationStatus.InvalidData);
        strict.Error.Should().Be(CloseFrameError.InvalidStatus);
        CloseFrame.Read(frame, WebSocketRole.Server, unmasked, out CloseFrameReadResult lenient, ClosePayloadReadMode.Lenient).Should().Be(OperationStatus.Done);
        ((int)lenient.Status).Should().Be(2999);
        CloseFrame.Read(new ReadOnlySequence<byte>(frame), WebSocketRole.Server, unmasked, out lenient, ClosePayloadReadMode.Lenient).Should().Be(OperationStatus.Done);
        ((int)lenient.Status).Should().Be(2999);
        CloseFrame.ReadInPlace((byte[])frame.Clone(), WebSocketRole.Server, out lenient, ClosePayloadReadMode.Lenient).Should().Be(OperationStatus.Done);
        ((int)lenient.Status).Should().Be(2999);
        CloseFrame.ReadInPlace((byte[])frame.Clone(), WebSocketRole.Server, out strict, ClosePayloadReadMode.Strict).Should().Be(OperationStatus.InvalidData);

        byte[] local = SystemNetPeer.MaskedCloseFrame(Hex.Payload(1006, []), Key);
        CloseFrame.Read(local, WebSocketRole.Server, unmasked, out lenient, ClosePayloadReadMode.Lenient).Should().Be(OperationStatus.InvalidData, "1006 is local only in any mode");
    }

    [Fact]
    public void Read_UndefinedMode_Throws()
    {
        Action span = () => CloseFrame.Read([0x88, 0x00], WebSocketRole.Client, default, out _, (ClosePayloadReadMode)2);
        Action sequence = () => CloseFrame.Read(ReadOnlySequence<byte>.Empty, WebSocketRole.Client, default, out _, (ClosePayloadReadMode)2);
        Action inPlace = () => CloseFrame.ReadInPlace(new byte[2], WebSocketRole.Client, out _, (ClosePayloadReadMode)(-1));

        span.Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("mode");
        sequence.Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("mode");
        inPlace.Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("mode");
    }

    [Fact]
    public void Read_Sequence_PutsThePayloadInDestination_WhicheverTheRole()
    {
        byte[] unmaskedFrame = [0x88, 0x05, 0x03, 0xE8, (byte)'b', (byte)'y', (byte)'e'];

        CloseFrame.Read(Segments.Split(unmaskedFrame, 3), WebSocketRole.Client, new byte[2], out CloseFrameReadResult small).Should().Be(OperationStatus.DestinationTooSmall);
        small.DestinationLengthNeeded.Should().Be(3, "the destination receives the reason, without the status");

        byte[] destination = new byte[ClosePayload.MaxLength];
        CloseFrame.Read(new ReadOnlySequence<byte>(unmaskedFrame), WebSocketRole.Client, destination, out CloseFrameReadResult result).Should().Be(OperationStatus.Done);
        (result.ReasonOffset, result.ReasonLength).Should().Be((0, 3));
        destination[..4].Should().Equal((byte)'b', (byte)'y', (byte)'e', 0);
    }

    [Fact]
    public void Read_Sequence_AllocatesNothing()
    {
        byte[] frame = SystemNetPeer.MaskedCloseFrame(Hex.Payload(1000, "bye"u8.ToArray()), Key);
        ReadOnlySequence<byte> sequence = Segments.Of(frame[..3], frame[3..7], frame[7..]);
        byte[] destination = new byte[ClosePayload.MaxLength];

        Allocations.Measure(() => CloseFrame.Read(sequence, WebSocketRole.Server, destination, out _)).Should().Be(0);
    }

    [Fact]
    public void Read_Defaults_AreStrict_ForSequencesAndInPlaceToo()
    {
        byte[] frame = SystemNetPeer.MaskedCloseFrame(Hex.Payload(2999, []), Key);

        CloseFrame.Read(new ReadOnlySequence<byte>(frame), WebSocketRole.Server, new byte[ClosePayload.MaxLength], out CloseFrameReadResult sequence).Should().Be(OperationStatus.InvalidData);
        sequence.Error.Should().Be(CloseFrameError.InvalidStatus);
        CloseFrame.ReadInPlace((byte[])frame.Clone(), WebSocketRole.Server, out CloseFrameReadResult inPlace).Should().Be(OperationStatus.InvalidData);
        inPlace.Error.Should().Be(CloseFrameError.InvalidStatus);
    }

    [Fact]
    public void Read_UnmaskedFrame_CopiesTheReasonToTheDestination_FromASpanToo()
    {
        // The reason always lands at the destination's start, whichever the role, so the result locates it with two numbers.
        byte[] frame = [0x88, 0x05, 0x03, 0xE8, (byte)'b', (byte)'y', (byte)'e'];
        byte[] destination = new byte[3];

        CloseFrame.Read(frame, WebSocketRole.Client, default, out CloseFrameReadResult none).Should().Be(OperationStatus.DestinationTooSmall);
        CloseFrame.Read([0x88, 0x02, 0x03, 0xE8], WebSocketRole.Client, default, out CloseFrameReadResult codeOnly).Should().Be(OperationStatus.Done);
        CloseFrame.Read(frame, WebSocketRole.Client, destination, out CloseFrameReadResult result).Should().Be(OperationStatus.Done);

        none.DestinationLengthNeeded.Should().Be(3);
        (codeOnly.Status, codeOnly.ReasonLength).Should().Be((WebSocketCloseStatus.NormalClosure, 0));
        (result.ReasonOffset, result.ReasonLength).Should().Be((0, 3));
        destination.Should().Equal("bye"u8.ToArray());
    }

    [Fact]
    public void Read_Sequence_DestinationOfExactlyTheReasonLength_IsEnough()
    {
        byte[] frame = SystemNetPeer.MaskedCloseFrame(Hex.Payload(1000, "bye"u8.ToArray()), Key);

        byte[] destination = new byte[3];
        CloseFrame.Read(Segments.Split(frame, 4), WebSocketRole.Server, destination, out CloseFrameReadResult result).Should().Be(OperationStatus.Done);
        result.ReasonIn(destination).Should().Equal("bye"u8.ToArray());
    }

    [Fact]
    public void TruncatingClientWriters_MaskWithFreshRandomKeys()
    {
        // RFC 6455 §5.3: a client's masking key is unpredictable. Eight equal keys from one writer would mean no fresh key.
        byte[] frame = new byte[CloseFrame.MaxLength];
        var charKeys = new System.Collections.Generic.HashSet<uint>();
        var utf8Keys = new System.Collections.Generic.HashSet<uint>();
        for (int i = 0; i < 8; i++)
        {
            CloseFrame.TryWrite(frame, WebSocketRole.Client, WebSocketCloseStatus.NormalClosure, "bye".AsSpan(), out _, CloseReasonTruncation.Truncate).Should().BeTrue();
            charKeys.Add(System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(frame.AsSpan(2)));
            CloseFrame.TryWriteUtf8(frame, WebSocketRole.Client, WebSocketCloseStatus.NormalClosure, "bye"u8, out _, CloseReasonTruncation.Truncate).Should().BeTrue();
            utf8Keys.Add(System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(frame.AsSpan(2)));
        }

        charKeys.Count.Should().BeGreaterThan(1);
        utf8Keys.Count.Should().BeGreaterThan(1);
    }

    [Fact]
    public void Utf8Reason_OfExactly123Bytes_IsNotCut_EvenWithTheEllipsis()
    {
        byte[] reason = Encoding.UTF8.GetBytes(new string('ж', 61) + "a");   // 123 bytes
        byte[] destination = new byte[ClosePayload.MaxLength];

        ClosePayload.TryWriteUtf8(destination, WebSocketCloseStatus.NormalClosure, reason, out int written, CloseReasonTruncation.TruncateWithEllipsis).Should().BeTrue();

        written.Should().Be(125);
        destination.AsSpan(2).ToArray().Should().Equal(reason);
    }

    private static byte[] Unmasked(byte[] frame, int length)
    {
        byte[] payload = frame[6..length];
        CloseFrame.Mask(payload, (uint)((frame[2] << 24) | (frame[3] << 16) | (frame[4] << 8) | frame[5]));
        return payload;
    }
}
