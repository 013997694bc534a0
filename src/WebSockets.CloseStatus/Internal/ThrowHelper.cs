using System;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace WebSockets.CloseStatus.Internal;

/// <summary>Throws the exceptions for caller mistakes, so that the hot methods stay small.</summary>
internal static class ThrowHelper
{
    [DoesNotReturn]
    public static void ThrowCodeOutOfRange(int value, string paramName) =>
        throw new ArgumentOutOfRangeException(
            paramName,
            value,
            Format("The close status {0} does not fit in 16 bits (0–65535), so it is no WebSocket close code.", value));

    [DoesNotReturn]
    public static void ThrowNoStatusForError<TError>(TError error)
        where TError : struct, Enum =>
        throw new ArgumentOutOfRangeException(
            nameof(error),
            error,
            Convert.ToInt32(error, CultureInfo.InvariantCulture) == 0
                ? Format("{0}.None is no error, so there is no status to answer it with.", typeof(TError).Name)
                : Format("{0} is not a defined {1}.", Convert.ToInt32(error, CultureInfo.InvariantCulture), typeof(TError).Name));

    /// <summary>Throws for a status that must not be written, or for <see cref="WebSocketCloseStatus.Empty"/> with a reason.</summary>
    [DoesNotReturn]
    public static void ThrowUnsendableStatus(WebSocketCloseStatus status, string paramName)
    {
        int code = (int)status;
        string message = status switch
        {
            WebSocketCloseStatus.Empty =>
                "1005 (Empty) stands for a close frame without a status; it is written as an empty payload, which cannot carry a reason (RFC 6455 §7.1.5, §7.4.1).",
            WebSocketCloseStatus.AbnormalClosure or WebSocketCloseStatus.TlsHandshakeFailure =>
                Format("{0} ({1}) is reported locally and must not be sent in a close frame (RFC 6455 §7.4.1).", code, status),
            WebSocketCloseStatus.Reserved =>
                "1004 (Reserved) has no defined meaning and must not be sent in a close frame (RFC 6455 §7.4.1).",
            _ => status.GetRange() switch
            {
                CloseStatusRange.Unused => Format("{0} is in 0–999, which is not used, and must not be sent in a close frame (RFC 6455 §7.4.2).", code),
                CloseStatusRange.Protocol => Format("{0} is in 1016–2999, reserved for codes that future standards define, and none is registered for it (RFC 6455 §7.4.2).", code),
                _ => Format("{0} is above 4999, outside the close code ranges, and must not be sent in a close frame (RFC 6455 §7.4.2).", code),
            },
        };

        throw new ArgumentOutOfRangeException(paramName, status, message);
    }

    /// <summary>Throws for <see cref="WebSocketCloseStatus.Empty"/> given to System.Net, which would send it as the code 1005.</summary>
    [DoesNotReturn]
    public static void ThrowSystemNetEmpty(string paramName) =>
        throw new ArgumentOutOfRangeException(
            paramName,
            WebSocketCloseStatus.Empty,
            "1005 (Empty) must not be sent in a close frame (RFC 6455 §7.4.1), and System.Net's WebSocket would send it on the wire as the code 1005: it cannot send a close frame without a status. Close with 1000 (NormalClosure) instead.");

    [DoesNotReturn]
    public static void ThrowReasonTooLong(long byteCount, string paramName) =>
        throw new ArgumentException(
            Format("The reason is {0} bytes in UTF-8; a close frame holds at most {1} (RFC 6455 §5.5: 125 bytes less the 2-byte code). Shorten it, or ask for CloseReasonTruncation.", byteCount, ClosePayload.MaxReasonLength),
            paramName);

    [DoesNotReturn]
    public static void ThrowLoneSurrogate(ReadOnlySpan<char> reason, int index, string paramName) =>
        throw new ArgumentException(
            Format("The reason has a lone surrogate U+{0:X4} at index {1}; it cannot be encoded as UTF-8 (RFC 3629).", (int)reason[index], index),
            paramName);

    [DoesNotReturn]
    public static void ThrowInvalidUtf8(int index, string paramName) =>
        throw new ArgumentException(
            Format("The reason is not well-formed UTF-8 at byte index {0} (RFC 3629).", index),
            paramName);

