using System;
using System.Runtime.CompilerServices;
using System.Text;
using WebSockets.CloseStatus.Internal;

namespace WebSockets.CloseStatus;

/// <summary>
/// The closing handshake of one WebSocket connection (RFC 6455 §7), without I/O: the stack reports what happened (a close
/// frame arrived, a timer fired, the transport closed) and writes the close frames it is given, and each of those calls
/// returns the <see cref="CloseHandshakeAction"/> the stack takes next. It never touches a socket, a clock or a thread (but
/// for <see cref="WebSocketCloseMetrics"/>: while a listener enables its duration histogram, closing's start reads a timestamp).
/// </summary>
/// <remarks>
/// <para>
/// Who closes TCP (§7.1.1): once close frames went both ways, the server closes the TCP connection first
/// (<see cref="CloseHandshakeAction.CloseTransport"/>), so that it, not the client, holds TIME_WAIT. A client waits for that
/// (<see cref="CloseHandshakeAction.AwaitTransportClose"/>) and closes TCP itself only when its timer runs out
/// (<see cref="ReportTimeout"/>, then <see cref="CloseHandshakeAction.CloseTransport"/>). After a failure (§7.1.7) either role
/// closes TCP as soon as its close is sent.
/// </para>
/// <para>
/// One instance per connection, used by one thread at a time. Events allocate nothing (reading <see cref="CloseStatusDescription"/>
/// decodes the peer's reason once); the instance holds the peer's reason in a buffer of its own, and <see cref="Reset"/> readies it
/// for another connection. Input from the peer never throws, in any state: a malformed close fails the connection (§7.1.7), and
/// once the peer's close has arrived, the connection has failed or the transport has closed, what the peer still sends is
/// discarded. Only the stack's own mistakes throw, and change nothing: <see cref="InvalidOperationException"/> for a call the
/// state does not allow (a second close of its own, a write after the transport closed, a timeout before it sent a close),
/// <see cref="ArgumentException"/> and <see cref="ArgumentOutOfRangeException"/> for an argument that cannot be sent.
/// </para>
/// </remarks>
public sealed partial class CloseHandshake
{
    // The peer's reason, at its start; a masked frame is unmasked into it first, so a read copies nothing twice.
    private readonly byte[] _reason = new byte[ClosePayload.MaxLength];
    // Every event sets flags in one field, so Reset is one store and two dropped references; the other fields count only
    // while their flag is set.
    private Flags _flags;
    private int _reasonLength; // with Flags.Received
    private WebSocketCloseStatus _sentStatus; // with Flags.Sent
    private WebSocketCloseStatus _receivedStatus; // with Flags.Received
    private WebSocketCloseStatus _failureStatus; // with Flags.Failed
    private CloseFrameError _peerCloseError; // with Flags.Failed
    private string? _failureReason; // with Flags.Failed; the caller's string, validated by Fail, kept rather than copied
    private string? _description; // CloseStatusDescription, once decoded; null until then
    private long _closingStarted; // with Flags.Initiator: when closing started, if the duration histogram was enabled then; else 0

    // The drain's registration while one tracks this connection: a second Track throws rather than close it twice.
    internal WebSocketDrainRegistration? DrainRegistration;

    /// <summary>Initializes the closing handshake of a connection that is open.</summary>
    /// <param name="role">This endpoint's role: a client masks the close frames it writes and waits for the server to close TCP.</param>
    /// <param name="mode">Which status codes the peer's close may carry; chosen once for the connection.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="role"/> or <paramref name="mode"/> is not a defined value.</exception>
    public CloseHandshake(WebSocketRole role, ClosePayloadReadMode mode = ClosePayloadReadMode.Strict)
    {
        CloseFrame.ValidateRole(role);

        if (mode is not (ClosePayloadReadMode.Strict or ClosePayloadReadMode.Lenient))
        {
            ThrowHelper.ThrowUndefinedEnum(mode, nameof(mode));
        }

        Role = role;
        ReadMode = mode;
    }

