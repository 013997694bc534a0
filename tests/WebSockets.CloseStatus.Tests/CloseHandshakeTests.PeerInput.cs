using System;
using System.Collections.Generic;
using System.Linq;
using FluentAssertions;
using WebSockets.CloseStatus.Tests.TestData;
using Xunit;

namespace WebSockets.CloseStatus.Tests;

/// <summary>
/// Input from the peer in every state: it never throws. Once the peer's close has arrived (§5.5.1), the connection has failed
/// (§7.1.7) or the transport has closed (§7.1.4), what the peer still sends is discarded, as python-websockets' <c>discard()</c> does.
/// </summary>
public partial class CloseHandshakeTests
{
    /// <summary>Each state a connection can be in, reached by the events a stack reports, and whether the peer is still read in it (written from §5.5.1, §7.1.4, §7.1.7).</summary>
    public static TheoryData<string, WebSocketRole, bool> States()
    {
        var data = new TheoryData<string, WebSocketRole, bool>();
        foreach (WebSocketRole role in new[] { WebSocketRole.Server, WebSocketRole.Client })
        {
            data.Add("open", role, true);
            data.Add("close sent", role, true);
            data.Add("close sent, timed out", role, true);
            data.Add("close received", role, false);
            data.Add("closes both ways", role, false);
            data.Add("failed by the stack", role, false);
            data.Add("failed by a malformed close", role, false);
            data.Add("failed after our close", role, false);
            data.Add("failed after the reply", role, false);
            data.Add("transport closed while open", role, false);
            data.Add("transport closed cleanly", role, false);
            data.Add("transport closed after a failure", role, false);
        }

        return data;
    }

    private static CloseHandshake InState(string state, WebSocketRole role)
    {
        var handshake = new CloseHandshake(role);
        byte[] buffer = new byte[CloseFrame.MaxLength];
        switch (state)
        {
            case "open":
                break;
            case "close sent":
                handshake.WriteClose(buffer, WebSocketCloseStatus.NormalClosure, "bye", out _);
                break;
            case "close sent, timed out":
                handshake.WriteClose(buffer, WebSocketCloseStatus.NormalClosure, null, out _);
                handshake.ReportTimeout();
                break;
            case "close received":
                Receive(handshake, Payload(1001, "away"));
                break;
            case "closes both ways":
                Receive(handshake, Payload(1001, "away"));
                handshake.WriteClose(buffer, out _);
                break;
            case "failed by the stack":
                handshake.Fail(WebSocketCloseStatus.MessageTooBig);
                break;
            case "failed by a malformed close":
                handshake.ReceiveClose([0x03]);
                break;
            case "failed after our close":
                handshake.WriteClose(buffer, WebSocketCloseStatus.NormalClosure, null, out _);
                handshake.Fail(WebSocketCloseStatus.PolicyViolation);
                break;
            case "failed after the reply":
                Receive(handshake, Payload(1000));
                handshake.WriteClose(buffer, out _);
                handshake.Fail(WebSocketCloseStatus.InternalServerError);
                break;
            case "transport closed while open":
                handshake.ReportTransportClosed();
                break;
            case "transport closed cleanly":
                Receive(handshake, Payload(1000));
                handshake.WriteClose(buffer, out _);
                handshake.ReportTransportClosed();
                break;
            default:
                handshake.Fail(WebSocketCloseStatus.InvalidPayloadData);
                handshake.WriteClose(buffer, out _);
                handshake.ReportTransportClosed();
                break;
        }

        return handshake;
    }

    /// <summary>Everything a handshake reports, to tell that an event changed nothing.</summary>
    private static string Snapshot(CloseHandshake h) =>
        $"{h.State} {h.Action} send={h.CanSendData} receive={h.CanReceiveData} sent={h.IsCloseSent}/{(int?)h.SentStatus} " +
        $"received={h.IsCloseReceived}/{(int?)h.CloseStatus}/{Convert.ToHexString(h.Utf8CloseStatusDescription)} clean={h.WasClean} " +
        $"initiator={h.Initiator} failure={(int?)h.FailureStatus}/{h.PeerCloseError}";

