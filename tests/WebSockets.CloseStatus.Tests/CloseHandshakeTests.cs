using System;
using System.Buffers;
using System.Linq;
using System.Text;
using FluentAssertions;
using WebSockets.CloseStatus.Tests.TestData;
using Xunit;

namespace WebSockets.CloseStatus.Tests;

/// <summary>The closing handshake (RFC 6455 §7.1), one rule per test; the peer's frames are built by hand and ours are decoded by <see cref="Wire"/>.</summary>
public partial class CloseHandshakeTests
{
    private static readonly byte[] s_key = [0x37, 0xFA, 0x21, 0x3D];

    private static byte[] Payload(int code, string reason = "") => Hex.Payload(code, Encoding.UTF8.GetBytes(reason));

    /// <summary>A close frame as the peer of <paramref name="role"/> sends it.</summary>
    private static byte[] PeerFrame(WebSocketRole role, byte[] payload) =>
        role == WebSocketRole.Server ? Wire.Masked(payload, s_key) : Frames.Unmasked(payload);

    private static Wire.Frame Write(CloseHandshake handshake, Func<CloseHandshake, byte[], int> write)
    {
        byte[] buffer = new byte[CloseFrame.MaxLength];
        int length = write(handshake, buffer);
        return Wire.Decode(buffer.AsSpan(0, length));
    }

    private static void Receive(CloseHandshake handshake, byte[] payload)
    {
        byte[] frame = PeerFrame(handshake.Role, payload);
        handshake.ReceiveCloseFrame(frame, out int consumed).Should().Be(OperationStatus.Done);
        consumed.Should().Be(frame.Length);
    }

    [Theory]
    [InlineData(WebSocketRole.Server)]
    [InlineData(WebSocketRole.Client)]
    public void Open_ReportsNothingYet(WebSocketRole role)
    {
        var handshake = new CloseHandshake(role);

        handshake.Role.Should().Be(role);
        handshake.State.Should().Be(CloseHandshakeState.Open);
        handshake.Action.Should().Be(CloseHandshakeAction.None);
        handshake.CanSendData.Should().BeTrue();
        handshake.CanReceiveData.Should().BeTrue();
        handshake.IsCloseSent.Should().BeFalse();
        handshake.IsCloseReceived.Should().BeFalse();
        handshake.CloseStatus.Should().BeNull();
        handshake.Utf8CloseReason.IsEmpty.Should().BeTrue();
        handshake.GetCloseReason().Should().BeEmpty();
        handshake.WasClean.Should().BeFalse();
        handshake.Initiator.Should().Be(CloseInitiator.None);
        handshake.SentStatus.Should().BeNull();
        handshake.FailureStatus.Should().BeNull();
        handshake.PeerCloseError.Should().Be(CloseFrameError.None);
    }

    [Fact]
    public void Constructor_UndefinedRole_Throws()
    {
        Action act = () => _ = new CloseHandshake((WebSocketRole)3);

        act.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("role").WithMessage("3 is not a WebSocketRole*");
    }

    [Fact]
    public void Rfc6455_7_1_2_ServerStartsTheHandshake_WithAnUnmaskedFrame_AndSendsNoMoreData()
    {
        var server = new CloseHandshake(WebSocketRole.Server);

        Wire.Frame frame = Write(server, (h, b) => h.WriteClose(b, WebSocketCloseStatus.NormalClosure, "bye"));

        frame.Should().BeEquivalentTo(new Wire.Frame(0x88, false, null, Payload(1000, "bye")));
        server.State.Should().Be(CloseHandshakeState.Closing);
        server.Action.Should().Be(CloseHandshakeAction.AwaitClose);
        server.CanSendData.Should().BeFalse();   // §5.5.1: no data frame after a close
        server.CanReceiveData.Should().BeTrue(); // §5.5.1: the peer may still send data until its close
        server.IsCloseSent.Should().BeTrue();
        server.SentStatus.Should().Be(WebSocketCloseStatus.NormalClosure);
        server.Initiator.Should().Be(CloseInitiator.Local);
        server.CloseStatus.Should().BeNull();
    }

    [Fact]
    public void Rfc6455_5_3_ClientCloseFrames_AreMasked_WithAFreshKeyEachTime()
    {
        uint?[] keys = Enumerable.Range(0, 8)
            .Select(_ => Write(new CloseHandshake(WebSocketRole.Client), (h, b) => h.WriteClose(b, WebSocketCloseStatus.EndpointUnavailable, "Grüße")))
            .Select(frame =>
            {
                frame.Masked.Should().BeTrue();
                frame.Payload.Should().Equal(Payload(1001, "Grüße"));
                return frame.Key;
            })
            .ToArray();

        keys.Distinct().Should().HaveCountGreaterThan(1, "each frame gets a key from RandomNumberGenerator (§5.3)");
    }