    /// <summary>Gets this endpoint's role.</summary>
    public WebSocketRole Role { get; }

    /// <summary>Gets which status codes the peer's close may carry; <see cref="ClosePayloadReadMode.Lenient"/> also accepts codes no registration defines yet, which the echo does not repeat (see <see cref="WriteClose(Span{byte}, out int)"/>).</summary>
    public ClosePayloadReadMode ReadMode { get; }

    /// <summary>Gets the state of the handshake.</summary>
    public CloseHandshakeState State =>
        Has(Flags.Closed) ? CloseHandshakeState.Closed
        : Has(Flags.Sent | Flags.Received | Flags.Failed) ? CloseHandshakeState.Closing
        : CloseHandshakeState.Open;

    /// <summary>Gets what the stack does next: the action the last call returned, or <see cref="CloseHandshakeAction.None"/> once the transport is closed.</summary>
    /// <remarks>Every event and write returns this value, so a stack need not read it; it is here for logs and assertions.</remarks>
    public CloseHandshakeAction Action
    {
        get
        {
            if (Has(Flags.Closed))
            {
                return CloseHandshakeAction.None;
            }

            if (!Has(Flags.Sent))
            {
                return Has(Flags.Received | Flags.Failed) ? CloseHandshakeAction.SendClose : CloseHandshakeAction.None;
            }

            if (Has(Flags.Failed | Flags.TimedOut) || (Has(Flags.Received) && Role == WebSocketRole.Server))
            {
                return CloseHandshakeAction.CloseTransport;
            }

            return Has(Flags.Received) ? CloseHandshakeAction.AwaitTransportClose : CloseHandshakeAction.AwaitClose;
        }
    }

    /// <summary>Gets whether the stack may still send data frames: not after our close frame (§5.5.1), nor once the connection has failed or closed.</summary>
    public bool CanSendData => !Has(Flags.Sent | Flags.Failed | Flags.Closed);

    /// <summary>Gets whether frames from the peer are still to be read: until its close frame arrives (§5.5.1), the connection fails, or the transport closes.</summary>
    public bool CanReceiveData => !Has(Flags.Received | Flags.Failed | Flags.Closed);

    /// <summary>Gets whether this endpoint has written its close frame.</summary>
    public bool IsCloseSent => Has(Flags.Sent);

    /// <summary>Gets whether a well-formed close frame has arrived from the peer; a malformed one counts as none (§7.1.7).</summary>
    public bool IsCloseReceived => Has(Flags.Received);

    /// <summary>
    /// Gets the WebSocket connection close code (§7.1.5): the status of the peer's close frame, <see cref="WebSocketCloseStatus.Empty"/>
    /// if it had none, or <see cref="WebSocketCloseStatus.AbnormalClosure"/> if the transport closed before a well-formed one arrived.
    /// </summary>
    /// <value><see langword="null"/> exactly while no well-formed close frame has arrived and the transport is open.</value>
    public WebSocketCloseStatus? CloseStatus =>
        Has(Flags.Received) ? _receivedStatus
        : Has(Flags.Closed) ? WebSocketCloseStatus.AbnormalClosure
        : null;

    /// <summary>Gets the WebSocket connection close reason (§7.1.6), decoded: the peer's reason; <see cref="string.Empty"/> if it had none or no well-formed close frame arrived.</summary>
    /// <remarks>The first read after the peer's close decodes the reason; later reads return the same string, until <see cref="Reset"/>. An empty reason allocates nothing.</remarks>
    public string CloseStatusDescription => _description ??= ReasonLength == 0 ? string.Empty : Encoding.UTF8.GetString(_reason, 0, _reasonLength);

    /// <summary>Gets the WebSocket connection close reason (§7.1.6) as UTF-8, as the peer sent it: empty if it had none or no well-formed close frame arrived.</summary>
    /// <remarks>A view of the handshake's own buffer, valid until <see cref="Reset"/>; it allocates nothing.</remarks>
    public ReadOnlySpan<byte> Utf8CloseStatusDescription => new(_reason, 0, ReasonLength);

