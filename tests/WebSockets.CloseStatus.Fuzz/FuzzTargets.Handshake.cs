using System;
using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace WebSockets.CloseStatus.Fuzz;

public static partial class FuzzTargets
{
    // Reasons are built from whole scalars of 1–4 bytes, so that every written reason is valid: the writers' contract
    // is the write target's; this one is about the states.
    private static readonly string[] s_scalars = ["a", "é", "Ж", "世", "😀", " "];

    // Codes a stack may fail with (§7.4.1, §7.4.2, the IANA registry), and codes it must not send, which Fail refuses.
    private static readonly int[] s_failureCodes = [1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014, 3000, 4999, 1004, 1005, 1006, 1015, 999, 1016, 2999, 5000, 0, 65535];

    // Reasons a stack may fail with, and two Fail refuses (124 bytes, a lone surrogate); the byte that picks the code picks one.
    private static readonly string?[] s_failureReasons = [null, "", "é", "policy 😀", new string('a', ClosePayload.MaxReasonLength), new string('a', ClosePayload.MaxReasonLength + 1), "a\uD800"];

    /// <summary>
    /// The closing handshake: the input is a role, a read mode and a script of events (writes, close frames or payloads of any
    /// bytes, delivered whole, in segments or piece by piece as a stream reader hands them over, failures, timeouts, transport
    /// closes, resets). After every event CloseHandshake must agree with HandshakeModel on every property; it throws only the
    /// documented exceptions, exactly when the model says the call is the stack's mistake; peer bytes never throw, and once
    /// the peer's close arrived, the connection failed or the transport closed they are discarded whole; and every frame it
    /// writes carries the code the model expects, masked exactly when it is a client.
    /// </summary>
    public static void Handshake(byte[] data)
    {
        if (data.Length == 0)
        {
            return;
        }

        WebSocketRole role = (data[0] & 1) == 0 ? WebSocketRole.Server : WebSocketRole.Client;
        bool lenient = (data[0] & 2) != 0;
        var handshake = new CloseHandshake(role, lenient ? ClosePayloadReadMode.Lenient : ClosePayloadReadMode.Strict);
        var model = new HandshakeModel(role, lenient);
        byte[] destination = new byte[CloseFrame.MaxLength];
        int at = 1;
        while (at < data.Length)
        {
            byte op = data[at++];
            switch (op % 8)
            {
                case 0:
                    WriteWithStatus(handshake, model, destination, data, ref at);
                    break;

                case 1:
                {
                    bool allowed = !model.Closed && !model.Sent && (model.Received || model.Failed);
                    int expected = model.DueCode;
                    string reason = model.DueReason;
                    CloseHandshakeAction returned = default;
                    if (Expect<InvalidOperationException>(allowed, () => { returned = handshake.WriteClose(destination, out int n); return n; }, out int written))
                    {
                        CheckWritten(destination.AsSpan(0, written), role, expected == 1005 ? null : expected, "the due close", reason);
                        model.Send(expected);
                        CheckReturned(handshake, returned, "the due close");
                    }

                    break;
                }

                case 2 or 3:
                {
                    int length = at < data.Length ? data[at++] : 0;
                    byte[] bytes = data.AsSpan(at, Math.Min(length, data.Length - at)).ToArray();
                    at += bytes.Length;
                    if (op % 8 == 2 && (op & 16) != 0)
                    {
                        ReceiveInPieces(handshake, model, bytes, data, ref at, sequence: (op & 8) != 0);
                    }
                    else
                    {
                        Receive(handshake, model, bytes, frame: op % 8 == 2, sequence: (op & 8) != 0);
                    }

                    break;
                }

                case 4:
                {
                    // One byte picks the code, so that a failure with a code that may be sent is a likely mutation, and the reason.
                    int pick = at < data.Length ? data[at++] : 0;
                    int code = s_failureCodes[pick % s_failureCodes.Length];
                    string? reason = s_failureReasons[pick / s_failureCodes.Length % s_failureReasons.Length];
                    CloseHandshakeAction returned = default;
                    Func<int> fail = () => { returned = handshake.Fail((WebSocketCloseStatus)code, reason); return 0; };
                    if (!HandshakeModel.Sendable(code))
                    {
                        Expect<ArgumentOutOfRangeException>(false, fail, out _);
                    }
                    else if (reason is not null && (Encoding.UTF8.GetByteCount(reason) > ClosePayload.MaxReasonLength || reason.Contains('\uD800', StringComparison.Ordinal)))
                    {
                        // Checked at the call, in every state: the reason could never be sent.
                        Expect<ArgumentException>(false, fail, out _);
                    }
                    else
                    {
                        // Never a mistake with a code and reason that may be sent: after a failure or the transport's close it changes nothing.
                        Expect<InvalidOperationException>(true, fail, out _);
                        model.Fail(code, CloseFrameError.None, reason);
                        CheckReturned(handshake, returned, "Fail");
                    }

                    break;
                }

                case 5:
                    handshake.ReportTransportClosed();
                    model.Close();
                    break;

                case 6:
                {
                    CloseHandshakeAction returned = default;
                    if (Expect<InvalidOperationException>(model.CanTimeOut, () => { returned = handshake.ReportTimeout(); return 0; }, out _))
                    {
                        model.Timeout();
                        CheckReturned(handshake, returned, "ReportTimeout");
                    }

                    break;
                }

                default:
                    handshake.Reset();
                    model = new HandshakeModel(role, lenient);
                    break;
            }

            Compare(handshake, model, op);
        }
    }