    [Theory]
    [InlineData(WebSocketRole.Server, 1001, "going away")]
    [InlineData(WebSocketRole.Client, 1012, "restart")]
    [InlineData(WebSocketRole.Server, 4999, "")]
    public void Rfc6455_5_5_1_ReceivedClose_IsEchoedWithItsStatus(WebSocketRole role, int code, string reason)
    {
        var handshake = new CloseHandshake(role);

        Receive(handshake, Payload(code, reason));

        handshake.IsCloseReceived.Should().BeTrue();
        handshake.CloseStatus.Should().Be((WebSocketCloseStatus)code);
        handshake.GetCloseReason().Should().Be(reason);
        handshake.Utf8CloseReason.ToArray().Should().Equal(Encoding.UTF8.GetBytes(reason));
        handshake.Initiator.Should().Be(CloseInitiator.Remote);
        handshake.Action.Should().Be(CloseHandshakeAction.SendClose);
        handshake.CanReceiveData.Should().BeFalse();
        handshake.CanSendData.Should().BeTrue("§5.5.1: an endpoint may finish sending its current message before its close");

        Wire.Frame reply = Write(handshake, (h, b) => h.WriteClose(b));

        reply.Payload.Should().Equal(Payload(code), "the echo carries the status and no reason");
        reply.Masked.Should().Be(role == WebSocketRole.Client);
        handshake.SentStatus.Should().Be((WebSocketCloseStatus)code);
    }

    [Theory]
    [InlineData(WebSocketRole.Server)]
    [InlineData(WebSocketRole.Client)]
    public void Rfc6455_5_5_1_ReceivedPayload_AlreadyUnmasked_IsReadLikeAFrame(WebSocketRole role)
    {
        var handshake = new CloseHandshake(role);

        handshake.ReceiveClose(Payload(1013, "Попробуйте позже")).Should().Be(OperationStatus.Done);

        handshake.IsCloseReceived.Should().BeTrue();
        handshake.CloseStatus.Should().Be(WebSocketCloseStatus.TryAgainLater);
        handshake.GetCloseReason().Should().Be("Попробуйте позже");
        handshake.Initiator.Should().Be(CloseInitiator.Remote);
        handshake.Action.Should().Be(CloseHandshakeAction.SendClose);
        handshake.PeerCloseError.Should().Be(CloseFrameError.None);
        handshake.FailureStatus.Should().BeNull();
    }

    [Fact]
    public void Rfc6455_7_1_5_CloseWithoutStatus_Is1005_AndIsAnsweredWithAnEmptyPayload()
    {
        var server = new CloseHandshake(WebSocketRole.Server);

        Receive(server, []);

        server.CloseStatus.Should().Be(WebSocketCloseStatus.Empty);
        Write(server, (h, b) => h.WriteClose(b)).Payload.Should().BeEmpty();
        server.SentStatus.Should().Be(WebSocketCloseStatus.Empty);
    }

    [Fact]
    public void Rfc6455_7_1_1_Server_ClosesTcpAtOnce_AfterTheHandshake()
    {
        var server = new CloseHandshake(WebSocketRole.Server);
        Receive(server, Payload(1000));
        Write(server, (h, b) => h.WriteClose(b));

        server.Action.Should().Be(CloseHandshakeAction.CloseTransport);
        server.ReportTransportClosed();

        server.State.Should().Be(CloseHandshakeState.Closed);
        server.Action.Should().Be(CloseHandshakeAction.None);
        server.WasClean.Should().BeTrue();
        server.CloseStatus.Should().Be(WebSocketCloseStatus.NormalClosure);
    }

    [Fact]
    public void Rfc6455_7_1_1_Client_WaitsForTheServerToCloseTcp()
    {
        var client = new CloseHandshake(WebSocketRole.Client);
        Write(client, (h, b) => h.WriteClose(b, WebSocketCloseStatus.NormalClosure));
        client.Action.Should().Be(CloseHandshakeAction.AwaitClose);

        Receive(client, Payload(1000));

        client.Action.Should().Be(CloseHandshakeAction.AwaitTransportClose);
        client.ReportTransportClosed();
        client.WasClean.Should().BeTrue();
        client.Initiator.Should().Be(CloseInitiator.Local);
    }

    [Fact]
    public void Rfc6455_7_1_1_Client_ClosesTcpItself_WhenTheServerDoesNotWithinItsTimeout()
    {
        var client = new CloseHandshake(WebSocketRole.Client);
        Receive(client, Payload(1001, "bye"));
        Write(client, (h, b) => h.WriteClose(b));
        client.Action.Should().Be(CloseHandshakeAction.AwaitTransportClose);

        client.ReportTimeout();

        client.Action.Should().Be(CloseHandshakeAction.CloseTransport);
        client.ReportTransportClosed();
        client.WasClean.Should().BeTrue("the handshake completed before TCP closed (§7.1.4)");
        client.CloseStatus.Should().Be(WebSocketCloseStatus.EndpointUnavailable);
    }