    /// <summary>
    /// What every event returns in every state: the action the stack takes next, or <c>!</c> where the call is the stack's own mistake
    /// (<see cref="InvalidOperationException"/>, and nothing changes). One letter per event, in this order: the peer's close, a malformed
    /// close, half a close frame (each as a payload, a frame and a sequence where it applies), the due close, a close with a status of the
    /// stack's choice (each reason form), <see cref="CloseHandshake.Fail"/> without a reason, with one, and <see cref="CloseHandshake.ReportTimeout"/>.
    /// N None, S SendClose, A AwaitClose, T AwaitTransportClose, C CloseTransport.
    /// </summary>
    public static TheoryData<string, WebSocketRole, string, string> Actions()
    {
        var data = new TheoryData<string, WebSocketRole, string, string>();
        void Add(string state, string server, string client, string rule)
        {
            data.Add(state, WebSocketRole.Server, server, rule);
            data.Add(state, WebSocketRole.Client, client, rule);
        }

        //  state                              server     client     the rule that decides
        Add("open",                            "SSN!ASS!", "SSN!ASS!", "§5.5.1 a close is answered; §7.1.2 ours starts the handshake; §7.1.7 a failure sends its close");
        Add("close sent",                      "CCA!!CCC", "TCA!!CCC", "§7.1.1 a server closes TCP after the handshake, a client awaits it; §7.1.7 a malformed close or a failure closes TCP");
        Add("close sent, timed out",           "CCC!!CCC", "CCC!!CCC", "§7.1.1 the timer ran out: close TCP whatever arrives");
        Add("close received",                  "SSSCCSS!", "SSSTTSS!", "§5.5.1 the reply is due, and later peer bytes are discarded; §7.1.1 then TCP; no timer before our close");
        Add("closes both ways",                "CCC!!CCC", "TTT!!CCC", "§7.1.1 the server closes TCP; the client awaits it until its timer runs out");
        Add("failed by the stack",             "SSSCCSS!", "SSSCCSS!", "§7.1.7 the failure's close is due, then TCP closes at once");
        Add("failed by a malformed close",     "SSSCCSS!", "SSSCCSS!", "§7.1.7 a malformed close counts as none: the failure's close is due");
        Add("failed after our close",          "CCC!!CCC", "CCC!!CCC", "§7.1.7 close TCP without a second close");
        Add("failed after the reply",          "CCC!!CCC", "CCC!!CCC", "§7.1.7 close TCP without waiting for the server, in either role");
        Add("transport closed while open",     "NNN!!NN!", "NNN!!NN!", "§7.1.4 the result is final; no close was sent, so no timer ran");
        Add("transport closed cleanly",        "NNN!!NNN", "NNN!!NNN", "§7.1.4 the result is final; a late timer changes nothing");
        Add("transport closed after a failure", "NNN!!NNN", "NNN!!NNN", "§7.1.4 the result is final");
        return data;
    }

