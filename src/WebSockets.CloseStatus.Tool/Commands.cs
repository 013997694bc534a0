using System;
using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace WebSockets.CloseStatus.Tool;

/// <summary>The work of each command, one input at a time; the command line is wired up in <see cref="Cli"/>.</summary>
internal static class Commands
{
    public static Result Explain(string input)
    {
        if (!Input.TryParseCode(input, out WebSocketCloseStatus status, out string error))
        {
            return Usage(error);
        }

        int code = (int)status;
        CodeNotes? notes = CodeNotes.For(code);
        string? name = MemberName(status);
        string wire = WireText(status);
        string range = RangeText(status);
        var text = new StringBuilder()
            .Append(code.ToString(CultureInfo.InvariantCulture)).Append(name is null ? "" : " " + name).Append(": ").AppendLine(status.GetDescription())
            .Append("  range:       ").AppendLine(range)
            .Append("  on the wire: ").AppendLine(wire)
            .Append("  normal end:  ").AppendLine(status.IsNormal() ? "yes" : "no")
            .Append("  browser:     ").AppendLine(status.IsValidForBrowserClose() ? "WebSocket.close() accepts it" : "WebSocket.close() throws InvalidAccessError for it");
        if (notes is not null)
        {
            text.Append("  Windows:     ").AppendLine(notes.WindowsName ?? "-")
                .Append("  System.Net:  ").AppendLine(notes.SystemNetName ?? "-")
                .Append("  sent by:     ").AppendLine(notes.SentBy)
                .Append("  check:       ").AppendLine(notes.Check);
        }
        else
        {
            text.Append("  sent by:     ").AppendLine(RangeSender(status));
        }

        string line = $"{code} {name ?? "-"} \"{status.GetDescription()}\" {ShortWire(status)}";
        string json = Json.Object(w => WriteCode(w, status));

        // explain answers "what does this code mean": any 16-bit code has an answer, so it exits 0; whether the code
        // may be sent is part of the answer ("on the wire", or validOnWire in JSON), not of the exit code.
        return new Result(Result.Valid, text.ToString().TrimEnd(), line, json);
    }

    public static Result List()
    {
        var text = new StringBuilder();
        text.AppendLine("code  member               IANA name                   on the wire  Windows / System.Net");
        for (int code = 1000; code <= 1015; code++)
        {
            var status = (WebSocketCloseStatus)code;
            CodeNotes notes = CodeNotes.For(code)!;
            text.Append(code.ToString(CultureInfo.InvariantCulture)).Append("  ")
                .Append(MemberName(status)!.PadRight(21))
                .Append(status.GetDescription().PadRight(28))
                .Append(ShortWire(status).PadRight(13))
                .Append(notes.WindowsName ?? "-").Append(" / ").AppendLine(notes.SystemNetName ?? "-");
        }

        text.AppendLine()
            .AppendLine("range       meaning                                                on the wire")
            .AppendLine("0-999       not used                                               no")
            .AppendLine("1000-2999   RFC 6455 and its extensions (1016-2999 unassigned)     only the codes above")
            .AppendLine("3000-3999   registered with IANA: libraries, frameworks, apps      yes")
            .AppendLine("4000-4999   private use                                            yes")
            .Append("5000-65535  outside the RFC 6455 ranges                            no");

        string json = Json.Array(w =>
        {
            for (int code = 1000; code <= 1015; code++)
            {
                w.WriteStartObject();
                WriteCode(w, (WebSocketCloseStatus)code);
                w.WriteEndObject();
            }
        });
        return new Result(Result.Valid, text.ToString(), text.ToString(), json);
    }

    public static Result Decode(string input, bool frame)
    {
        if (!Input.TryParseHex(input, out byte[] bytes, out string error))
        {
            return Usage(error);
        }

        return frame ? DecodeFrame(bytes) : DecodePayload(bytes);
    }