    [Fact]
    public void Rfc6455_7_1_4_PeerThatNeverAnswersOurClose_TimesOut_As1006()
    {
        var server = new CloseHandshake(WebSocketRole.Server);
        Write(server, (h, b) => h.WriteClose(b, WebSocketCloseStatus.TryAgainLater));

        server.ReportTimeout();
        server.Action.Should().Be(CloseHandshakeAction.CloseTransport);
        server.ReportTransportClosed();

        server.CloseStatus.Should().Be(WebSocketCloseStatus.AbnormalClosure);
        server.WasClean.Should().BeFalse();
        server.Initiator.Should().Be(CloseInitiator.Local);
        server.SentStatus.Should().Be(WebSocketCloseStatus.TryAgainLater);
    }

    [Fact]
    public void Rfc6455_5_5_1_StackMayAnswerWithAnotherStatusAndAReason()
    {
        var server = new CloseHandshake(WebSocketRole.Server);
        Receive(server, Payload(1000));

        Wire.Frame reply = Write(server, (h, b) => h.WriteClose(b, WebSocketCloseStatus.EndpointUnavailable, "shutting down"));

        reply.Payload.Should().Equal(Payload(1001, "shutting down"));
        server.SentStatus.Should().Be(WebSocketCloseStatus.EndpointUnavailable);
        server.CloseStatus.Should().Be(WebSocketCloseStatus.NormalClosure, "the connection close code is the one received (§7.1.5)");
    }

    [Fact]
    public void Rfc6455_7_1_5_SimultaneousClose_EachSideReportsTheOthersCode()
    {
        var client = new CloseHandshake(WebSocketRole.Client);
        var server = new CloseHandshake(WebSocketRole.Server);
        byte[] fromClient = new byte[CloseFrame.MaxLength];
        byte[] fromServer = new byte[CloseFrame.MaxLength];
        int clientLength = client.WriteClose(fromClient, WebSocketCloseStatus.EndpointUnavailable, "client");
        int serverLength = server.WriteClose(fromServer, WebSocketCloseStatus.ServiceRestart, "server");

        server.ReceiveCloseFrame(fromClient.AsSpan(0, clientLength), out _).Should().Be(OperationStatus.Done);
        client.ReceiveCloseFrame(fromServer.AsSpan(0, serverLength), out _).Should().Be(OperationStatus.Done);
        server.ReportTransportClosed();
        client.ReportTransportClosed();

        server.CloseStatus.Should().Be(WebSocketCloseStatus.EndpointUnavailable);
        server.GetCloseReason().Should().Be("client");
        client.CloseStatus.Should().Be(WebSocketCloseStatus.ServiceRestart);
        client.GetCloseReason().Should().Be("server");
        server.Initiator.Should().Be(CloseInitiator.Local);
        client.Initiator.Should().Be(CloseInitiator.Local);
        server.WasClean.Should().BeTrue();
        client.WasClean.Should().BeTrue();
    }

    [Theory]
    [InlineData(new byte[] { 0x03 }, CloseFrameError.TooShort, 1002)]
    [InlineData(new byte[] { 0x03, 0xED }, CloseFrameError.InvalidStatus, 1002)]                // 1005 on the wire (§7.4.1)
    [InlineData(new byte[] { 0x03, 0xEE }, CloseFrameError.InvalidStatus, 1002)]                // 1006
    [InlineData(new byte[] { 0x03, 0xF8 }, CloseFrameError.InvalidStatus, 1002)]                // 1016, unassigned (§7.4.2)
    [InlineData(new byte[] { 0x03, 0xE8, 0xC0, 0xAF }, CloseFrameError.InvalidUtf8, 1007)]      // overlong '/'
    [InlineData(new byte[] { 0x03, 0xE8, 0xED, 0xA0, 0x80 }, CloseFrameError.InvalidUtf8, 1007)] // a surrogate
    public void Rfc6455_7_1_7_MalformedClose_FailsTheConnection_AndCountsAsNoClose(byte[] payload, CloseFrameError error, int code)
    {
        foreach (WebSocketRole role in new[] { WebSocketRole.Server, WebSocketRole.Client })
        {
            var handshake = new CloseHandshake(role);

            handshake.ReceiveClose(payload).Should().Be(OperationStatus.InvalidData);

            handshake.PeerCloseError.Should().Be(error);
            handshake.FailureStatus.Should().Be((WebSocketCloseStatus)code);
            handshake.IsCloseReceived.Should().BeFalse();
            handshake.CanReceiveData.Should().BeFalse();
            handshake.CanSendData.Should().BeFalse();
            handshake.Action.Should().Be(CloseHandshakeAction.SendClose);

            Write(handshake, (h, b) => h.WriteClose(b)).Payload.Should().Equal(Payload(code));
            handshake.Action.Should().Be(CloseHandshakeAction.CloseTransport, "a failed connection closes TCP without waiting, in either role");
            handshake.ReportTransportClosed();

            handshake.CloseStatus.Should().Be(WebSocketCloseStatus.AbnormalClosure, "a malformed close counts as none received");
            handshake.Utf8CloseReason.IsEmpty.Should().BeTrue();
            handshake.WasClean.Should().BeFalse();
            handshake.Initiator.Should().Be(CloseInitiator.Local);
        }
    }

