// The README's C# examples, verbatim, so that they compile; ReadmeTests checks that each README block stands here
// (or in tests/consumer/legacy) and runs them. A namespace outside WebSockets.* lets them use the names a user would.
using System;
using System.Buffers;
using WebSockets.CloseStatus;

namespace ReadmeSamples;

public static class Samples
{
    public static (bool Sendable, string Name, CloseStatusRange Range, bool BrowserOk, bool LocalOnly, bool Normal, WebSocketCloseStatus Parsed, WebSocketCloseStatus Code) QuickStart()
    {
        WebSocketCloseStatus status = WebSocketCloseStatus.TryAgainLater;
        bool sendable = status.IsValidOnWire();         // true: 1013 may be sent in a close frame
        string name = status.GetDescription();          // "Try Again Later" (the IANA name; no allocation)

        var app = (WebSocketCloseStatus)4001;           // application codes work by cast
        CloseStatusRange range = app.GetRange();        // CloseStatusRange.PrivateUse
        bool browserOk = app.IsValidForBrowserClose();  // true: a browser's WebSocket.close(4001) accepts it

        bool localOnly = WebSocketCloseStatus.AbnormalClosure.IsLocalOnly();  // true: 1006 is reported, never sent
        bool normal = WebSocketCloseStatus.Empty.IsNormal();                  // true: a close without a status is no error

        bool known = WebSocketCloseStatusExtensions.TryParse("going-away", out WebSocketCloseStatus parsed);  // true: 1001, by any name
        WebSocketCloseStatus code = WebSocketCloseStatusExtensions.FromCode(4001);  // a cast that throws outside 0–65535
        return (sendable && known, name, range, browserOk, localOnly, normal, parsed, code);
    }

    public static (CloseFrameError Error, WebSocketCloseStatus Status, int ReasonLength) ReadPayload(ReadOnlySpan<byte> payload)
    {
        // payload: the unmasked application data of a received close frame
        CloseFrameError error = ClosePayload.ReadUtf8(payload, out WebSocketCloseStatus status, out ReadOnlySpan<byte> utf8Reason);
        if (error != CloseFrameError.None)
        {
            // 1002 for a malformed length or code, 1007 for a reason that is not UTF-8 (RFC 6455 §7.1.7, §8.1)
            WebSocketCloseStatus answer = error.ToCloseStatus();
            // ... send a close frame with `answer` and fail the connection
        }
        else
        {
            // status is Empty (1005) when the peer sent no code; echo it back as an empty payload
        }

        return error == CloseFrameError.None ? (error, status, utf8Reason.Length) : (error, error.ToCloseStatus(), 0);
    }

    public static (byte[] NoReason, byte[] Payload, int Size) Write()
    {
        Span<byte> buffer = stackalloc byte[ClosePayload.MaxLength];
        if (ClosePayload.TryWrite(buffer, WebSocketCloseStatus.NormalClosure, "bye", out int written))
        {
            // buffer[..written] is 03 E8 62 79 65
        }

        ClosePayload.TryWrite(buffer, WebSocketCloseStatus.NormalClosure, null, out written);   // no reason: 03 E8
        byte[] payload = ClosePayload.Create(WebSocketCloseStatus.PolicyViolation, "not allowed");
        int size = ClosePayload.GetByteCount(WebSocketCloseStatus.NormalClosure, "bye");  // 5
        return (buffer[..written].ToArray(), payload, size);
    }

    public static (int Length, byte[] Written, string Reason) Truncate(Span<byte> buffer, Exception exception)
    {
        ClosePayload.TryWrite(buffer, WebSocketCloseStatus.InternalServerError, exception.Message, out int length,
            CloseReasonTruncation.TruncateWithEllipsis);

        string reason = ClosePayload.TruncateReason(exception.Message, CloseReasonTruncation.TruncateWithEllipsis);
        return (length, buffer[..length].ToArray(), reason);
    }
}
