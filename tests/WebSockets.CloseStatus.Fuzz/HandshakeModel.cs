using System;
using System.Buffers;

namespace WebSockets.CloseStatus.Fuzz;

/// <summary>
/// The closing handshake of RFC 6455 §7.1, written from the RFC apart from the library: which calls are allowed in which
/// state, and what a connection reports. The handshake target checks CloseHandshake against it after every event.
/// </summary>
public sealed class HandshakeModel(WebSocketRole role, bool lenient)
{
    public WebSocketRole Role { get; } = role;

    /// <summary>Whether the peer's close may carry codes no registration defines yet (1004, 1016–2999).</summary>
    public bool Lenient { get; } = lenient;

    public bool Sent { get; private set; }

    public bool Received { get; private set; }

    public bool Failed { get; private set; }

    public bool TimedOut { get; private set; }

    public bool Closed { get; private set; }

    public int SentCode { get; private set; }

    public int ReceivedCode { get; private set; }

    public int FailureCode { get; private set; }

    /// <summary>The reason the stack failed the connection with; null for none, and for a failure over a malformed close.</summary>
    public string? FailureReason { get; private set; }

    public byte[] Reason { get; private set; } = [];

    public CloseFrameError PeerError { get; private set; }

    public CloseInitiator Initiator { get; private set; }

    /// <summary>Codes an endpoint may send (§7.4.1, §7.4.2, and the IANA registry's 1012–1014).</summary>
    public static bool Sendable(int code) => code is (>= 1000 and <= 1003) or (>= 1007 and <= 1014) or (>= 3000 and <= 4999);

    public CloseHandshakeAction Action =>
        Closed ? CloseHandshakeAction.None
        : !Sent ? (Received || Failed ? CloseHandshakeAction.SendClose : CloseHandshakeAction.None)
        : Failed || TimedOut ? CloseHandshakeAction.CloseTransport
        : Received ? (Role == WebSocketRole.Server ? CloseHandshakeAction.CloseTransport : CloseHandshakeAction.AwaitTransportClose)
        : CloseHandshakeAction.AwaitClose;

    public CloseHandshakeState State =>
        Closed ? CloseHandshakeState.Closed : Sent || Received || Failed ? CloseHandshakeState.Closing : CloseHandshakeState.Open;

    public bool CanSend => !Sent && !Failed && !Closed;

    public bool CanReceive => !Received && !Failed && !Closed;

    public int? CloseCode => Received ? ReceivedCode : Closed ? 1006 : null;

    /// <summary>§7.1.4: the transport closed after close frames went both ways; §7.1.7: a failed connection is never clean.</summary>
    public bool WasClean => Closed && Sent && Received && !Failed;

    /// <summary>The code the close that is due carries: the failure's, else the echo of the peer's, unless only a lenient read accepted it (1005: no status).</summary>
    public int DueCode => Failed ? FailureCode : Sendable(ReceivedCode) ? ReceivedCode : 1005;

    /// <summary>The reason the close that is due carries: the failure's (§7.1.7); an echo carries none.</summary>
    public string DueReason => Failed ? FailureReason ?? "" : "";

    /// <summary>A timeout is awaited only after this endpoint's close (§7.1.1); before it, reporting one is the stack's mistake.</summary>
    public bool CanTimeOut => Sent;

    public void Send(int code)
    {
        Sent = true;
        SentCode = code;
        Start(CloseInitiator.Local);
    }

    public void Receive(int code, ReadOnlySpan<byte> reason)
    {
        Received = true;
        ReceivedCode = code;
        Reason = reason.ToArray();
        Start(CloseInitiator.Remote);
    }

    /// <summary>Fails the connection (§7.1.7); once it has failed or the transport has closed, the result is final.</summary>
    public void Fail(int code, CloseFrameError peerError, string? reason)
    {
        if (Failed || Closed)
        {
            return;
        }

        Failed = true;
        FailureCode = code;
        FailureReason = reason;
        PeerError = peerError;
        Start(CloseInitiator.Local);
    }

    public void Timeout() => TimedOut = true;

    public void Close() => Closed = true;

    private void Start(CloseInitiator initiator)
    {
        if (Initiator == CloseInitiator.None)
        {
            Initiator = initiator;
        }
    }
}