    [Theory]
    [InlineData(new byte[] { 0x08, 0x02, 0x03, 0xE8 }, CloseFrameError.NotFinal)]         // §5.5: control frames are not fragmented
    [InlineData(new byte[] { 0xC8, 0x02, 0x03, 0xE8 }, CloseFrameError.ReservedBitsSet)]  // §5.2
    [InlineData(new byte[] { 0x88, 0x7E, 0x00, 0x02 }, CloseFrameError.TooLong)]   // §5.5: at most 125 bytes
    [InlineData(new byte[] { 0x88, 0x82, 1, 2, 3, 4, 0x02, 0xEA }, CloseFrameError.UnexpectedMask)] // §5.1: a server's frames are unmasked
    [InlineData(new byte[] { 0x88, 0x01, 0x03 }, CloseFrameError.TooShort)]               // §5.5.1
    public void Rfc6455_7_1_7_MalformedCloseFrame_FailsWith1002(byte[] frame, CloseFrameError error)
    {
        var client = new CloseHandshake(WebSocketRole.Client);

        client.ReceiveCloseFrame(frame, out int consumed).Should().Be(OperationStatus.InvalidData);

        consumed.Should().Be(0);
        client.PeerCloseError.Should().Be(error);
        client.FailureStatus.Should().Be(WebSocketCloseStatus.ProtocolError);
        client.Action.Should().Be(CloseHandshakeAction.SendClose);
    }

    [Fact]
    public void Rfc6455_5_1_UnmaskedFrameFromAClient_FailsTheServerWith1002()
    {
        var server = new CloseHandshake(WebSocketRole.Server);

        server.ReceiveCloseFrame(Frames.Unmasked(Payload(1000)), out _).Should().Be(OperationStatus.InvalidData);

        server.PeerCloseError.Should().Be(CloseFrameError.MaskMissing);
        server.FailureStatus.Should().Be(WebSocketCloseStatus.ProtocolError);
    }

    [Fact]
    public void Rfc6455_7_1_7_MalformedClose_AfterOurClose_ClosesTcpWithoutASecondClose()
    {
        var client = new CloseHandshake(WebSocketRole.Client);
        Write(client, (h, b) => h.WriteClose(b, WebSocketCloseStatus.NormalClosure));

        client.ReceiveClose([0x03, 0xE8, 0xFF]).Should().Be(OperationStatus.InvalidData);

        client.Action.Should().Be(CloseHandshakeAction.CloseTransport);
        client.FailureStatus.Should().Be(WebSocketCloseStatus.InvalidPayloadData);
        client.SentStatus.Should().Be(WebSocketCloseStatus.NormalClosure);
        client.ReportTransportClosed();
        client.CloseStatus.Should().Be(WebSocketCloseStatus.AbnormalClosure);
        client.WasClean.Should().BeFalse();
    }

    [Theory]
    [InlineData(1007)]
    [InlineData(1009)]
    [InlineData(1008)]
    public void Rfc6455_7_1_7_StackFailsTheConnection_SendsThatCode_ThenClosesTcp(int code)
    {
        var client = new CloseHandshake(WebSocketRole.Client);

        client.Fail((WebSocketCloseStatus)code);

        client.FailureStatus.Should().Be((WebSocketCloseStatus)code);
        client.PeerCloseError.Should().Be(CloseFrameError.None);
        client.State.Should().Be(CloseHandshakeState.Closing);
        client.CanSendData.Should().BeFalse();
        client.CanReceiveData.Should().BeFalse();
        client.Initiator.Should().Be(CloseInitiator.Local);
        client.Action.Should().Be(CloseHandshakeAction.SendClose);
        Write(client, (h, b) => h.WriteClose(b)).Payload.Should().Equal(Payload(code));
        client.Action.Should().Be(CloseHandshakeAction.CloseTransport);
    }

    [Fact]
    public void Rfc6455_7_1_7_FailAfterOurClose_ClosesTcpAtOnce()
    {
        var server = new CloseHandshake(WebSocketRole.Server);
        Write(server, (h, b) => h.WriteClose(b, WebSocketCloseStatus.NormalClosure));

        server.Fail(WebSocketCloseStatus.MessageTooBig);

        server.Action.Should().Be(CloseHandshakeAction.CloseTransport);
        server.SentStatus.Should().Be(WebSocketCloseStatus.NormalClosure);
    }