    [Theory]
    [MemberData(nameof(Actions))]
    public void Rfc6455_5_5_1_And_7_1_1_To_7_1_7_EveryEvent_InEveryState_ReturnsTheNextAction(string state, WebSocketRole role, string expected, string rule)
    {
        byte[] close = Payload(1001, "away");
        byte[] malformed = [0x03, 0xE8, 0xFF];
        byte[] closeFrame = PeerFrame(role, close);
        byte[] malformedFrame = PeerFrame(role, malformed);
        byte[] half = closeFrame[..^1];
        byte[] buffer = new byte[CloseFrame.MaxLength];
        var events = new (char Column, string Name, Func<CloseHandshake, CloseHandshakeAction> Call)[]
        {
            (expected[0], "ReceiveClose", h => h.ReceiveClose(close)),
            (expected[0], "ReceiveCloseFrame(span)", h => h.ReceiveCloseFrame(closeFrame, out _)),
            (expected[0], "ReceiveCloseFrame(sequence)", h => h.ReceiveCloseFrame(Segments.Split(closeFrame, 3), out _)),
            (expected[1], "ReceiveClose(malformed)", h => h.ReceiveClose(malformed)),
            (expected[1], "ReceiveCloseFrame(span, malformed)", h => h.ReceiveCloseFrame(malformedFrame, out _)),
            (expected[1], "ReceiveCloseFrame(sequence, malformed)", h => h.ReceiveCloseFrame(Segments.Split(malformedFrame, 1), out _)),
            (expected[2], "ReceiveCloseFrame(span, half)", h => h.ReceiveCloseFrame(half, out _)),
            (expected[2], "ReceiveCloseFrame(sequence, half)", h => h.ReceiveCloseFrame(Segments.Split(half, 2), out _)),
            (expected[3], "WriteClose(due)", h => h.WriteClose(buffer, out _)),
            (expected[4], "WriteClose(string)", h => h.WriteClose(buffer, WebSocketCloseStatus.EndpointUnavailable, "bye", out _)),
            (expected[4], "WriteClose(chars)", h => h.WriteClose(buffer, WebSocketCloseStatus.EndpointUnavailable, "bye".AsSpan(), out _)),
            (expected[4], "WriteCloseUtf8", h => h.WriteCloseUtf8(buffer, WebSocketCloseStatus.EndpointUnavailable, "bye"u8, out _)),
            (expected[5], "Fail", h => h.Fail(WebSocketCloseStatus.MessageTooBig)),
            (expected[6], "Fail(reason)", h => h.Fail(WebSocketCloseStatus.MessageTooBig, "too big")),
            (expected[7], "ReportTimeout", h => h.ReportTimeout()),
        };

        foreach ((char column, string name, Func<CloseHandshake, CloseHandshakeAction> call) in events)
        {
            CloseHandshake handshake = InState(state, role);
            string before = Snapshot(handshake);
            string because = $"{name} in state '{state}' as a {role}: {rule}";
            if (column == '!')
            {
                FluentActions.Invoking(() => call(handshake)).Should().Throw<InvalidOperationException>(because);
                Snapshot(handshake).Should().Be(before, because);
                continue;
            }

            CloseHandshakeAction action = call(handshake);

            action.Should().Be(ActionOf(column), because);
            handshake.Action.Should().Be(action, "the returned action is the one now due");
        }
    }

    private static CloseHandshakeAction ActionOf(char letter) => letter switch
    {
        'N' => CloseHandshakeAction.None,
        'S' => CloseHandshakeAction.SendClose,
        'A' => CloseHandshakeAction.AwaitClose,
        'T' => CloseHandshakeAction.AwaitTransportClose,
        'C' => CloseHandshakeAction.CloseTransport,
        _ => throw new ArgumentOutOfRangeException(nameof(letter), letter, "not an action's letter"),
    };

    /// <summary>What a hostile or buggy peer sends: a second close, malformed closes, data, nothing, and bytes after a frame.</summary>
    private static IEnumerable<(string What, byte[] Bytes)> PeerBytes(WebSocketRole role)
    {
        byte[] close = PeerFrame(role, Payload(1000, "again"));
        yield return ("a second close", close);
        yield return ("a second close and data after it", [.. close, 0x81, 0x00]);
        yield return ("a close without a status", PeerFrame(role, []));
        yield return ("a fragmented close (§5.5)", [0x08, .. close[1..]]);
        yield return ("a close with reserved bits (§5.2)", [0xC8, .. close[1..]]);
        yield return ("a close with the wrong masking (§5.1)", PeerFrame(role == WebSocketRole.Server ? WebSocketRole.Client : WebSocketRole.Server, Payload(1000)));
        yield return ("a 1-byte payload (§5.5.1)", PeerFrame(role, [0x03]));
        yield return ("a code that must not be sent (§7.4.1)", PeerFrame(role, Payload(1005)));
        yield return ("a reason that is not UTF-8 (§8.1)", PeerFrame(role, [0x03, 0xE8, 0xC0, 0x80]));
        yield return ("an extended length (§5.5)", [0x88, 0x7E, 0x00, 0x7E]);
        yield return ("half a close", close[..3]);
        yield return ("a text frame", [0x81, 0x02, 0x68, 0x69]);
        yield return ("nothing", []);
    }