    /// <summary>Gets whether the connection closed cleanly (§7.1.4): the transport closed after close frames went both ways, and the connection was not failed.</summary>
    /// <remarks>
    /// A connection failed by <see cref="Fail"/> or by a malformed close is not clean even when close frames went both ways: failing
    /// it (§7.1.7) closes the transport without completing the handshake, and browsers report <c>CloseEvent.wasClean</c> as
    /// <see langword="false"/> for a failed connection.
    /// </remarks>
    public bool WasClean => (_flags & (Flags.Closed | Flags.Sent | Flags.Received | Flags.Failed)) == (Flags.Closed | Flags.Sent | Flags.Received);

    /// <summary>Gets which endpoint started closing the connection; <see cref="CloseInitiator.None"/> until one did.</summary>
    public CloseInitiator Initiator => (CloseInitiator)((int)(_flags & Flags.Initiator) >> InitiatorShift);

    /// <summary>Gets the status of the close frame this endpoint wrote: <see cref="WebSocketCloseStatus.Empty"/> for one without a status.</summary>
    /// <value><see langword="null"/> exactly until this endpoint has written its close frame.</value>
    public WebSocketCloseStatus? SentStatus => Has(Flags.Sent) ? _sentStatus : null;

    /// <summary>Gets the status the connection was failed with (§7.1.7), by <see cref="Fail"/> or on a malformed close frame.</summary>
    /// <value><see langword="null"/> exactly while the connection has not failed.</value>
    public WebSocketCloseStatus? FailureStatus => Has(Flags.Failed) ? _failureStatus : null;

    /// <summary>Gets why the peer's close frame was rejected, or <see cref="CloseFrameError.None"/> if none was.</summary>
    public CloseFrameError PeerCloseError => Has(Flags.Failed) ? _peerCloseError : CloseFrameError.None;

    /// <summary>Fails the connection (§7.1.7) for a problem the stack found, such as 1007 for a text message that is not UTF-8 or 1009 for one too big.</summary>
    /// <param name="status">The status to close with; must be valid on the wire.</param>
    /// <param name="reason">The reason the failure's close frame carries; at most <see cref="ClosePayload.MaxReasonLength"/> bytes once UTF-8 encoded. <see langword="null"/> is no reason.</param>
    /// <returns>
    /// <see cref="CloseHandshakeAction.SendClose"/>: write the failure's close with <see cref="WriteClose(Span{byte}, out int)"/>, which carries
    /// <paramref name="status"/> and <paramref name="reason"/>; or <see cref="CloseHandshakeAction.CloseTransport"/> if this endpoint's close
    /// was sent already. A call after an earlier failure or after the transport closed changes nothing and returns the current action.
    /// </returns>
    /// <remarks>
    /// The arguments are checked now, in every state, and <paramref name="reason"/> is kept, not copied, for the due close. The connection is
    /// not clean afterwards (<see cref="WasClean"/>). The peer may close the transport while the stack judges its last data, so a call after
    /// that is no mistake.
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="status"/> must not be sent in a close frame.</exception>
    /// <exception cref="ArgumentException"><paramref name="reason"/> is over <see cref="ClosePayload.MaxReasonLength"/> bytes in UTF-8 or has a lone surrogate; the message gives the length or the index.</exception>
    public CloseHandshakeAction Fail(WebSocketCloseStatus status, string? reason = null)
    {
        if (!status.IsValidOnWire())
        {
            ThrowHelper.ThrowUnsendableStatus(status, nameof(status));
        }

        _ = ClosePayload.GetByteCount(status, reason); // throws for a reason that cannot be written, naming its length or the lone surrogate

        if (!Has(Flags.Failed | Flags.Closed))
        {
            FailCore(status, CloseFrameError.None, reason);
        }

        return Action;
    }