    [Fact]
    public void Rfc6455_7_1_7_FailBeforeTheReply_SendsTheFailureCode_AndKeepsThePeersCode()
    {
        var server = new CloseHandshake(WebSocketRole.Server);
        Receive(server, Payload(1000, "done"));

        server.Fail(WebSocketCloseStatus.InternalServerError);

        Write(server, (h, b) => h.WriteClose(b)).Payload.Should().Equal(Payload(1011));
        server.Action.Should().Be(CloseHandshakeAction.CloseTransport);
        server.CloseStatus.Should().Be(WebSocketCloseStatus.NormalClosure);
        server.Initiator.Should().Be(CloseInitiator.Remote);
        server.ReportTransportClosed();
        server.WasClean.Should().BeFalse("a failed connection is not clean, though close frames went both ways (§7.1.7)");
    }

    [Fact]
    public void Fail_Twice_KeepsTheFirstStatus()
    {
        var server = new CloseHandshake(WebSocketRole.Server);
        server.Fail(WebSocketCloseStatus.MessageTooBig);

        server.Fail(WebSocketCloseStatus.ProtocolError);

        server.FailureStatus.Should().Be(WebSocketCloseStatus.MessageTooBig);
    }

    /// <summary>Codes no endpoint may send (§7.4.1, §7.4.2): local-only ones and codes outside 1000–4999.</summary>
    public static TheoryData<int> UnsendableCodes => new() { 1005, 1006, 1015, 999, 5000 };

    [Theory]
    [MemberData(nameof(UnsendableCodes))]
    public void Fail_WithAStatusThatCannotBeSent_Throws_AndChangesNothing(int code)
    {
        var server = new CloseHandshake(WebSocketRole.Server);

        Action act = () => server.Fail((WebSocketCloseStatus)code);

        act.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("status").WithMessage($"*{code}*");
        server.State.Should().Be(CloseHandshakeState.Open);
    }

    [Fact]
    public void Rfc6455_7_1_4_TransportClosedWhileOpen_Is1006_Unclean_WithNoInitiator()
    {
        var client = new CloseHandshake(WebSocketRole.Client);

        client.ReportTransportClosed();

        client.State.Should().Be(CloseHandshakeState.Closed);
        client.CloseStatus.Should().Be(WebSocketCloseStatus.AbnormalClosure);
        client.WasClean.Should().BeFalse();
        client.Initiator.Should().Be(CloseInitiator.None);
        client.CanSendData.Should().BeFalse();
        client.CanReceiveData.Should().BeFalse();
        client.Action.Should().Be(CloseHandshakeAction.None);
    }

    [Fact]
    public void Rfc6455_7_1_4_TransportClosedBeforeOurReply_KeepsThePeersCode_ButIsUnclean()
    {
        var server = new CloseHandshake(WebSocketRole.Server);
        Receive(server, Payload(3000, "x"));

        server.ReportTransportClosed();

        server.CloseStatus.Should().Be((WebSocketCloseStatus)3000);
        server.WasClean.Should().BeFalse();
        server.Action.Should().Be(CloseHandshakeAction.None);
    }

    [Fact]
    public void ReportTransportClosed_Twice_ChangesNothing()
    {
        var server = new CloseHandshake(WebSocketRole.Server);
        Receive(server, Payload(1000));
        server.WriteClose(new byte[CloseFrame.MaxLength]);
        server.ReportTransportClosed();

        server.ReportTransportClosed();

        server.WasClean.Should().BeTrue();
        server.State.Should().Be(CloseHandshakeState.Closed);
    }

    [Fact]
    public void Rfc6455_5_5_ReasonOf123MultibyteBytes_IsKeptExactly()
    {
        string reason = string.Concat(Enumerable.Repeat("é€😀", 13)) + "Ж"; // 13 × 9 + 2 = 119 bytes
        reason += "abcd";
        Encoding.UTF8.GetByteCount(reason).Should().Be(123);
        var client = new CloseHandshake(WebSocketRole.Client);

        Receive(client, Payload(1000, reason));

        client.GetCloseReason().Should().Be(reason);
    }

    [Fact]
    public void WriteClose_Truncates_WhenAsked()
    {
        var server = new CloseHandshake(WebSocketRole.Server);

        Wire.Frame frame = Write(server, (h, b) => h.WriteClose(b, WebSocketCloseStatus.NormalClosure, new string('é', 100), CloseReasonTruncation.Truncate));

        frame.Payload.Should().Equal(Payload(1000, new string('é', 61)));
    }

    [Fact]
    public void WriteClose_Utf8Reason_EchoesThePeersReasonBytes()
    {
        var server = new CloseHandshake(WebSocketRole.Server);
        Receive(server, Payload(4001, "über"));

        Wire.Frame frame = Write(server, (h, b) => h.WriteClose(b, h.CloseStatus!.Value, h.Utf8CloseReason));

        frame.Payload.Should().Equal(Payload(4001, "über"));
    }