    [Theory]
    [MemberData(nameof(States))]
    public void Rfc6455_5_5_1_And_7_1_7_PeerBytes_AfterTheCloseOrAFailure_AreDiscarded_WithoutThrowing(string state, WebSocketRole role, bool readsThePeer)
    {
        if (readsThePeer)
        {
            return; // the next test covers these states
        }

        foreach ((string what, byte[] bytes) in PeerBytes(role))
        {
            CloseHandshake handshake = InState(state, role);
            string before = Snapshot(handshake);
            CloseHandshakeAction current = handshake.Action;
            handshake.CanReceiveData.Should().BeFalse($"the peer is no longer read once {state}");

            handshake.ReceiveCloseFrame(bytes, out int consumed).Should().Be(current, what);
            consumed.Should().Be(bytes.Length, $"{what} is discarded whole");
            handshake.ReceiveClose(bytes).Should().Be(current, what);
            for (int at = 0; at <= bytes.Length; at++)
            {
                handshake.ReceiveCloseFrame(Segments.Of(bytes[..at], [], bytes[at..]), out int sequenceConsumed).Should().Be(current, what);
                sequenceConsumed.Should().Be(bytes.Length, $"{what} split at {at} is discarded whole");
            }

            Snapshot(handshake).Should().Be(before, $"{what} in state '{state}' changes nothing");
        }
    }