    private static void WriteWithStatus(CloseHandshake handshake, HandshakeModel model, byte[] destination, byte[] data, ref int at)
    {
        int code = Take16(data, ref at);
        var reason = new StringBuilder();
        int scalars = at < data.Length ? data[at++] % 48 : 0;
        for (int i = 0; i < scalars && at < data.Length; i++)
        {
            reason.Append(s_scalars[data[at++] % s_scalars.Length]);
        }

        string text = reason.ToString();
        int bytes = Encoding.UTF8.GetByteCount(text);
        var truncation = (CloseReasonTruncation)((at < data.Length ? data[at++] : 0) % 3);
        bool asUtf8 = (code & 1) == 0;
        CloseHandshakeAction returned = default;
        Func<int> write = asUtf8
            ? () => { returned = handshake.WriteCloseUtf8(destination, (WebSocketCloseStatus)code, Encoding.UTF8.GetBytes(text), out int n, truncation); return n; }
            : () => { returned = handshake.WriteClose(destination, (WebSocketCloseStatus)code, text, out int n, truncation); return n; };

        if (model.Closed || model.Sent)
        {
            Expect<InvalidOperationException>(false, () => write(), out _);
        }
        else if (code == 1005 ? bytes > 0 : !HandshakeModel.Sendable(code) || (bytes > ClosePayload.MaxReasonLength && truncation == CloseReasonTruncation.None))
        {
            Expect<ArgumentException>(false, () => write(), out _);
        }
        else
        {
            int written = write();
            CheckWritten(destination.AsSpan(0, written), handshake.Role, code == 1005 ? null : code, $"a close with {code}");
            model.Send(code);
            CheckReturned(handshake, returned, $"a close with {code}");
        }
    }

    /// <summary>
    /// Peer bytes as a stream reader hands them over: pieces of any size (from the script) are appended to a buffer, which is
    /// handed over after each piece, and advanced by what the handshake consumed, as a <c>PipeReader</c> loop does.
    /// </summary>
    private static void ReceiveInPieces(CloseHandshake handshake, HandshakeModel model, byte[] bytes, byte[] data, ref int at, bool sequence)
    {
        int start = 0;
        int end = 0;
        do
        {
            end = Math.Min(bytes.Length, end + (at < data.Length ? data[at++] % 9 : bytes.Length));
            start += Receive(handshake, model, bytes[start..end], frame: true, sequence);
        }
        while (end < bytes.Length);
    }