    /// <summary>Reports that the transport closed: by end of stream, by a reset, or because the stack closed it (§7.1.4).</summary>
    /// <remarks>
    /// Allowed at any point; the result is final afterwards, and the action is <see cref="CloseHandshakeAction.None"/>. A second call changes
    /// nothing. The first call ends the connection for the library's metrics (<see cref="WebSocketCloseMetrics"/>): it is counted then, once.
    /// A connection tracked by a <see cref="WebSocketDrain"/> leaves it here, as if its registration were disposed.
    /// </remarks>
    public void ReportTransportClosed()
    {
        if (!Has(Flags.Closed))
        {
            _flags |= Flags.Closed;
            if (CloseMetrics.Enabled)
            {
                // Closing started on this connection only if the initiator bits are set: Reset leaves the timestamp behind.
                CloseMetrics.Record(Role, CloseStatus.GetValueOrDefault(), Initiator, Outcome, Has(Flags.Initiator) ? _closingStarted : 0);
            }

            DrainRegistration?.Dispose();
        }
    }

    /// <summary>Reports that the stack's timer ran out while it awaited the peer's close frame or, as a client, the server's closing of TCP.</summary>
    /// <returns>
    /// <see cref="CloseHandshakeAction.CloseTransport"/>: close TCP now (§7.1.1; a client that waited for the server does it itself). A timer
    /// that fires after what it awaited has happened (the peer's close for a server, the transport's close, a failure) changes nothing and
    /// returns the current action.
    /// </returns>
    /// <exception cref="InvalidOperationException">This endpoint has not sent its close frame, so nothing was ever awaited.</exception>
    public CloseHandshakeAction ReportTimeout()
    {
        if (!Has(Flags.Sent))
        {
            ThrowHelper.ThrowHandshakeMisuse(
                nameof(ReportTimeout),
                "this endpoint has not sent its close frame, and a timeout is only awaited after it (the action is " + Action.ToString() + ")");
        }

        _flags |= Flags.TimedOut;
        return Action;
    }

    /// <summary>Returns the handshake to <see cref="CloseHandshakeState.Open"/> for a new connection in the same role, so that pooled connections allocate nothing.</summary>
    /// <remarks>The reason and the <see cref="CloseStatusDescription"/> of the earlier connection are dropped.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Reset()
    {
        _flags = 0;
        _failureReason = null;
        _description = null;
    }

    private void FailCore(WebSocketCloseStatus status, CloseFrameError peerCloseError, string? reason)
    {
        _failureStatus = status;
        _peerCloseError = peerCloseError;
        _failureReason = reason;
        Set(Flags.Failed, CloseInitiator.Local);
    }

    // Whether the stack's timer ran out (ReportTimeout), for the drain's report.
    internal bool TimedOut => Has(Flags.TimedOut);

    private int ReasonLength => Has(Flags.Received) ? _reasonLength : 0;

    // Once the transport closed: a failure aborts even when the peer's close came; without the peer's close it never arrived.
    private CloseOutcome Outcome =>
        WasClean ? CloseOutcome.Clean
        : Has(Flags.TimedOut) ? CloseOutcome.TimedOut
        : Has(Flags.Failed | Flags.Received) ? CloseOutcome.Aborted
        : CloseOutcome.NoCloseFrame;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool Has(Flags any) => (_flags & any) != 0;

    // Sets event and, if no endpoint has started closing yet, records initiator as the one that did.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Set(Flags @event, CloseInitiator initiator)
    {
        Flags flags = _flags | @event;
        if ((flags & Flags.Initiator) == 0)
        {
            flags |= (Flags)((int)initiator << InitiatorShift);
            _closingStarted = CloseMetrics.Timestamp(); // closing starts now; the clock is read only for a listener
        }

        _flags = flags;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void ThrowIfClosed(string operation)
    {
        if (Has(Flags.Closed))
        {
            ThrowHelper.ThrowHandshakeMisuse(operation, "the transport is closed");
        }
    }

    private const int InitiatorShift = 5;

    [Flags]
    private enum Flags
    {
        Sent = 1,
        Received = 2,
        Failed = 4,
        TimedOut = 8,
        Closed = 16,

        // The CloseInitiator, two bits from InitiatorShift.
        Initiator = 3 << InitiatorShift,
    }
}