    public static Result Encode(string codeText, string? reason, bool frame, string? mask, bool randomMask, bool truncate)
    {
        if (!Input.TryParseCode(codeText, out WebSocketCloseStatus status, out string error))
        {
            return Usage(error);
        }

        uint key = 0;
        if (mask is not null && randomMask)
        {
            return Usage("--mask and --random-mask exclude each other.");
        }

        if (mask is not null && !Input.TryParseMask(mask, out key, out error))
        {
            return Usage(error);
        }

        bool masked = mask is not null || randomMask;
        if (randomMask)
        {
            key = BitConverter.ToUInt32(RandomNumberGenerator.GetBytes(4));
        }

        CloseReasonTruncation truncation = truncate ? CloseReasonTruncation.TruncateWithEllipsis : CloseReasonTruncation.None;
        byte[] buffer = new byte[CloseFrame.MaxLength];
        int written;
        int dropped;
        try
        {
            ClosePayload.TryWrite(buffer, status, reason, out written, truncation);

            // The reason written is the one TruncateReason returns: the same string when it fits, else a prefix and "…".
            string kept = reason is null ? "" : ClosePayload.TruncateReason(reason, truncation);
            dropped = reason is null || ReferenceEquals(kept, reason) ? 0 : reason.Length - (kept.Length - 1);
        }
        catch (ArgumentException e)
        {
            // The library names its own option; the tool's is --truncate.
            string message = e.Message.Contains(nameof(CloseReasonTruncation), StringComparison.Ordinal)
                ? $"the reason is {Encoding.UTF8.GetByteCount(reason!)} bytes in UTF-8; a close frame holds at most {ClosePayload.MaxReasonLength}. Shorten it, or pass --truncate."
                : Message(e);
            return NotValid(message, Json.Object(w =>
            {
                w.WriteBoolean("valid", false);
                w.WriteNumber("status", (int)status);
                w.WriteString("error", message);
            }));
        }

        byte[] output = buffer[..written];
        if (frame || masked)
        {
            // The payload is known good; the frame adds the header and, for a client, the masking key.
            byte[] frameBytes = new byte[CloseFrame.MaxLength];
            int frameLength;
            if (masked)
            {
                CloseFrame.TryWriteMaskedUtf8(frameBytes, key, status, output.AsSpan(2 <= output.Length ? 2 : 0), out frameLength);
            }
            else
            {
                CloseFrame.TryWriteUtf8(frameBytes, WebSocketRole.Server, status, output.AsSpan(2 <= output.Length ? 2 : 0), out frameLength);
            }

            output = frameBytes[..frameLength];
        }

        string hex = Input.ToHex(output);
        // An empty payload prints as an empty line, which says nothing to a reader: say what it is.
        var text = new StringBuilder(output.Length == 0 ? "(empty payload: a close frame without a status code, which its reader reports as 1005)" : hex);
        if (dropped > 0)
        {
            text.AppendLine().Append("(the reason was truncated: ").Append(Count(dropped, "char")).Append(" dropped)");
        }

        string json = Json.Object(w =>
        {
            w.WriteBoolean("valid", true);
            w.WriteNumber("status", (int)status);
            w.WriteString("hex", hex);
            w.WriteNumber("length", output.Length);
            w.WriteBoolean("frame", frame || masked);
            if (masked)
            {
                w.WriteString("maskingKey", key.ToString("X8", CultureInfo.InvariantCulture));
            }

            w.WriteNumber("charsDropped", dropped);
        });
        return new Result(Result.Valid, text.ToString(), hex, json);
    }

    public static Result Usage(string message) =>
        new(Result.Usage, message, "usage error: " + message, Json.Object(w => w.WriteString("usageError", message)));

    private static Result DecodePayload(byte[] payload)
    {
        CloseFrameError error = ClosePayload.ReadUtf8(payload, out WebSocketCloseStatus status, out ReadOnlySpan<byte> utf8Reason);
        if (error != CloseFrameError.None)
        {
            WebSocketCloseStatus answer = error.ToCloseStatus();
            int? code = error == CloseFrameError.InvalidStatus ? (payload[0] << 8) | payload[1] : null;
            string explanation = PayloadErrorText(error, payload.Length, code);
            if (LooksLikeCloseFrame(payload))
            {
                explanation += " (these bytes look like a whole close frame: decode them with --frame)";
            }

            return Invalid("close payload", error.ToString(), explanation, answer, code);
        }

        return Decoded(status, Encoding.UTF8.GetString(utf8Reason), frameNote: null, frameJson: null);
    }

