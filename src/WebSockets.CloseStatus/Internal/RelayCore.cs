using System;
using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace WebSockets.CloseStatus.Internal;

/// <summary>
/// The close tracking of a byte-copying WebSocket relay, without I/O: the pump hands over the bytes each side sent and
/// reports the end of each side's stream and its timers; each call says which bytes to forward verbatim, which close frame
/// to send, and what to do with each side's TCP connection. Frames are tracked by their RFC 6455 §5.2 headers only;
/// data is never re-framed. One instance per proxied connection, one thread at a time.
/// </summary>
/// <remarks>
/// Leg 0 is the client's connection, on which the proxy is the server (it reads masked frames and writes unmasked
/// ones); leg 1 is the backend's, on which the proxy is the client. Bytes read from a leg go to the other leg.
/// </remarks>
internal sealed class RelayCore
{
    public const int Client = 0;
    public const int Backend = 1;

    private const int MinHeaderLength = 2;
    private const byte CloseOpcode = 0x8;

    private readonly Leg[] _legs = new Leg[2];
    private readonly byte[] _reasons = new byte[2 * ClosePayload.MaxLength];
    private bool _closing;
    private WebSocketCloseStatus _closeStatus;
    private string? _closeReason;

    /// <summary>Gets the proxy's role on <paramref name="leg"/>: the server toward the client, the client toward the backend.</summary>
    public static WebSocketRole RoleOf(int leg) => leg == Client ? WebSocketRole.Server : WebSocketRole.Client;

    /// <summary>Takes bytes that arrived from <paramref name="from"/>, up to the next event: a close frame, a close of the proxy's that is due, or bytes that do not yet make a whole header or close frame.</summary>
    /// <param name="from">The leg the bytes came from.</param>
    /// <param name="source">The bytes not yet taken, in order; any bytes.</param>
    /// <param name="destination">Receives a close frame to send to the other leg after the forwarded bytes; <see cref="CloseFrame.MaxLength"/> bytes.</param>
    /// <returns>
    /// Forward <c>source[..BytesForwarded]</c> to the other leg, then <c>destination[..CloseLength]</c>; the bytes up to
    /// <see cref="RelayStep.BytesConsumed"/> are taken (those past the forwarded ones are dropped). Nothing taken and no close
    /// means: keep the bytes and read more.
    /// </returns>
    public RelayStep Scan(int from, ReadOnlySpan<byte> source, Span<byte> destination)
    {
        ref Leg leg = ref _legs[from];
        ref Leg other = ref _legs[1 - from];
        bool forwarding = !other.Sent && !other.Closed;
        int position = 0;
        int forwarded = 0;
        while (!leg.Received && !leg.Closed)
        {
            if (leg.Remaining > 0)
            {
                // The rest of a data or control frame's payload, as far as it has arrived.
                int length = (int)Math.Min(leg.Remaining, (ulong)(source.Length - position));
                if (length == 0)
                {
                    return new RelayStep(forwarded, position, 0);
                }

                leg.Remaining -= (ulong)length;
                position += length;
                forwarded = forwarding ? position : 0;
                continue;
            }

            // A frame boundary of the stream to the other leg: where a close of the proxy's goes (§5.4 allows control
            // frames between the fragments of a message).
            if (other.Pending)
            {
                return new RelayStep(forwarded, position, WriteOwnClose(1 - from, destination));
            }

            ReadOnlySpan<byte> frame = source.Slice(position);
            if (frame.IsEmpty)
            {
                break;
            }

            if ((frame[0] & 0x0F) == CloseOpcode)
            {
                OperationStatus status = CloseFrame.Read(frame, RoleOf(from), _reasons.AsSpan(from * ClosePayload.MaxLength, ClosePayload.MaxLength), out CloseFrameReadResult result);
                if (status == OperationStatus.NeedMoreData)
                {
                    break;
                }

                // Well formed or not, nothing after a side's close is relayed (§5.5.1, §7.1.7).
                leg.Received = true;
                leg.Valid = status == OperationStatus.Done;
                leg.ReceivedStatus = result.Status;
                leg.ReasonLength = result.ReasonLength;
                leg.Initiate(CloseInitiator.Remote);
                if (!forwarding)
                {
                    // The other leg has its close already: this one is the reply to the close sent on this leg.
                    return new RelayStep(forwarded, source.Length, 0);
                }

                if (leg.Valid)
                {
                    other.Send(result.Status);
                    return new RelayStep(position + result.BytesConsumed, source.Length, 0);
                }

                // A malformed close becomes 1002 toward the other side.
                bool written = CloseFrame.TryWriteUtf8(destination, RoleOf(1 - from), WebSocketCloseStatus.ProtocolError, CloseRelay.Malformed, out int closeLength);
                System.Diagnostics.Debug.Assert(written, "CloseFrame.MaxLength bytes hold any close frame.");
                other.Send(WebSocketCloseStatus.ProtocolError);
                return new RelayStep(forwarded, source.Length, closeLength);
            }

            // Any other frame: its header whole (2 to 14 bytes, §5.2), then its payload as it comes.
            if (frame.Length < MinHeaderLength)
            {
                break;
            }

            int lengthField = frame[1] & 0x7F;
            int headerLength = MinHeaderLength + (lengthField == 126 ? 2 : lengthField == 127 ? 8 : 0) + ((frame[1] & 0x80) != 0 ? 4 : 0);
            if (frame.Length < headerLength)
            {
                break;
            }

            leg.Remaining = lengthField switch
            {
                126 => BinaryPrimitives.ReadUInt16BigEndian(frame.Slice(MinHeaderLength)),
                127 => BinaryPrimitives.ReadUInt64BigEndian(frame.Slice(MinHeaderLength)),
                _ => (ulong)lengthField,
            };
            position += headerLength;
            forwarded = forwarding ? position : 0;
        }

        // After a side's close or once it is closed, what it still sends is dropped whole.
        return new RelayStep(forwarded, leg.Received || leg.Closed ? source.Length : position, 0);
    }