    /// <summary>One delivery of peer bytes; returns the bytes consumed.</summary>
    private static int Receive(CloseHandshake handshake, HandshakeModel model, byte[] bytes, bool frame, bool sequence)
    {
        // What the peer's bytes are, by the readers the frame and payload targets check.
        ClosePayloadReadMode mode = model.Lenient ? ClosePayloadReadMode.Lenient : ClosePayloadReadMode.Strict;
        OperationStatus expected;
        CloseFrameError error;
        WebSocketCloseStatus status;
        byte[] reason;
        if (frame)
        {
            byte[] unmasked = new byte[ClosePayload.MaxLength];
            expected = CloseFrame.Read(bytes, model.Role, unmasked, out CloseFrameReadResult result, mode);
            (error, status, reason) = (result.Error, result.Status, unmasked.AsSpan(result.ReasonOffset, result.ReasonLength).ToArray());
        }
        else
        {
            CloseFrameError payloadError = ClosePayload.ReadUtf8(bytes, out status, out ReadOnlySpan<byte> utf8Reason, mode);
            expected = payloadError == CloseFrameError.None ? OperationStatus.Done : OperationStatus.InvalidData;
            error = payloadError;
            reason = utf8Reason.ToArray();
        }

        int consumed = 0;
        CloseHandshakeAction before = handshake.Action;
        CloseHandshakeAction actual = default;
        Func<CloseHandshakeAction> receive = !frame ? () => handshake.ReceiveClose(bytes)
            : sequence ? () => handshake.ReceiveCloseFrame(Split(bytes), out consumed)
            : () => handshake.ReceiveCloseFrame(bytes, out consumed);

        if (model.CanReceive && expected == OperationStatus.InvalidData && error == CloseFrameError.NotCloseFrame)
        {
            // The stack's own mistake: it hands over a frame of another opcode while the peer is read.
            Expect<ArgumentException>(false, () => { receive(); return 0; }, out _);
            return 0;
        }

        try
        {
            actual = receive();
        }
        catch (Exception e)
        {
            throw new FuzzFailureException($"peer bytes {Convert.ToHexString(bytes)} threw {e.GetType().Name}: {e.Message}");
        }

        if (!model.CanReceive)
        {
            // §5.5.1, §7.1.7: nothing more is read from the peer; its bytes are discarded whole, and the action stays.
            Check(actual == before && consumed == (frame ? bytes.Length : 0), $"discarded bytes {Convert.ToHexString(bytes)}: {actual}, {consumed} consumed");
            return consumed;
        }

        // Bytes consumed: the frame's length once read, all of them once malformed (the connection failed), 0 for half a frame.
        int expectedConsumed = !frame ? 0
            : expected == OperationStatus.Done ? bytes.Length - TrailingAfterFrame(bytes, model.Role)
            : expected == OperationStatus.InvalidData ? bytes.Length
            : 0;
        Check(consumed == expectedConsumed, $"{consumed} bytes consumed after {expected}, not {expectedConsumed}");
        Check(expected != OperationStatus.NeedMoreData || actual == before, $"half a frame changed the action from {before} to {actual}");
        if (expected == OperationStatus.Done)
        {
            model.Receive((int)status, reason);
        }
        else if (expected == OperationStatus.InvalidData)
        {
            // §7.1.7: a malformed close fails the connection with 1002, or 1007 for a reason that is not UTF-8.
            model.Fail(error == CloseFrameError.InvalidUtf8 ? 1007 : 1002, error, null);
        }

        CheckReturned(handshake, actual, $"peer bytes {Convert.ToHexString(bytes)}");
        return consumed;
    }

    /// <summary>Bytes after a whole frame, which a frame read ignores (§5.2: the length is in the second byte).</summary>
    private static int TrailingAfterFrame(byte[] frame, WebSocketRole role) =>
        frame.Length - (2 + (role == WebSocketRole.Server ? 4 : 0) + (frame[1] & 0x7F));

