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

    /// <summary>Decodes what a write put in <paramref name="buffer"/>, after checking that the action it returned is the handshake's.</summary>
    private static Wire.Frame Written(CloseHandshake handshake, CloseHandshakeAction returned, byte[] buffer, int length)
    {
        returned.Should().Be(handshake.Action, "a write returns the action that is now due");
        return Wire.Decode(buffer.AsSpan(0, length));
    }

    /// <summary>Writes the close that is due.</summary>
    private static (Wire.Frame Frame, CloseHandshakeAction Action) WriteDue(CloseHandshake handshake)
    {
        byte[] buffer = new byte[CloseFrame.MaxLength];
        CloseHandshakeAction action = handshake.WriteClose(buffer, out int length);
        return (Written(handshake, action, buffer, length), action);
    }

    /// <summary>Writes this endpoint's own close, with a status of its choice.</summary>
    private static (Wire.Frame Frame, CloseHandshakeAction Action) WriteOwn(CloseHandshake handshake, WebSocketCloseStatus status, string? reason = null, CloseReasonTruncation truncation = CloseReasonTruncation.None)
    {
        byte[] buffer = new byte[CloseFrame.MaxLength];
        CloseHandshakeAction action = handshake.WriteClose(buffer, status, reason, out int length, truncation);
        return (Written(handshake, action, buffer, length), action);
    }

    /// <summary>Hands the peer's well-formed close frame over whole; returns the action it returned.</summary>
    private static CloseHandshakeAction Receive(CloseHandshake handshake, byte[] payload)
    {
        byte[] frame = PeerFrame(handshake.Role, payload);
        CloseHandshakeAction action = handshake.ReceiveCloseFrame(frame, out int consumed);
        consumed.Should().Be(frame.Length);
        handshake.IsCloseReceived.Should().BeTrue();
        action.Should().Be(handshake.Action, "an event returns the action that is now due");
        return action;
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
        handshake.Utf8CloseStatusDescription.IsEmpty.Should().BeTrue();
        handshake.CloseStatusDescription.Should().BeEmpty();
        handshake.WasClean.Should().BeFalse();
        handshake.Initiator.Should().Be(CloseInitiator.None);
        handshake.SentStatus.Should().BeNull();
        handshake.FailureStatus.Should().BeNull();
        handshake.PeerCloseError.Should().Be(CloseFrameError.None);
    }

    [Fact]
    public void Constructor_UndefinedRole_Throws()
    {
        Action act = () => _ = new CloseHandshake((WebSocketRole)7);

        act.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("role").WithMessage("7 is not a WebSocketRole; pass WebSocketRole.Client (1) or WebSocketRole.Server (2).*");
    }

    [Fact]
    public void Rfc6455_7_1_2_ServerStartsTheHandshake_WithAnUnmaskedFrame_AndSendsNoMoreData()
    {
        var server = new CloseHandshake(WebSocketRole.Server);

        (Wire.Frame frame, CloseHandshakeAction action) = WriteOwn(server, WebSocketCloseStatus.NormalClosure, "bye");

        frame.Should().BeEquivalentTo(new Wire.Frame(0x88, false, null, Payload(1000, "bye")));
        action.Should().Be(CloseHandshakeAction.AwaitClose);
        server.State.Should().Be(CloseHandshakeState.Closing);
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
            .Select(_ => WriteOwn(new CloseHandshake(WebSocketRole.Client), WebSocketCloseStatus.EndpointUnavailable, "Grüße").Frame)
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

        Receive(handshake, Payload(code, reason)).Should().Be(CloseHandshakeAction.SendClose);

        handshake.IsCloseReceived.Should().BeTrue();
        handshake.CloseStatus.Should().Be((WebSocketCloseStatus)code);
        handshake.CloseStatusDescription.Should().Be(reason);
        handshake.Utf8CloseStatusDescription.ToArray().Should().Equal(Encoding.UTF8.GetBytes(reason));
        handshake.Initiator.Should().Be(CloseInitiator.Remote);
        handshake.CanReceiveData.Should().BeFalse();
        handshake.CanSendData.Should().BeTrue("§5.5.1: an endpoint may finish sending its current message before its close");

        (Wire.Frame reply, CloseHandshakeAction next) = WriteDue(handshake);

        reply.Payload.Should().Equal(Payload(code), "the echo carries the status and no reason");
        reply.Masked.Should().Be(role == WebSocketRole.Client);
        next.Should().Be(role == WebSocketRole.Server ? CloseHandshakeAction.CloseTransport : CloseHandshakeAction.AwaitTransportClose, "§7.1.1");
        handshake.SentStatus.Should().Be((WebSocketCloseStatus)code);
    }

    [Theory]
    [InlineData(WebSocketRole.Server)]
    [InlineData(WebSocketRole.Client)]
    public void Rfc6455_5_5_1_ReceivedPayload_AlreadyUnmasked_IsReadLikeAFrame(WebSocketRole role)
    {
        var handshake = new CloseHandshake(role);

        handshake.ReceiveClose(Payload(1013, "Попробуйте позже")).Should().Be(CloseHandshakeAction.SendClose);

        handshake.IsCloseReceived.Should().BeTrue();
        handshake.CloseStatus.Should().Be(WebSocketCloseStatus.TryAgainLater);
        handshake.CloseStatusDescription.Should().Be("Попробуйте позже");
        handshake.Initiator.Should().Be(CloseInitiator.Remote);
        handshake.PeerCloseError.Should().Be(CloseFrameError.None);
        handshake.FailureStatus.Should().BeNull();
    }

    [Fact]
    public void Rfc6455_7_1_5_CloseWithoutStatus_Is1005_AndIsAnsweredWithAnEmptyPayload()
    {
        var server = new CloseHandshake(WebSocketRole.Server);

        Receive(server, []);

        server.CloseStatus.Should().Be(WebSocketCloseStatus.Empty);
        WriteDue(server).Frame.Payload.Should().BeEmpty();
        server.SentStatus.Should().Be(WebSocketCloseStatus.Empty);
    }

    [Fact]
    public void Rfc6455_7_1_1_Server_ClosesTcpAtOnce_AfterTheHandshake()
    {
        var server = new CloseHandshake(WebSocketRole.Server);
        Receive(server, Payload(1000));

        WriteDue(server).Action.Should().Be(CloseHandshakeAction.CloseTransport);
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
        WriteOwn(client, WebSocketCloseStatus.NormalClosure).Action.Should().Be(CloseHandshakeAction.AwaitClose);

        Receive(client, Payload(1000)).Should().Be(CloseHandshakeAction.AwaitTransportClose);

        client.ReportTransportClosed();
        client.WasClean.Should().BeTrue();
        client.Initiator.Should().Be(CloseInitiator.Local);
    }

    [Fact]
    public void Rfc6455_7_1_1_Server_ClosesTcpAtOnce_WhenThePeersCloseAnswersOurs()
    {
        var server = new CloseHandshake(WebSocketRole.Server);
        WriteOwn(server, WebSocketCloseStatus.EndpointUnavailable);

        Receive(server, Payload(1001)).Should().Be(CloseHandshakeAction.CloseTransport);
    }

    [Fact]
    public void Rfc6455_7_1_1_Client_ClosesTcpItself_WhenTheServerDoesNotWithinItsTimeout()
    {
        var client = new CloseHandshake(WebSocketRole.Client);
        Receive(client, Payload(1001, "bye"));
        WriteDue(client).Action.Should().Be(CloseHandshakeAction.AwaitTransportClose);

        client.ReportTimeout().Should().Be(CloseHandshakeAction.CloseTransport);

        client.ReportTransportClosed();
        client.WasClean.Should().BeTrue("the handshake completed before TCP closed (§7.1.4)");
        client.CloseStatus.Should().Be(WebSocketCloseStatus.EndpointUnavailable);
    }

    [Fact]
    public void Rfc6455_7_1_4_PeerThatNeverAnswersOurClose_TimesOut_As1006()
    {
        var server = new CloseHandshake(WebSocketRole.Server);
        WriteOwn(server, WebSocketCloseStatus.TryAgainLater);

        server.ReportTimeout().Should().Be(CloseHandshakeAction.CloseTransport);
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

        (Wire.Frame reply, CloseHandshakeAction action) = WriteOwn(server, WebSocketCloseStatus.EndpointUnavailable, "shutting down");

        reply.Payload.Should().Equal(Payload(1001, "shutting down"));
        action.Should().Be(CloseHandshakeAction.CloseTransport);
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
        client.WriteClose(fromClient, WebSocketCloseStatus.EndpointUnavailable, "client", out int clientLength);
        server.WriteClose(fromServer, WebSocketCloseStatus.ServiceRestart, "server", out int serverLength);

        server.ReceiveCloseFrame(fromClient.AsSpan(0, clientLength), out _).Should().Be(CloseHandshakeAction.CloseTransport);
        client.ReceiveCloseFrame(fromServer.AsSpan(0, serverLength), out _).Should().Be(CloseHandshakeAction.AwaitTransportClose);
        server.ReportTransportClosed();
        client.ReportTransportClosed();

        server.CloseStatus.Should().Be(WebSocketCloseStatus.EndpointUnavailable);
        server.CloseStatusDescription.Should().Be("client");
        client.CloseStatus.Should().Be(WebSocketCloseStatus.ServiceRestart);
        client.CloseStatusDescription.Should().Be("server");
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

            handshake.ReceiveClose(payload).Should().Be(CloseHandshakeAction.SendClose);

            handshake.PeerCloseError.Should().Be(error);
            handshake.FailureStatus.Should().Be((WebSocketCloseStatus)code);
            handshake.IsCloseReceived.Should().BeFalse();
            handshake.CanReceiveData.Should().BeFalse();
            handshake.CanSendData.Should().BeFalse();

            (Wire.Frame frame, CloseHandshakeAction action) = WriteDue(handshake);
            frame.Payload.Should().Equal(Payload(code));
            action.Should().Be(CloseHandshakeAction.CloseTransport, "a failed connection closes TCP without waiting, in either role");
            handshake.ReportTransportClosed();

            handshake.CloseStatus.Should().Be(WebSocketCloseStatus.AbnormalClosure, "a malformed close counts as none received");
            handshake.Utf8CloseStatusDescription.IsEmpty.Should().BeTrue();
            handshake.CloseStatusDescription.Should().BeEmpty();
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
    public void Rfc6455_7_1_7_MalformedCloseFrame_FailsWith1002_AndIsConsumedWhole(byte[] frame, CloseFrameError error)
    {
        var client = new CloseHandshake(WebSocketRole.Client);

        client.ReceiveCloseFrame([.. frame, 0x81, 0x00], out int consumed).Should().Be(CloseHandshakeAction.SendClose);

        consumed.Should().Be(frame.Length + 2, "nothing more is read from a failed connection, so the bytes are discarded, and 0 would mean 'read more'");
        client.PeerCloseError.Should().Be(error);
        client.FailureStatus.Should().Be(WebSocketCloseStatus.ProtocolError);
    }

    [Fact]
    public void Rfc6455_5_1_UnmaskedFrameFromAClient_FailsTheServerWith1002()
    {
        var server = new CloseHandshake(WebSocketRole.Server);

        server.ReceiveCloseFrame(Frames.Unmasked(Payload(1000)), out _).Should().Be(CloseHandshakeAction.SendClose);

        server.PeerCloseError.Should().Be(CloseFrameError.MaskMissing);
        server.FailureStatus.Should().Be(WebSocketCloseStatus.ProtocolError);
    }

    [Fact]
    public void Rfc6455_7_1_7_MalformedClose_AfterOurClose_ClosesTcpWithoutASecondClose()
    {
        var client = new CloseHandshake(WebSocketRole.Client);
        WriteOwn(client, WebSocketCloseStatus.NormalClosure);

        client.ReceiveClose([0x03, 0xE8, 0xFF]).Should().Be(CloseHandshakeAction.CloseTransport);

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

        client.Fail((WebSocketCloseStatus)code).Should().Be(CloseHandshakeAction.SendClose);

        client.FailureStatus.Should().Be((WebSocketCloseStatus)code);
        client.PeerCloseError.Should().Be(CloseFrameError.None);
        client.State.Should().Be(CloseHandshakeState.Closing);
        client.CanSendData.Should().BeFalse();
        client.CanReceiveData.Should().BeFalse();
        client.Initiator.Should().Be(CloseInitiator.Local);
        (Wire.Frame frame, CloseHandshakeAction action) = WriteDue(client);
        frame.Payload.Should().Equal(Payload(code));
        action.Should().Be(CloseHandshakeAction.CloseTransport);
    }

    [Fact]
    public void Rfc6455_7_1_7_FailAfterOurClose_ClosesTcpAtOnce()
    {
        var server = new CloseHandshake(WebSocketRole.Server);
        WriteOwn(server, WebSocketCloseStatus.NormalClosure);

        server.Fail(WebSocketCloseStatus.MessageTooBig, "too big").Should().Be(CloseHandshakeAction.CloseTransport);

        server.SentStatus.Should().Be(WebSocketCloseStatus.NormalClosure);
        server.FailureStatus.Should().Be(WebSocketCloseStatus.MessageTooBig);
    }

    [Fact]
    public void Rfc6455_7_1_7_FailBeforeTheReply_SendsTheFailureCode_AndKeepsThePeersCode()
    {
        var server = new CloseHandshake(WebSocketRole.Server);
        Receive(server, Payload(1000, "done"));

        server.Fail(WebSocketCloseStatus.InternalServerError).Should().Be(CloseHandshakeAction.SendClose);

        (Wire.Frame frame, CloseHandshakeAction action) = WriteDue(server);
        frame.Payload.Should().Equal(Payload(1011));
        action.Should().Be(CloseHandshakeAction.CloseTransport);
        server.CloseStatus.Should().Be(WebSocketCloseStatus.NormalClosure);
        server.Initiator.Should().Be(CloseInitiator.Remote);
        server.ReportTransportClosed();
        server.WasClean.Should().BeFalse("a failed connection is not clean, though close frames went both ways (§7.1.7)");
    }

    [Theory]
    [InlineData(WebSocketRole.Server, "open")]
    [InlineData(WebSocketRole.Client, "open")]
    [InlineData(WebSocketRole.Server, "close received")]
    [InlineData(WebSocketRole.Client, "close received")]
    public void Rfc6455_7_1_7_FailWithAReason_TheDueCloseCarriesIt(WebSocketRole role, string state)
    {
        CloseHandshake handshake = InState(state, role);

        handshake.Fail(WebSocketCloseStatus.PolicyViolation, "Überschreitung").Should().Be(CloseHandshakeAction.SendClose);
        (Wire.Frame frame, CloseHandshakeAction action) = WriteDue(handshake);

        frame.Payload.Should().Equal(Payload(1008, "Überschreitung"));
        frame.Masked.Should().Be(role == WebSocketRole.Client);
        action.Should().Be(CloseHandshakeAction.CloseTransport);
        handshake.SentStatus.Should().Be(WebSocketCloseStatus.PolicyViolation);
    }

    [Fact]
    public void Fail_WithAReasonOf123Bytes_SendsItWhole()
    {
        string reason = new string('é', 61) + "x"; // 123 bytes
        var server = new CloseHandshake(WebSocketRole.Server);

        server.Fail(WebSocketCloseStatus.InternalServerError, reason);

        WriteDue(server).Frame.Payload.Should().Equal(Payload(1011, reason));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void Fail_WithNoReason_SendsTheStatusAlone(string? reason)
    {
        var client = new CloseHandshake(WebSocketRole.Client);

        client.Fail(WebSocketCloseStatus.MessageTooBig, reason);

        WriteDue(client).Frame.Payload.Should().Equal(Payload(1009));
    }

    [Fact]
    public void Fail_WithALiteralNullReason_Compiles()
    {
        var server = new CloseHandshake(WebSocketRole.Server);

        server.Fail(WebSocketCloseStatus.ProtocolError, null).Should().Be(CloseHandshakeAction.SendClose);
    }

    [Fact]
    public void Fail_Twice_KeepsTheFirstStatusAndReason()
    {
        var server = new CloseHandshake(WebSocketRole.Server);
        server.Fail(WebSocketCloseStatus.MessageTooBig, "first");

        server.Fail(WebSocketCloseStatus.ProtocolError, "second").Should().Be(CloseHandshakeAction.SendClose);

        server.FailureStatus.Should().Be(WebSocketCloseStatus.MessageTooBig);
        WriteDue(server).Frame.Payload.Should().Equal(Payload(1009, "first"));
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

    [Theory]
    [InlineData("open")]
    [InlineData("transport closed while open")]
    [InlineData("failed by the stack")]
    public void Fail_WithAReasonThatCannotBeSent_ThrowsWithTheNumbers_InEveryState_AndChangesNothing(string state)
    {
        CloseHandshake handshake = InState(state, WebSocketRole.Server);
        string before = Snapshot(handshake);

        Action tooLong = () => handshake.Fail(WebSocketCloseStatus.PolicyViolation, new string('é', 62)); // 124 bytes
        Action loneSurrogate = () => handshake.Fail(WebSocketCloseStatus.PolicyViolation, "ab\uD800c");

        tooLong.Should().Throw<ArgumentException>().WithParameterName("reason").WithMessage("The reason is 124 bytes in UTF-8; a close frame holds at most 123*");
        loneSurrogate.Should().Throw<ArgumentException>().WithParameterName("reason").WithMessage("The reason has a lone surrogate U+D800 at index 2*");
        Snapshot(handshake).Should().Be(before, "a call that throws changes nothing");
    }

    [Fact]
    public void Reset_DropsTheFailuresReason()
    {
        var server = new CloseHandshake(WebSocketRole.Server);
        server.Fail(WebSocketCloseStatus.PolicyViolation, "the earlier connection's");

        server.Reset();
        server.Fail(WebSocketCloseStatus.PolicyViolation);

        WriteDue(server).Frame.Payload.Should().Equal(Payload(1008));
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
        server.CloseStatusDescription.Should().Be("x");
        server.WasClean.Should().BeFalse();
        server.Action.Should().Be(CloseHandshakeAction.None);
    }

    [Fact]
    public void ReportTransportClosed_Twice_ChangesNothing()
    {
        var server = new CloseHandshake(WebSocketRole.Server);
        Receive(server, Payload(1000));
        WriteDue(server);
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

        client.CloseStatusDescription.Should().Be(reason);
    }

    [Fact]
    public void CloseStatusDescription_IsDecodedOnce_AndTheSameStringUntilReset()
    {
        var server = new CloseHandshake(WebSocketRole.Server);
        server.CloseStatusDescription.Should().BeEmpty("no close has arrived");
        Receive(server, Payload(1001, "maintenance"));

        string first = server.CloseStatusDescription;
        long allocated = Allocations.Measure(() => _ = server.CloseStatusDescription);
        WriteDue(server);
        server.ReportTransportClosed();

        first.Should().Be("maintenance", "a description read before the close does not stay");
        server.CloseStatusDescription.Should().BeSameAs(first);
        allocated.Should().Be(0, "later reads return the cached string");

        server.Reset();
        server.CloseStatusDescription.Should().BeEmpty("the earlier connection's reason is gone");
        Receive(server, Payload(1001, "maintenance"));
        server.CloseStatusDescription.Should().Be("maintenance").And.NotBeSameAs(first, "a new connection decodes its own");
    }

    [Theory]
    [InlineData(1000, "")]
    [InlineData(1005, null)]
    public void CloseStatusDescription_WithoutAReason_IsEmpty_AndAllocatesNothing(int code, string? reason)
    {
        var client = new CloseHandshake(WebSocketRole.Client);
        Receive(client, reason is null ? [] : Payload(code, reason));

        long allocated = Allocations.Measure(() => _ = client.CloseStatusDescription);

        client.CloseStatusDescription.Should().BeSameAs(string.Empty);
        allocated.Should().Be(0);
        client.CloseStatus.Should().Be((WebSocketCloseStatus)code);
    }

    [Theory]
    [InlineData(WebSocketRole.Server, CloseReasonTruncation.Truncate, 61, "")]
    [InlineData(WebSocketRole.Client, CloseReasonTruncation.TruncateWithEllipsis, 60, "…")]
    public void WriteClose_Truncates_WhenAsked_InEveryReasonForm(WebSocketRole role, CloseReasonTruncation truncation, int kept, string ellipsis)
    {
        string reason = new string('é', 100);
        byte[] expected = Payload(1000, new string('é', kept) + ellipsis);
        byte[] buffer = new byte[CloseFrame.MaxLength];

        var fromString = new CloseHandshake(role);
        CloseHandshakeAction action = fromString.WriteClose(buffer, WebSocketCloseStatus.NormalClosure, reason, out int length, truncation);
        Written(fromString, action, buffer, length).Payload.Should().Equal(expected);

        var fromChars = new CloseHandshake(role);
        action = fromChars.WriteClose(buffer, WebSocketCloseStatus.NormalClosure, reason.AsSpan(), out length, truncation);
        Written(fromChars, action, buffer, length).Payload.Should().Equal(expected);

        var fromUtf8 = new CloseHandshake(role);
        action = fromUtf8.WriteCloseUtf8(buffer, WebSocketCloseStatus.NormalClosure, Encoding.UTF8.GetBytes(reason), out length, truncation);
        Written(fromUtf8, action, buffer, length).Payload.Should().Equal(expected);
        action.Should().Be(CloseHandshakeAction.AwaitClose);
    }

    [Fact]
    public void WriteClose_ReasonTooLong_WithoutTruncation_ThrowsWithTheNumbers_AndChangesNothing()
    {
        var server = new CloseHandshake(WebSocketRole.Server);
        byte[] buffer = new byte[CloseFrame.MaxLength];

        Action chars = () => server.WriteClose(buffer, WebSocketCloseStatus.NormalClosure, new string('a', 124), out _);
        Action utf8 = () => server.WriteCloseUtf8(buffer, WebSocketCloseStatus.NormalClosure, new byte[130], out _);

        chars.Should().Throw<ArgumentException>().WithParameterName("reason").WithMessage("The reason is 124 bytes in UTF-8*");
        utf8.Should().Throw<ArgumentException>().WithMessage("The reason is 130 bytes*");
        server.IsCloseSent.Should().BeFalse();
    }

    [Fact]
    public void WriteCloseUtf8_EchoesThePeersReasonBytes()
    {
        var server = new CloseHandshake(WebSocketRole.Server);
        Receive(server, Payload(4001, "über"));
        byte[] buffer = new byte[CloseFrame.MaxLength];

        CloseHandshakeAction action = server.WriteCloseUtf8(buffer, server.CloseStatus!.Value, server.Utf8CloseStatusDescription, out int length);

        Written(server, action, buffer, length).Payload.Should().Equal(Payload(4001, "über"));
        action.Should().Be(CloseHandshakeAction.CloseTransport);
    }

    [Fact]
    public void WriteClose_LiteralNullReason_BindsToTheStringOverload_AndIsNoReason()
    {
        byte[] buffer = new byte[CloseFrame.MaxLength];
        var server = new CloseHandshake(WebSocketRole.Server);
        var client = new CloseHandshake(WebSocketRole.Client);

        server.WriteClose(buffer, WebSocketCloseStatus.Empty, null, out int emptyLength);
        Wire.Decode(buffer.AsSpan(0, emptyLength)).Payload.Should().BeEmpty();
        client.WriteClose(buffer, WebSocketCloseStatus.NormalClosure, null, out int length, CloseReasonTruncation.Truncate);
        Wire.Decode(buffer.AsSpan(0, length)).Payload.Should().Equal(Payload(1000));
    }

    [Fact]
    public void Rfc6455_5_5_1_SecondClose_IsACallerMistake_AndChangesNothing()
    {
        var server = new CloseHandshake(WebSocketRole.Server);
        byte[] buffer = new byte[CloseFrame.MaxLength];
        server.WriteClose(buffer, WebSocketCloseStatus.NormalClosure, null, out _);

        Action again = () => server.WriteClose(buffer, WebSocketCloseStatus.EndpointUnavailable, "again", out _);
        Action againChars = () => server.WriteClose(buffer, WebSocketCloseStatus.EndpointUnavailable, "again".AsSpan(), out _, CloseReasonTruncation.TruncateWithEllipsis);
        Action againUtf8 = () => server.WriteCloseUtf8(buffer, WebSocketCloseStatus.EndpointUnavailable, "again"u8, out _);
        Action due = () => server.WriteClose(buffer, out _);

        again.Should().Throw<InvalidOperationException>().WithMessage("WriteClose cannot be called now: this endpoint has sent its close frame already*§5.5.1*");
        againChars.Should().Throw<InvalidOperationException>().WithMessage("*sent its close frame already*");
        againUtf8.Should().Throw<InvalidOperationException>().WithMessage("WriteCloseUtf8 cannot be called now: this endpoint has sent its close frame already*");
        due.Should().Throw<InvalidOperationException>().WithMessage("*sent its close frame already*");
        server.SentStatus.Should().Be(WebSocketCloseStatus.NormalClosure);
        server.Action.Should().Be(CloseHandshakeAction.AwaitClose);
    }

    [Fact]
    public void WriteClose_WithNothingDue_Throws()
    {
        var server = new CloseHandshake(WebSocketRole.Server);

        Action act = () => server.WriteClose(new byte[CloseFrame.MaxLength], out _);

        act.Should().Throw<InvalidOperationException>().WithMessage("WriteClose cannot be called now: no close frame is due*pass one*");
        server.State.Should().Be(CloseHandshakeState.Open);
    }

    [Fact]
    public void WriteClose_AfterTheTransportClosed_Throws()
    {
        var server = new CloseHandshake(WebSocketRole.Server);
        Receive(server, Payload(1000));
        server.ReportTransportClosed();
        byte[] buffer = new byte[CloseFrame.MaxLength];

        Action due = () => server.WriteClose(buffer, out _);
        Action chosen = () => server.WriteClose(buffer, WebSocketCloseStatus.NormalClosure, "late", out _);
        Action utf8 = () => server.WriteCloseUtf8(buffer, WebSocketCloseStatus.NormalClosure, "late"u8, out _);

        due.Should().Throw<InvalidOperationException>().WithMessage("WriteClose cannot be called now: the transport is closed.");
        chosen.Should().Throw<InvalidOperationException>().WithMessage("*the transport is closed*");
        utf8.Should().Throw<InvalidOperationException>().WithMessage("WriteCloseUtf8 cannot be called now: the transport is closed.");
        server.IsCloseSent.Should().BeFalse();
    }

    [Theory]
    [InlineData(WebSocketRole.Server, 4, 5)]
    [InlineData(WebSocketRole.Client, 8, 9)]
    public void WriteClose_DestinationTooSmall_ThrowsWithTheNumbers_AndChangesNothing(WebSocketRole role, int tooSmall, int enough)
    {
        var handshake = new CloseHandshake(role);

        Action act = () => handshake.WriteClose(new byte[tooSmall], WebSocketCloseStatus.NormalClosure, "x", out _);

        act.Should().Throw<ArgumentException>().WithParameterName("destination")
            .WithMessage($"The destination has {tooSmall} bytes, too few for this close frame; 131 bytes (CloseFrame.MaxLength) always suffice.*");
        handshake.IsCloseSent.Should().BeFalse();
        handshake.WriteClose(new byte[enough], WebSocketCloseStatus.NormalClosure, "x", out int written).Should().Be(CloseHandshakeAction.AwaitClose);
        written.Should().Be(enough);

        var utf8 = new CloseHandshake(role);
        Action bytes = () => utf8.WriteCloseUtf8(new byte[tooSmall], WebSocketCloseStatus.NormalClosure, "x"u8, out _);
        bytes.Should().Throw<ArgumentException>().WithParameterName("destination");
        utf8.IsCloseSent.Should().BeFalse();

        var truncating = new CloseHandshake(role);
        Action cut = () => truncating.WriteClose(new byte[tooSmall], WebSocketCloseStatus.NormalClosure, "x", out _, CloseReasonTruncation.TruncateWithEllipsis);
        cut.Should().Throw<ArgumentException>().WithParameterName("destination")
            .WithMessage($"The destination has {tooSmall} bytes, too few for this close frame*");
        truncating.IsCloseSent.Should().BeFalse();

        var due = new CloseHandshake(role);
        due.Fail(WebSocketCloseStatus.ProtocolError, "x");
        Action dueTooSmall = () => due.WriteClose(new byte[tooSmall], out _);
        dueTooSmall.Should().Throw<ArgumentException>().WithParameterName("destination");
        due.Action.Should().Be(CloseHandshakeAction.SendClose);
    }

    [Fact]
    public void WriteClose_UnsendableStatusOrEmptyWithReason_Throws_AndChangesNothing()
    {
        var server = new CloseHandshake(WebSocketRole.Server);
        byte[] buffer = new byte[CloseFrame.MaxLength];

        Action local = () => server.WriteClose(buffer, WebSocketCloseStatus.AbnormalClosure, null, out _);
        Action emptyWithReason = () => server.WriteClose(buffer, WebSocketCloseStatus.Empty, "x", out _);
        Action undefinedTruncation = () => server.WriteClose(buffer, WebSocketCloseStatus.NormalClosure, "x", out _, (CloseReasonTruncation)3);

        local.Should().Throw<ArgumentOutOfRangeException>().WithMessage("1006*");
        emptyWithReason.Should().Throw<ArgumentException>().WithMessage("1005*");
        undefinedTruncation.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("truncation");
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

    [Theory]
    [InlineData(WebSocketRole.Server, false)]
    [InlineData(WebSocketRole.Client, false)]
    [InlineData(WebSocketRole.Server, true)]
    [InlineData(WebSocketRole.Client, true)]
    public void ReceiveCloseFrame_Incomplete_ConsumesNothing_ReturnsTheCurrentAction_AndChangesNothing(WebSocketRole role, bool closeSent)
    {
        byte[] frame = PeerFrame(role, Payload(1000, "bye"));
        CloseHandshake handshake = InState(closeSent ? "close sent" : "open", role);
        CloseHandshakeAction current = handshake.Action;
        string before = Snapshot(handshake);

        for (int length = 0; length < frame.Length; length++)
        {
            handshake.ReceiveCloseFrame(frame.AsSpan(0, length), out int consumed).Should().Be(current);
            handshake.ReceiveCloseFrame(new ReadOnlySequence<byte>(frame, 0, length), out int sequenceConsumed).Should().Be(current);
            consumed.Should().Be(0, "0 bytes consumed tells the stack to read more and call again");
            sequenceConsumed.Should().Be(0);
            Snapshot(handshake).Should().Be(before);
        }

        handshake.ReceiveCloseFrame(frame, out int whole).Should().NotBe(current, "the whole frame moves the handshake on");
        whole.Should().Be(frame.Length);
    }

    [Fact]
    public void ReceiveCloseFrame_Sequence_SplitAnywhere_ReadsTheSame()
    {
        byte[] frame = PeerFrame(WebSocketRole.Server, Payload(1001, "Grüße, 世界"));
        for (int at = 1; at < frame.Length; at++)
        {
            var server = new CloseHandshake(WebSocketRole.Server);

            server.ReceiveCloseFrame(Segments.Split([.. frame, 0x81], at), out int consumed).Should().Be(CloseHandshakeAction.SendClose);

            consumed.Should().Be(frame.Length);
            server.CloseStatus.Should().Be(WebSocketCloseStatus.EndpointUnavailable);
            server.CloseStatusDescription.Should().Be("Grüße, 世界");
        }
    }

    [Fact]
    public void ReceiveCloseFrame_SequenceWithEmptyFirstSegments_ReadsTheFrame_AndNamesAnotherOpcode()
    {
        // Found by the handshake fuzz target: an empty first segment once threw IndexOutOfRangeException.
        byte[] frame = PeerFrame(WebSocketRole.Server, Payload(1000));
        var server = new CloseHandshake(WebSocketRole.Server);
        var other = new CloseHandshake(WebSocketRole.Server);

        server.ReceiveCloseFrame(Segments.Of([], [], frame), out int consumed).Should().Be(CloseHandshakeAction.SendClose);
        Action text = () => other.ReceiveCloseFrame(Segments.Of([], [0x82, 0x80]), out _);

        consumed.Should().Be(frame.Length);
        server.CloseStatus.Should().Be(WebSocketCloseStatus.NormalClosure);
        text.Should().Throw<ArgumentException>().WithMessage("The frame's opcode is 0x2, not close (0x8)*");
        other.State.Should().Be(CloseHandshakeState.Open);
    }

    [Fact]
    public void ReceiveCloseFrame_SequenceMalformed_Fails_AndIsConsumedWhole()
    {
        var client = new CloseHandshake(WebSocketRole.Client);

        client.ReceiveCloseFrame(Segments.Split([0x88, 0x03, 0x03, 0xE8, 0x80], 2), out int consumed).Should().Be(CloseHandshakeAction.SendClose);

        consumed.Should().Be(5);
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

        server.ReceiveClose(payload).Should().Be(CloseHandshakeAction.SendClose);

        server.PeerCloseError.Should().Be(CloseFrameError.TooLong);
        server.FailureStatus.Should().Be(WebSocketCloseStatus.ProtocolError);
    }

    [Fact]
    public void ReportTimeout_BeforeOurClose_Throws_AndChangesNothing()
    {
        var open = new CloseHandshake(WebSocketRole.Client);
        var replyDue = new CloseHandshake(WebSocketRole.Client);
        Receive(replyDue, Payload(1000));

        Func<CloseHandshakeAction> early = open.ReportTimeout;
        Func<CloseHandshakeAction> due = replyDue.ReportTimeout;

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
        WriteDue(client);
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
        client.CloseStatusDescription.Should().Be("again");
    }

    [Fact]
    public void Reset_ClearsTheReasonAndTheTimeout()
    {
        var client = new CloseHandshake(WebSocketRole.Client);
        WriteOwn(client, WebSocketCloseStatus.NormalClosure);
        Receive(client, Payload(1000, "first"));
        _ = client.CloseStatusDescription;
        client.ReportTimeout();

        client.Reset();

        WriteOwn(client, WebSocketCloseStatus.NormalClosure).Action.Should().Be(CloseHandshakeAction.AwaitClose, "the timeout of the earlier connection is gone");
        client.Utf8CloseStatusDescription.IsEmpty.Should().BeTrue();
        client.CloseStatusDescription.Should().BeEmpty("the reason of the earlier connection is gone");
        client.CloseStatus.Should().BeNull();
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
        const string Reason = "a reason the stack chose";

        long bytes = Allocations.Measure(() =>
        {
            handshake.Reset();
            handshake.ReceiveCloseFrame(frame, out _);
            handshake.WriteClose(reply, out _);
            handshake.ReportTransportClosed();
            _ = handshake.CloseStatus;
            _ = handshake.WasClean;
            _ = handshake.Utf8CloseStatusDescription;

            handshake.Reset();
            handshake.Fail(WebSocketCloseStatus.PolicyViolation, Reason);
            handshake.WriteClose(reply, out _);
            handshake.ReportTimeout();
            handshake.ReportTransportClosed();
        });

        bytes.Should().Be(0);
    }
}