    /// <summary>The proxy closes both sides with its own close: the client's at the next frame boundary of the stream to it, unmasked; the backend's likewise, masked with a fresh key.</summary>
    /// <remarks>The caller has checked the status and reason. A side that has its close already, or is closed, gets none; a second call changes nothing.</remarks>
    public void Close(WebSocketCloseStatus status, string? reason)
    {
        if (_closing)
        {
            return;
        }

        _closing = true;
        _closeStatus = status;
        _closeReason = reason;
        for (int leg = Client; leg <= Backend; leg++)
        {
            if (!_legs[leg].Sent && !_legs[leg].Closed)
            {
                _legs[leg].Pending = true;
                _legs[leg].Initiate(CloseInitiator.Local);
            }
        }
    }

    /// <summary>Writes the proxy's close to <paramref name="to"/> if it is due and the stream to it is at a frame boundary; 0 if not.</summary>
    public int WriteDueClose(int to, Span<byte> destination) =>
        _legs[to].Pending && _legs[1 - to].Remaining == 0 ? WriteOwnClose(to, destination) : 0;

    /// <summary>Reports that <paramref name="leg"/>'s stream ended (end of stream, a reset, or the proxy closed it); returns the length of a close to send to the other leg, written to <paramref name="destination"/>, or 0. A second report changes nothing.</summary>
    /// <remarks>
    /// A side that ended without a close frame gets the other side 1001 (<see cref="CloseRelay"/>'s mapping of 1006), or the proxy's own
    /// close if one is due. If it ended in the middle of a frame, no close can follow on the other side's stream: that side's TCP
    /// connection is closed instead (<see cref="CloseHandshakeAction.CloseTransport"/>).
    /// </remarks>
    public int ReportTransportClosed(int leg, Span<byte> destination)
    {
        ref Leg self = ref _legs[leg];
        ref Leg other = ref _legs[1 - leg];
        self.Closed = true;
        self.Pending = false;
        if (other.Sent || other.Closed)
        {
            return 0;
        }

        if (self.Remaining > 0)
        {
            other.Stuck = true;
            return 0;
        }

        if (other.Pending)
        {
            return WriteOwnClose(1 - leg, destination);
        }

        bool written = CloseFrame.TryWrite(destination, RoleOf(1 - leg), WebSocketCloseStatus.EndpointUnavailable, CloseRelay.GetOwnReason(WebSocketCloseStatus.AbnormalClosure), out int length);
        System.Diagnostics.Debug.Assert(written, "CloseFrame.MaxLength bytes hold any close frame.");
        other.Send(WebSocketCloseStatus.EndpointUnavailable);
        return length;
    }