    [Theory]
    [MemberData(nameof(States))]
    public void Rfc6455_7_1_7_PeerBytes_WhileThePeerIsRead_NeverThrow_AndAMalformedCloseFailsTheConnection(string state, WebSocketRole role, bool readsThePeer)
    {
        if (!readsThePeer)
        {
            return;
        }

        foreach ((string what, byte[] bytes) in PeerBytes(role).Where(input => input.Bytes.Length == 0 || (input.Bytes[0] & 0x0F) == 0x8))
        {
            for (int at = 0; at <= bytes.Length; at++)
            {
                CloseHandshake handshake = InState(state, role);
                string before = Snapshot(handshake);
                handshake.CanReceiveData.Should().BeTrue($"the peer is read while {state}");
                (CloseFrameError Error, int Code, int Length)? expected = FrameOracle.ReadFrame(bytes, role);

                CloseHandshakeAction action = handshake.ReceiveCloseFrame(Segments.Of(bytes[..at], bytes[at..]), out int consumed);

                action.Should().Be(handshake.Action, what);
                if (expected is null)
                {
                    consumed.Should().Be(0, what);
                    Snapshot(handshake).Should().Be(before, $"half a frame ({what}) changes nothing");
                }
                else if (expected.Value.Error == CloseFrameError.None)
                {
                    consumed.Should().Be(expected.Value.Length, what);
                    handshake.CloseStatus.Should().Be((WebSocketCloseStatus)expected.Value.Code, what);
                }
                else
                {
                    consumed.Should().Be(bytes.Length, $"{what} fails the connection, which discards the bytes");
                    handshake.PeerCloseError.Should().Be(expected.Value.Error, what);
                    handshake.FailureStatus.Should().Be(expected.Value.Error == CloseFrameError.InvalidUtf8 ? WebSocketCloseStatus.InvalidPayloadData : WebSocketCloseStatus.ProtocolError, what);
                    handshake.CanReceiveData.Should().BeFalse();
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(States))]
    public void Rfc6455_7_1_4_TransportClosed_InEveryState_NeverThrows_AndIsFinal(string state, WebSocketRole role, bool readsThePeer)
    {
        CloseHandshake handshake = InState(state, role);
        bool sent = handshake.IsCloseSent, received = handshake.IsCloseReceived, failed = handshake.FailureStatus is not null;

        handshake.ReportTransportClosed();
        string closed = Snapshot(handshake);
        handshake.ReportTransportClosed();
        handshake.ReceiveCloseFrame(PeerFrame(role, Payload(1000)), out _);

        Snapshot(handshake).Should().Be(closed);
        handshake.State.Should().Be(CloseHandshakeState.Closed);
        handshake.Action.Should().Be(CloseHandshakeAction.None);
        handshake.CanReceiveData.Should().BeFalse();
        int? receivedCode = state switch
        {
            "close received" or "closes both ways" => 1001,
            "failed after the reply" or "transport closed cleanly" => 1000,
            _ => null,
        };
        received.Should().Be(receivedCode is not null);
        handshake.CloseStatus.Should().Be((WebSocketCloseStatus)(receivedCode ?? 1006), "§7.1.5: the received code, or 1006 when none arrived");
        handshake.WasClean.Should().Be(sent && received && !failed, $"§7.1.4: clean only after close frames went both ways and no failure (state '{state}', read: {readsThePeer})");
    }

    [Theory]
    [MemberData(nameof(States))]
    public void Rfc6455_7_1_1_ALateTimeout_AfterOurClose_NeverThrows_AndOnlyEndsAWait(string state, WebSocketRole role, bool readsThePeer)
    {
        CloseHandshake handshake = InState(state, role);
        CloseHandshakeAction before = handshake.Action;
        Func<CloseHandshakeAction> timeout = handshake.ReportTimeout;

        if (!handshake.IsCloseSent)
        {
            // The stack's own mistake: it awaits nothing before it has sent its close.
            timeout.Should().Throw<InvalidOperationException>().WithMessage("ReportTimeout cannot be called now: this endpoint has not sent its close frame*");
            handshake.Action.Should().Be(before);
            return;
        }

        timeout.Should().NotThrow().Which.Should().Be(handshake.Action);
        handshake.Action.Should().Be(
            before is CloseHandshakeAction.AwaitClose or CloseHandshakeAction.AwaitTransportClose ? CloseHandshakeAction.CloseTransport : before,
            $"a timeout in state '{state}' (read: {readsThePeer}) ends a wait, and nothing else");
    }

    [Theory]
    [MemberData(nameof(States))]
    public void Rfc6455_7_1_7_Fail_AfterTheTransportClosedOrAFailure_ChangesNothing(string state, WebSocketRole role, bool readsThePeer)
    {
        CloseHandshake handshake = InState(state, role);
        bool settled = handshake.State == CloseHandshakeState.Closed || handshake.FailureStatus is not null;
        string before = Snapshot(handshake);

        handshake.Fail(WebSocketCloseStatus.PolicyViolation).Should().Be(handshake.Action);

        if (settled)
        {
            Snapshot(handshake).Should().Be(before, $"the result of '{state}' is final (read: {readsThePeer})");
        }
        else
        {
            handshake.FailureStatus.Should().Be(WebSocketCloseStatus.PolicyViolation);
            handshake.Action.Should().Be(handshake.IsCloseSent ? CloseHandshakeAction.CloseTransport : CloseHandshakeAction.SendClose);
        }
    }

    [Theory]
    [InlineData(WebSocketRole.Server)]
    [InlineData(WebSocketRole.Client)]
    public void Rfc6455_7_1_7_FailedConnection_IsNotClean_EvenWhenCloseFramesWentBothWays(WebSocketRole role)
    {
        // The browser reports CloseEvent.wasClean = false for a connection it failed (WHATWG WebSockets, "fail the WebSocket connection").
        CloseHandshake failedBeforeReply = InState("close received", role);
        failedBeforeReply.Fail(WebSocketCloseStatus.InternalServerError);
        failedBeforeReply.WriteClose(new byte[CloseFrame.MaxLength], out _);
        CloseHandshake failedAfterReply = InState("failed after the reply", role);

        failedBeforeReply.ReportTransportClosed();
        failedAfterReply.ReportTransportClosed();

        failedBeforeReply.IsCloseSent.Should().BeTrue();
        failedBeforeReply.IsCloseReceived.Should().BeTrue();
        failedBeforeReply.WasClean.Should().BeFalse();
        failedAfterReply.WasClean.Should().BeFalse();
        failedAfterReply.CloseStatus.Should().Be(WebSocketCloseStatus.NormalClosure, "the connection close code is still the one received (§7.1.5)");
    }

    [Theory]
    [InlineData(WebSocketRole.Server, 1004)]
    [InlineData(WebSocketRole.Client, 1016)]
    [InlineData(WebSocketRole.Server, 2999)]
    [InlineData(WebSocketRole.Client, 1999)]
    public void Rfc6455_5_5_1_LenientCode_IsReported_AndEchoedWithoutAStatus(WebSocketRole role, int code)
    {
        var lenient = new CloseHandshake(role, ClosePayloadReadMode.Lenient);
        var strict = new CloseHandshake(role);

        Receive(lenient, Payload(code, "future"));
        strict.ReceiveCloseFrame(PeerFrame(role, Payload(code, "future")), out _).Should().Be(CloseHandshakeAction.SendClose);

        lenient.ReadMode.Should().Be(ClosePayloadReadMode.Lenient);
        lenient.CloseStatus.Should().Be((WebSocketCloseStatus)code, "the connection close code is the one received (§7.1.5)");
        lenient.CloseStatusDescription.Should().Be("future");
        WriteDue(lenient).Frame.Payload.Should().BeEmpty("§7.4.2 reserves the code for a future revision this endpoint does not implement");
        lenient.SentStatus.Should().Be(WebSocketCloseStatus.Empty);
        lenient.ReportTransportClosed();
        lenient.WasClean.Should().BeTrue();
        strict.ReadMode.Should().Be(ClosePayloadReadMode.Strict);
        strict.FailureStatus.Should().Be(WebSocketCloseStatus.ProtocolError);
    }

    [Theory]
    [InlineData(1000)]
    [InlineData(3000)]
    [InlineData(4999)]
    public void Rfc6455_5_5_1_Lenient_EchoesACodeValidOnTheWire(int code)
    {
        var server = new CloseHandshake(WebSocketRole.Server, ClosePayloadReadMode.Lenient);

        server.ReceiveClose(Payload(code)).Should().Be(CloseHandshakeAction.SendClose);

        WriteDue(server).Frame.Payload.Should().Equal(Payload(code));
    }

    [Theory]
    [MemberData(nameof(UnsendableCodes))]
    public void Rfc6455_7_4_1_Lenient_StillFailsOnLocalOnlyAndOutOfRangeCodes(int code)
    {
        var client = new CloseHandshake(WebSocketRole.Client, ClosePayloadReadMode.Lenient);

        client.ReceiveClose(Payload(code)).Should().Be(CloseHandshakeAction.SendClose);

        client.PeerCloseError.Should().Be(CloseFrameError.InvalidStatus);
        client.FailureStatus.Should().Be(WebSocketCloseStatus.ProtocolError);
    }

    [Fact]
    public void Constructor_UndefinedReadMode_Throws()
    {
        Action act = () => _ = new CloseHandshake(WebSocketRole.Server, (ClosePayloadReadMode)2);

        act.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("mode").WithMessage("*2*");
    }
}