    [Fact]
    public void WriteClose_Utf8ReasonTruncated_AndSpanReason()
    {
        byte[] long8 = Encoding.UTF8.GetBytes(new string('a', 130));
        Write(new CloseHandshake(WebSocketRole.Server), (h, b) => h.WriteClose(b, WebSocketCloseStatus.NormalClosure, long8, CloseReasonTruncation.TruncateWithEllipsis))
            .Payload.Should().Equal(Payload(1000, new string('a', 120) + "…"));
        Write(new CloseHandshake(WebSocketRole.Server), (h, b) => h.WriteClose(b, WebSocketCloseStatus.NormalClosure, "span".AsSpan()))
            .Payload.Should().Equal(Payload(1000, "span"));
        Write(new CloseHandshake(WebSocketRole.Server), (h, b) => h.WriteClose(b, WebSocketCloseStatus.NormalClosure, "abc"u8))
            .Payload.Should().Equal(Payload(1000, "abc"));
        Write(new CloseHandshake(WebSocketRole.Server), (h, b) => h.WriteClose(b, WebSocketCloseStatus.Empty, (string?)null))
            .Payload.Should().BeEmpty();
    }

    [Fact]
    public void Rfc6455_5_5_1_SecondClose_IsACallerMistake_AndChangesNothing()
    {
        var server = new CloseHandshake(WebSocketRole.Server);
        server.WriteClose(new byte[CloseFrame.MaxLength], WebSocketCloseStatus.NormalClosure);

        Action again = () => server.WriteClose(new byte[CloseFrame.MaxLength], WebSocketCloseStatus.EndpointUnavailable);
        Action due = () => server.WriteClose(new byte[CloseFrame.MaxLength]);

        Action againWithReason = () => server.WriteClose(new byte[CloseFrame.MaxLength], WebSocketCloseStatus.EndpointUnavailable, "again");
        againWithReason.Should().Throw<InvalidOperationException>().WithMessage("*sent its close frame already*");
        Action againTruncating = () => server.WriteClose(new byte[CloseFrame.MaxLength], WebSocketCloseStatus.EndpointUnavailable, "again", CloseReasonTruncation.TruncateWithEllipsis);
        againTruncating.Should().Throw<InvalidOperationException>().WithMessage("*sent its close frame already*");
        again.Should().Throw<InvalidOperationException>().WithMessage("WriteClose cannot be called now: this endpoint has sent its close frame already*§5.5.1*");
        due.Should().Throw<InvalidOperationException>().WithMessage("*sent its close frame already*");
        server.SentStatus.Should().Be(WebSocketCloseStatus.NormalClosure);
        server.Action.Should().Be(CloseHandshakeAction.AwaitClose);
    }

    [Fact]
    public void WriteClose_WithNothingDue_Throws()
    {
        var server = new CloseHandshake(WebSocketRole.Server);

        Action act = () => server.WriteClose(new byte[CloseFrame.MaxLength]);

        act.Should().Throw<InvalidOperationException>().WithMessage("WriteClose cannot be called now: no close frame is due*pass one*");
        server.State.Should().Be(CloseHandshakeState.Open);
    }

    [Fact]
    public void WriteClose_AfterTheTransportClosed_Throws()
    {
        var server = new CloseHandshake(WebSocketRole.Server);
        Receive(server, Payload(1000));
        server.ReportTransportClosed();

        Action due = () => server.WriteClose(new byte[CloseFrame.MaxLength]);
        Action chosen = () => server.WriteClose(new byte[CloseFrame.MaxLength], WebSocketCloseStatus.NormalClosure);

        due.Should().Throw<InvalidOperationException>().WithMessage("WriteClose cannot be called now: the transport is closed.");
        chosen.Should().Throw<InvalidOperationException>().WithMessage("*the transport is closed*");
        Action withReason = () => server.WriteClose(new byte[CloseFrame.MaxLength], WebSocketCloseStatus.NormalClosure, "late");
        withReason.Should().Throw<InvalidOperationException>().WithMessage("*the transport is closed*");
        server.IsCloseSent.Should().BeFalse();
    }

    [Theory]
    [InlineData(WebSocketRole.Server, 4, 5)]
    [InlineData(WebSocketRole.Client, 8, 9)]
    public void WriteClose_DestinationTooSmall_ThrowsWithTheNumbers_AndChangesNothing(WebSocketRole role, int tooSmall, int enough)
    {
        var handshake = new CloseHandshake(role);

        Action act = () => handshake.WriteClose(new byte[tooSmall], WebSocketCloseStatus.NormalClosure, "x");

        act.Should().Throw<ArgumentException>().WithParameterName("destination")
            .WithMessage($"The destination has {tooSmall} bytes, too few for this close frame; 131 bytes (CloseFrame.MaxLength) always suffice.*");
        handshake.IsCloseSent.Should().BeFalse();
        handshake.WriteClose(new byte[enough], WebSocketCloseStatus.NormalClosure, "x").Should().Be(enough);

        var utf8 = new CloseHandshake(role);
        Action bytes = () => utf8.WriteClose(new byte[tooSmall], WebSocketCloseStatus.NormalClosure, "x"u8);
        bytes.Should().Throw<ArgumentException>().WithParameterName("destination");
        utf8.IsCloseSent.Should().BeFalse();

        var truncating = new CloseHandshake(role);
        Action cut = () => truncating.WriteClose(new byte[tooSmall], WebSocketCloseStatus.NormalClosure, "x", CloseReasonTruncation.TruncateWithEllipsis);
        cut.Should().Throw<ArgumentException>().WithParameterName("destination")
            .WithMessage($"The destination has {tooSmall} bytes, too few for this close frame*");
        truncating.IsCloseSent.Should().BeFalse();
    }