    /// <summary>Reports that <paramref name="leg"/>'s timer ran out while the action was <see cref="CloseHandshakeAction.AwaitClose"/> or <see cref="CloseHandshakeAction.AwaitTransportClose"/>; its TCP connection is closed next.</summary>
    public void ReportTimeout(int leg)
    {
        if (GetAction(leg) is CloseHandshakeAction.AwaitClose or CloseHandshakeAction.AwaitTransportClose)
        {
            _legs[leg].TimedOut = true;
        }
    }

    /// <summary>Gets what the pump does with <paramref name="leg"/>'s TCP connection: <see cref="CloseHandshakeAction.None"/> (relay on, or done once it is closed), <see cref="CloseHandshakeAction.AwaitClose"/> and <see cref="CloseHandshakeAction.AwaitTransportClose"/> (with a timer), or <see cref="CloseHandshakeAction.CloseTransport"/>.</summary>
    public CloseHandshakeAction GetAction(int leg)
    {
        Leg self = _legs[leg];
        if (self.Closed)
        {
            return CloseHandshakeAction.None;
        }

        if (self.TimedOut || self.Stuck)
        {
            return CloseHandshakeAction.CloseTransport;
        }

        if (!self.Sent)
        {
            // A close of the proxy's waits for a frame boundary, within the timer.
            return self.Pending ? CloseHandshakeAction.AwaitClose : CloseHandshakeAction.None;
        }

        if (!self.Received)
        {
            return CloseHandshakeAction.AwaitClose;
        }

        // Close frames went both ways: the server ends TCP (§7.1.1), as does either side after a malformed close (§7.1.7).
        return self.Valid && leg == Backend ? CloseHandshakeAction.AwaitTransportClose : CloseHandshakeAction.CloseTransport;
    }

    /// <summary>Gets whether a close went to <paramref name="leg"/>.</summary>
    public bool IsCloseSent(int leg) => _legs[leg].Sent;

    /// <summary>Gets the result of <paramref name="leg"/>, as far as it is known.</summary>
    public WebSocketCloseResult GetResult(int leg, Exception? exception)
    {
        Leg self = _legs[leg];
        bool clean = self.Sent && self.Received && self.Valid && self.Closed;
        return new WebSocketCloseResult(
            self.Received && self.Valid ? self.ReceivedStatus : WebSocketCloseStatus.AbnormalClosure,
            Encoding.UTF8.GetString(_reasons, leg * ClosePayload.MaxLength, self.ReasonLength), // 0 bytes unless a well-formed close had a reason
            clean,
            self.Initiator,
            self.TimedOut && !self.Received,
            !clean,
            self.Sent ? self.SentStatus : null,
            exception);
    }

    private int WriteOwnClose(int to, Span<byte> destination)
    {
        bool written = CloseFrame.TryWrite(destination, RoleOf(to), _closeStatus, _closeReason, out int length);
        System.Diagnostics.Debug.Assert(written, "CloseFrame.MaxLength bytes hold any close frame.");
        _legs[to].Pending = false;
        _legs[to].Send(_closeStatus);
        return length;
    }

    private struct Leg
    {
        public ulong Remaining;      // payload bytes still to come of the frame being read from this leg
        public bool Received;        // a close frame, well formed or not, arrived from this leg
        public bool Valid;           // with Received: it was well formed
        public WebSocketCloseStatus ReceivedStatus;
        public int ReasonLength;
        public bool Sent;            // a close went to this leg
        public WebSocketCloseStatus SentStatus;
        public bool Pending;         // the proxy's own close waits for a frame boundary of the stream to this leg
        public bool Stuck;           // the stream to this leg ended inside a frame: no close can follow
        public bool TimedOut;
        public bool Closed;
        public CloseInitiator Initiator;

        public void Initiate(CloseInitiator initiator)
        {
            if (Initiator == CloseInitiator.None)
            {
                Initiator = initiator;
            }
        }

        public void Send(WebSocketCloseStatus status)
        {
            Sent = true;
            SentStatus = status;
            Initiate(CloseInitiator.Local);
        }
    }
}