    private static void Compare(CloseHandshake handshake, HandshakeModel model, byte op)
    {
        string where = $"after op 0x{op:X2}";
        Check(handshake.State == model.State, $"{where}: state {handshake.State}, the model {model.State}");
        Check(handshake.Action == model.Action, $"{where}: action {handshake.Action}, the model {model.Action}");
        Check(handshake.CanSendData == model.CanSend && handshake.CanReceiveData == model.CanReceive, $"{where}: CanSendData/CanReceiveData");
        Check(handshake.IsCloseSent == model.Sent && handshake.IsCloseReceived == model.Received, $"{where}: IsCloseSent/IsCloseReceived");
        Check((int?)handshake.CloseStatus == model.CloseCode, $"{where}: close status {(int?)handshake.CloseStatus}, the model {model.CloseCode} (§7.1.5)");
        Check(handshake.Utf8CloseStatusDescription.SequenceEqual(model.Received ? model.Reason : []), $"{where}: the close reason (§7.1.6)");
        Check(handshake.CloseStatusDescription == Encoding.UTF8.GetString(model.Received ? model.Reason : []), $"{where}: the decoded close reason (§7.1.6)");
        Check(handshake.WasClean == model.WasClean, $"{where}: wasClean {handshake.WasClean} (§7.1.4)");
        Check(handshake.Initiator == model.Initiator, $"{where}: initiator {handshake.Initiator}, the model {model.Initiator}");
        Check((int?)handshake.SentStatus == (model.Sent ? model.SentCode : null), $"{where}: sent status");
        Check((int?)handshake.FailureStatus == (model.Failed ? model.FailureCode : null) && handshake.PeerCloseError == model.PeerError, $"{where}: failure");
    }

    /// <summary>An event's or a write's result: the action now due, which <see cref="Compare"/> then checks against the model's.</summary>
    private static void CheckReturned(CloseHandshake handshake, CloseHandshakeAction returned, string what) =>
        Check(returned == handshake.Action, $"{what} returned {returned}, but {handshake.Action} is due");

    /// <summary>A written frame: FIN and close, masked exactly by a client, with <paramref name="code"/> (null: no payload), and <paramref name="reason"/> when given.</summary>
    private static void CheckWritten(ReadOnlySpan<byte> frame, WebSocketRole role, int? code, string what, string? reason = null)
    {
        bool masked = role == WebSocketRole.Client;
        Check(frame.Length >= 2 && frame[0] == 0x88 && ((frame[1] & 0x80) != 0) == masked, $"{what}: header {Convert.ToHexString(frame)}");
        int header = masked ? 6 : 2;
        int length = frame[1] & 0x7F;
        Check(frame.Length == header + length && length <= ClosePayload.MaxLength, $"{what}: length {length} in a {frame.Length}-byte frame");
        byte[] payload = frame.Slice(header).ToArray();
        if (masked)
        {
            for (int i = 0; i < payload.Length; i++)
            {
                payload[i] ^= frame[2 + (i % 4)];
            }
        }

        Check(code is null ? payload.Length == 0 : payload.Length >= 2 && BinaryPrimitives.ReadUInt16BigEndian(payload) == code,
            $"{what}: payload {Convert.ToHexString(payload)}");
        Check(payload.Length <= 2 || Encoding.UTF8.GetString(payload, 2, payload.Length - 2).Length > 0, $"{what}: reason");
        Check(reason is null || code is null || payload.AsSpan(2).SequenceEqual(Encoding.UTF8.GetBytes(reason)), $"{what}: reason {Convert.ToHexString(payload)}, not \"{reason}\"");
    }

    /// <summary>Runs <paramref name="call"/>: it must succeed when <paramref name="allowed"/>, else throw <typeparamref name="TException"/> (or a subclass), and nothing else.</summary>
    private static bool Expect<TException>(bool allowed, Func<int> call, out int result)
        where TException : Exception
    {
        result = 0;
        try
        {
            result = call();
        }
        catch (TException e) when (!allowed)
        {
            Check(e.Message.Length > 0, "an exception without a message");
            return false;
        }
        catch (Exception e)
        {
            throw new FuzzFailureException($"{(allowed ? "an allowed call" : "a mistake")} threw {e.GetType().Name}: {e.Message}");
        }

        Check(allowed, $"a call that must throw {typeof(TException).Name} returned");
        return true;
    }

    private static bool Expect<TException>(bool allowed, Action call, out int result)
        where TException : Exception =>
        Expect<TException>(allowed, () => { call(); return 0; }, out result);

    private static int Take16(byte[] data, ref int at)
    {
        int high = at < data.Length ? data[at++] : 0;
        int low = at < data.Length ? data[at++] : 0;
        return high << 8 | low;
    }
}