    [Fact]
    public void WriteClose_UnsendableStatusOrEmptyWithReason_Throws_AndChangesNothing()
    {
        var server = new CloseHandshake(WebSocketRole.Server);

        Action local = () => server.WriteClose(new byte[CloseFrame.MaxLength], WebSocketCloseStatus.AbnormalClosure);
        Action emptyWithReason = () => server.WriteClose(new byte[CloseFrame.MaxLength], WebSocketCloseStatus.Empty, "x");

        local.Should().Throw<ArgumentOutOfRangeException>().WithMessage("1006*");
        emptyWithReason.Should().Throw<ArgumentException>().WithMessage("1005*");
        server.State.Should().Be(CloseHandshakeState.Open);
    }

    [Theory]
    [InlineData(new byte[] { 0x81, 0x00 }, 0x1)]
    [InlineData(new byte[] { 0x89, 0x00 }, 0x9)]
    [InlineData(new byte[] { 0x80, 0x00 }, 0x0)]
    public void ReceiveCloseFrame_OtherOpcode_IsACallerMistake_AndChangesNothing(byte[] frame, int opcode)
    {
        var client = new CloseHandshake(WebSocketRole.Client);

        Action span = () => client.ReceiveCloseFrame(frame, out _);
        Action sequence = () => client.ReceiveCloseFrame(Segments.Split(frame, 1), out _);

        span.Should().Throw<ArgumentException>().WithParameterName("source").WithMessage($"The frame's opcode is 0x{opcode:X}, not close (0x8)*");
        sequence.Should().Throw<ArgumentException>().WithParameterName("source").WithMessage($"The frame's opcode is 0x{opcode:X}, not close (0x8)*");
        client.State.Should().Be(CloseHandshakeState.Open);
        client.PeerCloseError.Should().Be(CloseFrameError.None);
    }

    [Fact]
    public void ReceiveCloseFrame_Incomplete_NeedsMoreData_AndChangesNothing()
    {
        byte[] frame = PeerFrame(WebSocketRole.Server, Payload(1000, "bye"));
        var server = new CloseHandshake(WebSocketRole.Server);

        for (int length = 0; length < frame.Length; length++)
        {
            server.ReceiveCloseFrame(frame.AsSpan(0, length), out int consumed).Should().Be(OperationStatus.NeedMoreData);
            server.ReceiveCloseFrame(new ReadOnlySequence<byte>(frame, 0, length), out int sequenceConsumed).Should().Be(OperationStatus.NeedMoreData);
            consumed.Should().Be(0);
            sequenceConsumed.Should().Be(0);
            server.State.Should().Be(CloseHandshakeState.Open);
        }
    }

    [Fact]
    public void ReceiveCloseFrame_Sequence_SplitAnywhere_ReadsTheSame()
    {
        byte[] frame = PeerFrame(WebSocketRole.Server, Payload(1001, "Grüße, 世界"));
        for (int at = 1; at < frame.Length; at++)
        {
            var server = new CloseHandshake(WebSocketRole.Server);

            server.ReceiveCloseFrame(Segments.Split([.. frame, 0x81], at), out int consumed).Should().Be(OperationStatus.Done);

            consumed.Should().Be(frame.Length);
            server.CloseStatus.Should().Be(WebSocketCloseStatus.EndpointUnavailable);
            server.GetCloseReason().Should().Be("Grüße, 世界");
        }
    }

    [Fact]
    public void ReceiveCloseFrame_SequenceWithEmptyFirstSegments_ReadsTheFrame_AndNamesAnotherOpcode()
    {
        // Found by the handshake fuzz target: an empty first segment once threw IndexOutOfRangeException.
        byte[] frame = PeerFrame(WebSocketRole.Server, Payload(1000));
        var server = new CloseHandshake(WebSocketRole.Server);
        var other = new CloseHandshake(WebSocketRole.Server);

        server.ReceiveCloseFrame(Segments.Of([], [], frame), out int consumed).Should().Be(OperationStatus.Done);
        Action text = () => other.ReceiveCloseFrame(Segments.Of([], [0x82, 0x80]), out _);

        consumed.Should().Be(frame.Length);
        server.CloseStatus.Should().Be(WebSocketCloseStatus.NormalClosure);
        text.Should().Throw<ArgumentException>().WithMessage("The frame's opcode is 0x2, not close (0x8)*");
        other.State.Should().Be(CloseHandshakeState.Open);
    }