    private static Result DecodeFrame(byte[] bytes)
    {
        // The MASK bit tells the direction: masked frames come from clients, so read them as a server.
        WebSocketRole role = bytes.Length > 1 && (bytes[1] & 0x80) != 0 ? WebSocketRole.Server : WebSocketRole.Client;
        byte[] unmasked = new byte[ClosePayload.MaxLength];
        OperationStatus status = CloseFrame.Read(bytes, role, unmasked, out CloseFrameReadResult result);
        switch (status)
        {
            case OperationStatus.NeedMoreData:
                return Invalid("close frame", "Incomplete", $"the frame is incomplete: {Count(result.BytesNeeded, "more byte")} needed", null, null);
            case OperationStatus.InvalidData:
                int? code = result.Error == CloseFrameError.InvalidStatus ? FrameCode(bytes) : null;
                return Invalid("close frame", result.Error.ToString(), FrameErrorText(result.Error, code), result.Error.ToCloseStatus(), code);
        }

        if (result.BytesConsumed != bytes.Length)
        {
            int extra = bytes.Length - result.BytesConsumed;
            return Invalid("close frame", "TrailingBytes", $"{Count(extra, "byte")} {(extra == 1 ? "follows" : "follow")} the {result.BytesConsumed}-byte frame", null, null);
        }

        bool masked = role == WebSocketRole.Server;
        int frameLength = result.BytesConsumed;
        string? key = masked ? Input.ToHex(bytes.AsSpan(2, 4)).Replace(" ", "", StringComparison.Ordinal) : null;
        string note = masked
            ? $"client to server, masked with key {key}, {result.BytesConsumed} bytes"
            : $"server to client, unmasked, {result.BytesConsumed} bytes";
        return Decoded(result.Status, Encoding.UTF8.GetString(unmasked, result.ReasonOffset, result.ReasonLength), note, w =>
        {
            w.WriteBoolean("masked", masked);
            w.WriteStringOrNull("maskingKey", key);
            w.WriteNumber("frameLength", frameLength);
        });
    }

    private static Result Decoded(WebSocketCloseStatus status, string reason, string? frameNote, Action<Utf8JsonWriter>? frameJson)
    {
        int code = (int)status;
        string? name = MemberName(status);
        var text = new StringBuilder()
            .Append("status: ").Append(code.ToString(CultureInfo.InvariantCulture)).Append(name is null ? "" : " " + name).Append(" (").Append(status.GetDescription()).AppendLine(")")
            .Append("reason: ").Append(Input.Escape(reason));
        if (status == WebSocketCloseStatus.Empty)
        {
            text.AppendLine().Append("note:   an empty payload: the peer gave no status code (RFC 6455 §7.1.5)");
        }

        if (frameNote is not null)
        {
            text.AppendLine().Append("frame:  ").Append(frameNote);
        }

        string line = $"{code} {name ?? "-"} {Input.Escape(reason)}";
        string json = Json.Object(w =>
        {
            w.WriteBoolean("valid", true);
            w.WriteNumber("status", code);
            w.WriteStringOrNull("name", MemberName(status));
            w.WriteString("description", status.GetDescription());
            w.WriteString("reason", reason);
            frameJson?.Invoke(w);
        });
        return new Result(Result.Valid, text.ToString(), line, json);
    }

    private static Result Invalid(string what, string error, string explanation, WebSocketCloseStatus? answer, int? code)
    {
        string answerText = answer is { } a ? $"; answer with {(int)a} {MemberName(a)}" : "";
        string text = $"invalid {what}: {error}: {explanation}{answerText}";
        string json = Json.Object(w =>
        {
            w.WriteBoolean("valid", false);
            w.WriteString("error", error);
            if (code is { } c)
            {
                w.WriteNumber("status", c);
            }

            w.WriteString("message", explanation);
            if (answer is { } status)
            {
                w.WriteNumber("answer", (int)status);
                w.WriteString("answerName", MemberName(status));
            }
        });
        return new Result(Result.NotValid, text, text, json);
    }

    private static Result NotValid(string message, string json) => new(Result.NotValid, message, "invalid: " + message, json);

    private static void WriteCode(Utf8JsonWriter w, WebSocketCloseStatus status)
    {
        CodeNotes? notes = CodeNotes.For((int)status);
        w.WriteNumber("code", (int)status);
        w.WriteStringOrNull("name", MemberName(status));
        w.WriteString("description", status.GetDescription());
        w.WriteString("range", status.GetRange().ToString());
        w.WriteBoolean("validOnWire", status.IsValidOnWire());
        w.WriteBoolean("localOnly", status.IsLocalOnly());
        w.WriteBoolean("normal", status.IsNormal());
        w.WriteBoolean("browserClose", status.IsValidForBrowserClose());
        w.WriteStringOrNull("windowsName", notes?.WindowsName);
        w.WriteStringOrNull("systemNetName", notes?.SystemNetName);
        w.WriteString("sentBy", notes?.SentBy ?? RangeSender(status));
        w.WriteStringOrNull("check", notes?.Check);
    }

    private static string? MemberName(WebSocketCloseStatus status) =>
        Enum.IsDefined(status) ? status.ToString() : null;