    [DoesNotReturn]
    public static void ThrowUndefinedEnum<T>(T value, string paramName)
        where T : struct, Enum =>
        throw new ArgumentOutOfRangeException(paramName, value, Format("{0} is not a defined {1} value.", value, typeof(T).Name));

    /// <summary>Throws for a role that is neither <see cref="WebSocketRole.Client"/> nor <see cref="WebSocketRole.Server"/>, <see langword="default"/> included.</summary>
    [DoesNotReturn]
    public static void ThrowUndefinedRole(WebSocketRole role, string paramName) =>
        throw new ArgumentOutOfRangeException(
            paramName,
            role,
            Format(
                "{0} is not a WebSocketRole{1}; pass WebSocketRole.Client (1) or WebSocketRole.Server (2).",
                (int)role,
                role == 0 ? " (the value of default(WebSocketRole): a role left unset)" : ""));

    [DoesNotReturn]
    public static void ThrowNegative(int value, string paramName) =>
        throw new ArgumentOutOfRangeException(paramName, value, Format("{0} must not be negative; it was {1}.", paramName, value));

    [DoesNotReturn]
    public static void ThrowArgumentNull(string paramName) => throw new ArgumentNullException(paramName);

    [DoesNotReturn]
    public static void ThrowHandshakeMisuse(string operation, string why) =>
        throw new InvalidOperationException(Format("{0} cannot be called now: {1}.", operation, why));

    [DoesNotReturn]
    public static void ThrowNotCloseFrame(int opcode, string paramName) =>
        throw new ArgumentException(
            Format("The frame's opcode is 0x{0:X}, not close (0x8): the stack handles data and other control frames itself, and passes only close frames here.", opcode),
            paramName);

    [DoesNotReturn]
    public static void ThrowDestinationTooSmall(int length, string paramName) =>
        throw new ArgumentException(
            Format("The destination has {0} bytes, too few for this close frame; {1} bytes (CloseFrame.MaxLength) always suffice.", length, CloseFrame.MaxLength),
            paramName);

    [DoesNotReturn]
    public static void ThrowCloseTimeout(TimeSpan value, string paramName) =>
        throw new ArgumentOutOfRangeException(
            paramName,
            value,
            Format("The close timeout must be positive and at most Int32.MaxValue milliseconds (an infinite wait is what a bounded close prevents); it was {0} ms.", value.TotalMilliseconds));

    [DoesNotReturn]
    public static void ThrowNotApplicationCode(WebSocketCloseStatus status, string paramName) =>
        throw new ArgumentOutOfRangeException(
            paramName,
            (int)status,
            Format("Only an application's codes (3000–4999) can be declared; {0} is not one. The policy advises the protocol's codes itself.", (int)status));

    [DoesNotReturn]
    public static void ThrowReconnectDelay(TimeSpan value, bool zeroAllowed, string paramName) =>
        throw new ArgumentOutOfRangeException(
            paramName,
            value,
            Format("A reconnect delay must be {0} and at most Int32.MaxValue milliseconds, as Task.Delay waits; it was {1} ms.", zeroAllowed ? "zero or more" : "positive", value.TotalMilliseconds));

    [DoesNotReturn]
    public static void ThrowDrainTime(TimeSpan value, string paramName) =>
        throw new ArgumentOutOfRangeException(paramName, value, Format("A drain's window must be at least zero and its deadline positive, both at most Int32.MaxValue milliseconds; it was {0} ms.", value.TotalMilliseconds));

    [DoesNotReturn]
    public static void ThrowTrackedElsewhere() =>
        throw new InvalidOperationException("Another WebSocketDrain tracks this connection; one drain closes it.");

    [DoesNotReturn]
    public static void ThrowHandshakeTracked() =>
        throw new InvalidOperationException("A WebSocketDrain tracks this handshake already, until it reports the transport closed or its registration is disposed.");

    [DoesNotReturn]
    public static void ThrowSecondCloser() =>
        throw new InvalidOperationException(
            "This WebSocket already has a WebSocketCloser; a second would read beside the first. Close through the first (CloseGracefullyAsync does so by itself).");

    [DoesNotReturn]
    public static void ThrowReceiveMisuse(string why) =>
        throw new InvalidOperationException(
            Format("WebSocketCloser.ReceiveAsync cannot receive: {0}. One receive loop owns a connection's receives, one receive at a time.", why));

    private static string Format(string format, params object[] args) =>
        string.Format(CultureInfo.InvariantCulture, format, args);
}