    [Fact]
    public void ReceiveCloseFrame_SequenceMalformed_Fails()
    {
        var client = new CloseHandshake(WebSocketRole.Client);

        client.ReceiveCloseFrame(Segments.Split([0x88, 0x03, 0x03, 0xE8, 0x80], 2), out int consumed).Should().Be(OperationStatus.InvalidData);

        consumed.Should().Be(0);
        client.FailureStatus.Should().Be(WebSocketCloseStatus.InvalidPayloadData);
    }

    [Theory]
    [InlineData(new byte[] { 0x03, 0xE8 })]
    [InlineData(new byte[] { 0x03, 0xE8, 0x61 })]
    [InlineData(new byte[] { 0x03 })]
    public void Rfc6455_5_5_ReceiveClose_PayloadOver125Bytes_FailsWith1002(byte[] prefix)
    {
        var server = new CloseHandshake(WebSocketRole.Server);
        byte[] payload = [.. prefix, .. new byte[126 - prefix.Length]];

        server.ReceiveClose(payload).Should().Be(OperationStatus.InvalidData);

        server.PeerCloseError.Should().Be(CloseFrameError.TooLong);
        server.FailureStatus.Should().Be(WebSocketCloseStatus.ProtocolError);
    }

    [Fact]
    public void ReportTimeout_BeforeOurClose_Throws_AndChangesNothing()
    {
        var open = new CloseHandshake(WebSocketRole.Client);
        var replyDue = new CloseHandshake(WebSocketRole.Client);
        Receive(replyDue, Payload(1000));

        Action early = () => open.ReportTimeout();
        Action due = () => replyDue.ReportTimeout();

        early.Should().Throw<InvalidOperationException>().WithMessage(
            "ReportTimeout cannot be called now: this endpoint has not sent its close frame, and a timeout is only awaited after it (the action is None).");
        due.Should().Throw<InvalidOperationException>().WithMessage("*(the action is SendClose).");
        open.Action.Should().Be(CloseHandshakeAction.None);
        replyDue.Action.Should().Be(CloseHandshakeAction.SendClose);
    }

    [Fact]
    public void Reset_ReturnsToOpen()
    {
        var client = new CloseHandshake(WebSocketRole.Client);
        client.ReceiveClose([0x03]);
        client.WriteClose(new byte[CloseFrame.MaxLength]);
        client.ReportTransportClosed();

        client.Reset();

        client.Role.Should().Be(WebSocketRole.Client);
        client.State.Should().Be(CloseHandshakeState.Open);
        client.Action.Should().Be(CloseHandshakeAction.None);
        client.CloseStatus.Should().BeNull();
        client.SentStatus.Should().BeNull();
        client.FailureStatus.Should().BeNull();
        client.PeerCloseError.Should().Be(CloseFrameError.None);
        client.Initiator.Should().Be(CloseInitiator.None);
        client.CanSendData.Should().BeTrue();
        client.CanReceiveData.Should().BeTrue();

        Receive(client, Payload(1000, "again"));
        client.GetCloseReason().Should().Be("again");
    }

    [Fact]
    public void Reset_ClearsTheReasonAndTheTimeout()
    {
        var client = new CloseHandshake(WebSocketRole.Client);
        client.WriteClose(new byte[CloseFrame.MaxLength], WebSocketCloseStatus.NormalClosure);
        Receive(client, Payload(1000, "first"));
        client.ReportTimeout();

        client.Reset();
        client.WriteClose(new byte[CloseFrame.MaxLength], WebSocketCloseStatus.NormalClosure);

        client.Utf8CloseReason.IsEmpty.Should().BeTrue();
        client.GetCloseReason().Should().BeEmpty("the reason of the earlier connection is gone");
        client.CloseStatus.Should().BeNull();
        client.Action.Should().Be(CloseHandshakeAction.AwaitClose, "the timeout of the earlier connection is gone");
        client.IsCloseReceived.Should().BeFalse();
    }

    [Theory]
    [InlineData(WebSocketRole.Server)]
    [InlineData(WebSocketRole.Client)]
    public void FullHandshake_AllocatesNothing(WebSocketRole role)
    {
        var handshake = new CloseHandshake(role);
        byte[] frame = PeerFrame(role, Payload(1001, "Grüße, 世界 😀"));
        byte[] reply = new byte[CloseFrame.MaxLength];

        long bytes = Allocations.Measure(() =>
        {
            handshake.Reset();
            handshake.ReceiveCloseFrame(frame, out _);
            handshake.WriteClose(reply);
            handshake.ReportTransportClosed();
            _ = handshake.CloseStatus;
            _ = handshake.WasClean;
            _ = handshake.Utf8CloseReason;
        });

        bytes.Should().Be(0);
    }
}