    private static string WireText(WebSocketCloseStatus status) =>
        status.IsValidOnWire() ? "valid: may be sent in a close frame"
        : status.IsLocalOnly() ? "local only: reported by a stack, never sent in a close frame (RFC 6455 §7.4.1)"
        : "not valid: must not be sent, and a close frame carrying it is a protocol error (RFC 6455 §7.4)";

    private static string ShortWire(WebSocketCloseStatus status) =>
        status.IsValidOnWire() ? "valid" : status.IsLocalOnly() ? "local only" : "not valid";

    private static string RangeText(WebSocketCloseStatus status) => status.GetRange() switch
    {
        CloseStatusRange.Unused => "Unused (0-999)",
        CloseStatusRange.Protocol => "Protocol (1000-2999)",
        CloseStatusRange.Registered => "Registered (3000-3999): libraries, frameworks, applications",
        CloseStatusRange.PrivateUse => "PrivateUse (4000-4999)",
        _ => "OutOfRange (5000-65535)",
    };

    private static string RangeSender(WebSocketCloseStatus status) => status.GetRange() switch
    {
        CloseStatusRange.Registered => "a library, framework or application that registered it with IANA",
        CloseStatusRange.PrivateUse => "an application, by private agreement with its peer",
        _ => "nobody: no endpoint may send it",
    };

    private static string PayloadErrorText(CloseFrameError error, int length, int? code) => error switch
    {
        CloseFrameError.TooShort => "1 byte is too short for a status code (RFC 6455 §5.5.1)",
        CloseFrameError.TooLong => $"{length} bytes; a close payload holds at most 125 (RFC 6455 §5.5)",
        CloseFrameError.InvalidStatus => $"the status code {CodeText(code.GetValueOrDefault())} must not appear in a close frame (RFC 6455 §7.4)",
        _ => "the reason is not well-formed UTF-8 (RFC 6455 §8.1)",
    };

    private static string CodeText(int code)
    {
        string? name = MemberName((WebSocketCloseStatus)code);
        return name is null ? code.ToString(CultureInfo.InvariantCulture) : $"{code} ({name})";
    }

    // "1 byte", "2 bytes": counts in messages.
    private static string Count(int count, string unit) =>
        count.ToString(CultureInfo.InvariantCulture) + " " + unit + (count == 1 ? "" : "s");

    // FIN and the close opcode, then a payload length (and masking key) that accounts for every byte: no payload starts so,
    // as 0x88 would make its code 34,816 or more.
    private static bool LooksLikeCloseFrame(byte[] bytes) =>
        bytes.Length >= 2 && bytes[0] == 0x88 && (bytes[1] & 0x7F) <= ClosePayload.MaxLength
        && bytes.Length == 2 + ((bytes[1] & 0x80) != 0 ? 4 : 0) + (bytes[1] & 0x7F);

    // The status code of a frame whose header is complete: its first two payload bytes, unmasked.
    private static int FrameCode(byte[] frame)
    {
        int header = (frame[1] & 0x80) != 0 ? 6 : 2;
        byte[] code = frame[header..(header + 2)];
        if (header == 6)
        {
            CloseFrame.Mask(code, (uint)((frame[2] << 24) | (frame[3] << 16) | (frame[4] << 8) | frame[5]));
        }

        return (code[0] << 8) | code[1];
    }

    private static string FrameErrorText(CloseFrameError error, int? code) => error switch
    {
        CloseFrameError.NotFinal => "FIN is not set; control frames must not be fragmented (RFC 6455 §5.5)",
        CloseFrameError.ReservedBitsSet => "RSV1-3 are set without a negotiated extension (RFC 6455 §5.2)",
        CloseFrameError.NotCloseFrame => "the opcode is not 0x8, close (RFC 6455 §5.2)",
        CloseFrameError.TooLong => "control frames must use the 7-bit length (RFC 6455 §5.5)",
        CloseFrameError.MaskMissing => "a client's frame must be masked (RFC 6455 §5.1)",
        CloseFrameError.UnexpectedMask => "a server's frame must not be masked (RFC 6455 §5.1)",
        CloseFrameError.TooShort or CloseFrameError.InvalidStatus => PayloadErrorText(error, 1, code),
        _ => PayloadErrorText(CloseFrameError.InvalidUtf8, 0, null),
    };

    // The library's message without the "(Parameter 'x')" and "Actual value was" lines .NET adds.
    private static string Message(ArgumentException e)
    {
        string message = e.Message;
        int parameter = message.IndexOf(" (Parameter '", StringComparison.Ordinal);
        return parameter >= 0 ? message[..parameter] : message.Split('\n')[0].TrimEnd();
    }
}
