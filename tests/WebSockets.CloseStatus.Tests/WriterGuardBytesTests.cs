using System;
using System.Buffers;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using Xunit;

namespace WebSockets.CloseStatus.Tests;

/// <summary>
/// A writer never touches the destination past the length it reports (issue #39: a server frame of "a", 40 × U+3030,
/// U+0630 and "x" with an ellipsis returned 125 and left D8 B0 at bytes 125-126, as the reason was transcoded whole and
/// then cut). Every writer, truncating or not, writes into a span with guard bytes on both sides and in its unused part;
/// reasons in each script at and around the 120- and 123-byte edges (RFC 6455 §5.5: a control frame's payload is at most
/// 125 bytes, so the reason at most 123), checked against an independent model of the cut.
/// </summary>
public class WriterGuardBytesTests
{
    private const byte Guard = 0x5A; // no byte of a close frame of these reasons at the place it is checked, by chance alone
    private const int GuardLength = 16;
    private const WebSocketCloseStatus Status = WebSocketCloseStatus.NormalClosure;

    /// <summary>A writer under test: writes into the span it is given and returns the length it reports, or -1 for false.</summary>
    private delegate int Writer(ArraySegment<byte> destination, string reason);

    private enum Output
    {
        Payload,
        ServerFrame,
        MaskedFrame, // a client frame: the payload masked with the key in its header
    }

    public static TheoryData<string> Reasons()
    {
        var reasons = new List<string>
        {
            "a" + string.Concat(Enumerable.Repeat("\u3030", 40)) + "\u0630x", // issue #39's reason: 124 bytes
        };

        // ASCII, Cyrillic, CJK and emoji, each after 0-3 ASCII chars that shift where its scalars fall, from 114 to 128
        // bytes; and mixed text of each width in turn.
        foreach (string unit in new[] { "a", "\u0416", "\u4E2D", "\uD83D\uDC4B" })
        {
            int width = Encoding.UTF8.GetByteCount(unit);
            for (int lead = 0; lead < 4; lead++)
            {
                for (int bytes = 114; bytes <= 128; bytes++)
                {
                    if ((bytes - lead) % width == 0)
                    {
                        reasons.Add(new string('x', lead) + string.Concat(Enumerable.Repeat(unit, (bytes - lead) / width)));
                    }
                }
            }
        }

        string mix = "\u00E9\u20AC\uD83D\uDE00a";
        for (int repeat = 10; repeat <= 13; repeat++)
        {
            foreach (int tail in new[] { 0, 1, 2, 4 }) // 3 would cut the pair
            {
                reasons.Add(string.Concat(Enumerable.Repeat(mix, repeat)) + mix[..tail]);
            }
        }

        return [.. reasons.Distinct()];
    }

    [Theory]
    [MemberData(nameof(Reasons))]
    public void Every_writer_leaves_every_byte_past_its_length_and_outside_its_span_untouched(string reason)
    {
        foreach ((string name, Output output, CloseReasonTruncation truncation, Writer writer) in Writers())
        {
            byte[]? expectedPayload = ExpectedPayload(reason, truncation);
            int headerLength = output switch { Output.Payload => 0, Output.ServerFrame => 2, _ => 6 };
            int needed = expectedPayload is null ? 0 : headerLength + expectedPayload.Length;
            int max = headerLength + ClosePayload.MaxLength;

            // The largest span a writer is handed, the exact size, and a size between them; a buffer writer asks for the largest.
            foreach (int size in new[] { max, needed, (max + needed) / 2, max + 40 }.Where(s => s > 0).Distinct())
            {
                if (name.Contains(".Write(", StringComparison.Ordinal) && size < (output == Output.Payload ? ClosePayload.MaxLength : CloseFrame.MaxLength))
                {
                    continue;
                }

                byte[] buffer = new byte[GuardLength + size + GuardLength];
                buffer.AsSpan().Fill(Guard);
                var destination = new ArraySegment<byte>(buffer, GuardLength, size);

                // A call that throws writes nothing it reports, and may leave anything in its span (it is unspecified).
                int written;
                int reported;
                try
                {
                    written = writer(destination, reason);
                    reported = written;
                }
                catch (ArgumentException) when (expectedPayload is null)
                {
                    written = 0;
                    reported = size;
                }

                // Plain checks, not assertions: this runs a few thousand writes, in every mutation run too.
                string? failure =
                    expectedPayload is null != (written == 0) ? $"the model says {(expectedPayload is null ? "it throws" : "it fits")}, it wrote {written}"
                    : buffer.AsSpan(0, GuardLength).IndexOfAnyExcept(Guard) >= 0 ? "it wrote before the span"
                    : buffer.AsSpan(GuardLength + Math.Max(reported, 0)).IndexOfAnyExcept(Guard) is int past and >= 0 ? $"it wrote at byte {past + Math.Max(reported, 0)}, past the {reported} bytes it reports"
                    : expectedPayload is not null && !Payload(destination[..written].ToArray(), output).AsSpan().SequenceEqual(expectedPayload) ? $"it wrote {Convert.ToHexString(destination[..written])}, the model's payload is {Convert.ToHexString(expectedPayload)}"
                    : null;
                if (failure is not null)
                {
                    throw new Xunit.Sdk.XunitException($"{name} into {size} bytes, a reason of {Encoding.UTF8.GetByteCount(reason)} bytes ({reason.Length} chars): {failure}");
                }
            }
        }
    }

    // Every writer of a close, each truncation of the truncating ones, in each role; a buffer writer's span is the one it is handed.
    private static IEnumerable<(string Name, Output Output, CloseReasonTruncation Truncation, Writer Write)> Writers()
    {
        const uint key = 0x12345678;
        yield return ("ClosePayload.TryWrite(chars)", Output.Payload, CloseReasonTruncation.None,
            (d, r) => ClosePayload.TryWrite(d, Status, r.AsSpan(), out int n) ? n : -1);
        yield return ("ClosePayload.TryWrite(string)", Output.Payload, CloseReasonTruncation.None,
            (d, r) => ClosePayload.TryWrite(d, Status, r, out int n) ? n : -1);
        yield return ("ClosePayload.TryWrite(UTF-8)", Output.Payload, CloseReasonTruncation.None,
            (d, r) => ClosePayload.TryWriteUtf8(d, Status, Encoding.UTF8.GetBytes(r), out int n) ? n : -1);
        yield return ("ClosePayload.Create", Output.Payload, CloseReasonTruncation.None,
            (d, r) => Copy(ClosePayload.Create(Status, r), d));
        yield return ("CloseFrame.TryWrite(server, chars)", Output.ServerFrame, CloseReasonTruncation.None,
            (d, r) => CloseFrame.TryWrite(d, WebSocketRole.Server, Status, r.AsSpan(), out int n) ? n : -1);
        yield return ("CloseFrame.TryWrite(server, string)", Output.ServerFrame, CloseReasonTruncation.None,
            (d, r) => CloseFrame.TryWrite(d, WebSocketRole.Server, Status, r, out int n) ? n : -1);
        yield return ("CloseFrame.TryWrite(server, UTF-8)", Output.ServerFrame, CloseReasonTruncation.None,
            (d, r) => CloseFrame.TryWriteUtf8(d, WebSocketRole.Server, Status, Encoding.UTF8.GetBytes(r), out int n) ? n : -1);
        yield return ("CloseFrame.TryWrite(client, chars)", Output.MaskedFrame, CloseReasonTruncation.None,
            (d, r) => CloseFrame.TryWrite(d, WebSocketRole.Client, Status, r.AsSpan(), out int n) ? n : -1);
        yield return ("CloseFrame.TryWrite(client, UTF-8)", Output.MaskedFrame, CloseReasonTruncation.None,
            (d, r) => CloseFrame.TryWriteUtf8(d, WebSocketRole.Client, Status, Encoding.UTF8.GetBytes(r), out int n) ? n : -1);
        yield return ("CloseFrame.TryWriteMasked(chars)", Output.MaskedFrame, CloseReasonTruncation.None,
            (d, r) => CloseFrame.TryWriteMasked(d, key, Status, r.AsSpan(), out int n) ? n : -1);
        yield return ("CloseFrame.TryWriteMasked(string)", Output.MaskedFrame, CloseReasonTruncation.None,
            (d, r) => CloseFrame.TryWriteMasked(d, key, Status, r, out int n) ? n : -1);
        yield return ("CloseFrame.TryWriteMasked(UTF-8)", Output.MaskedFrame, CloseReasonTruncation.None,
            (d, r) => CloseFrame.TryWriteMaskedUtf8(d, key, Status, Encoding.UTF8.GetBytes(r), out int n) ? n : -1);
        foreach (WebSocketRole role in new[] { WebSocketRole.Server, WebSocketRole.Client })
        {
            Output frame = role == WebSocketRole.Server ? Output.ServerFrame : Output.MaskedFrame;

            // CloseFrame.Write truncates only when asked (2.0): without a truncation, an over-long reason throws.
            yield return ($"CloseFrame.Write({role}, chars)", frame, CloseReasonTruncation.None,
                (d, r) => CloseFrame.Write(new SpanWriter(d), role, Status, r.AsSpan()));
            yield return ($"CloseFrame.Write({role}, string)", frame, CloseReasonTruncation.None,
                (d, r) => CloseFrame.Write(new SpanWriter(d), role, Status, r));
            yield return ($"CloseFrame.Write({role}, UTF-8)", frame, CloseReasonTruncation.None,
                (d, r) => CloseFrame.WriteUtf8(new SpanWriter(d), role, Status, Encoding.UTF8.GetBytes(r).AsSpan()));
            yield return ($"CloseHandshake({role}).WriteClose(chars)", frame, CloseReasonTruncation.None,
                (d, r) => { new CloseHandshake(role).WriteClose(d, Status, r.AsSpan(), out int n); return n; });
            yield return ($"CloseHandshake({role}).WriteClose(string)", frame, CloseReasonTruncation.None,
                (d, r) => { new CloseHandshake(role).WriteClose(d, Status, r, out int n); return n; });
            yield return ($"CloseHandshake({role}).WriteCloseUtf8", frame, CloseReasonTruncation.None,
                (d, r) => { new CloseHandshake(role).WriteCloseUtf8(d, Status, Encoding.UTF8.GetBytes(r), out int n); return n; });
        }

        foreach (CloseReasonTruncation truncation in Enum.GetValues<CloseReasonTruncation>())
        {
            CloseReasonTruncation t = truncation;
            yield return ($"ClosePayload.TryWrite(chars, {t})", Output.Payload, t,
                (d, r) => ClosePayload.TryWrite(d, Status, r.AsSpan(), out int n, t) ? n : -1);
            yield return ($"ClosePayload.TryWrite(string, {t})", Output.Payload, t,
                (d, r) => ClosePayload.TryWrite(d, Status, r, out int n, t) ? n : -1);
            yield return ($"ClosePayload.TryWrite(UTF-8, {t})", Output.Payload, t,
                (d, r) => ClosePayload.TryWriteUtf8(d, Status, Encoding.UTF8.GetBytes(r), out int n, t) ? n : -1);
            yield return ($"ClosePayload.Create({t})", Output.Payload, t,
                (d, r) => Copy(ClosePayload.Create(Status, r, t), d));
            foreach (WebSocketRole role in new[] { WebSocketRole.Server, WebSocketRole.Client })
            {
                Output frame = role == WebSocketRole.Server ? Output.ServerFrame : Output.MaskedFrame;
                yield return ($"CloseFrame.TryWrite({role}, chars, {t})", frame, t,
                    (d, r) => CloseFrame.TryWrite(d, role, Status, r.AsSpan(), out int n, t) ? n : -1);
                yield return ($"CloseFrame.TryWrite({role}, string, {t})", frame, t,
                    (d, r) => CloseFrame.TryWrite(d, role, Status, r, out int n, t) ? n : -1);
                yield return ($"CloseFrame.TryWrite({role}, UTF-8, {t})", frame, t,
                    (d, r) => CloseFrame.TryWriteUtf8(d, role, Status, Encoding.UTF8.GetBytes(r), out int n, t) ? n : -1);
                yield return ($"CloseFrame.Write({role}, chars, {t})", frame, t,
                    (d, r) => CloseFrame.Write(new SpanWriter(d), role, Status, r.AsSpan(), t));
                yield return ($"CloseFrame.Write({role}, string, {t})", frame, t,
                    (d, r) => CloseFrame.Write(new SpanWriter(d), role, Status, r, t));
                yield return ($"CloseFrame.Write({role}, UTF-8, {t})", frame, t,
                    (d, r) => CloseFrame.WriteUtf8(new SpanWriter(d), role, Status, Encoding.UTF8.GetBytes(r).AsSpan(), t));
                yield return ($"CloseHandshake({role}).WriteClose(chars, {t})", frame, t,
                    (d, r) => { new CloseHandshake(role).WriteClose(d, Status, r.AsSpan(), out int n, t); return n; });
                yield return ($"CloseHandshake({role}).WriteClose(string, {t})", frame, t,
                    (d, r) => { new CloseHandshake(role).WriteClose(d, Status, r, out int n, t); return n; });
                yield return ($"CloseHandshake({role}).WriteCloseUtf8({t})", frame, t,
                    (d, r) => { new CloseHandshake(role).WriteCloseUtf8(d, Status, Encoding.UTF8.GetBytes(r), out int n, t); return n; });
            }

            yield return ($"CloseFrame.TryWriteMasked(chars, {t})", Output.MaskedFrame, t,
                (d, r) => CloseFrame.TryWriteMasked(d, key, Status, r.AsSpan(), out int n, t) ? n : -1);
            yield return ($"CloseFrame.TryWriteMasked(string, {t})", Output.MaskedFrame, t,
                (d, r) => CloseFrame.TryWriteMasked(d, key, Status, r, out int n, t) ? n : -1);
            yield return ($"CloseFrame.TryWriteMasked(UTF-8, {t})", Output.MaskedFrame, t,
                (d, r) => CloseFrame.TryWriteMaskedUtf8(d, key, Status, Encoding.UTF8.GetBytes(r), out int n, t) ? n : -1);
        }
    }

    /// <summary>
    /// The model: the code, then the reason whole if it is at most 123 bytes in UTF-8; otherwise null without truncation
    /// (the writers throw), or its longest prefix of whole scalars within 123 bytes, or within 120 and then "…".
    /// </summary>
    private static byte[]? ExpectedPayload(string reason, CloseReasonTruncation truncation)
    {
        byte[] whole = Encoding.UTF8.GetBytes(reason);
        byte[] kept = whole;
        if (whole.Length > 123)
        {
            if (truncation == CloseReasonTruncation.None)
            {
                return null;
            }

            int budget = truncation == CloseReasonTruncation.TruncateWithEllipsis ? 120 : 123;
            var prefix = new List<byte>();
            foreach (Rune rune in reason.EnumerateRunes())
            {
                if (prefix.Count + rune.Utf8SequenceLength > budget)
                {
                    break;
                }

                prefix.AddRange(Encoding.UTF8.GetBytes(rune.ToString()));
            }

            if (truncation == CloseReasonTruncation.TruncateWithEllipsis)
            {
                prefix.AddRange([0xE2, 0x80, 0xA6]);
            }

            kept = [.. prefix];
        }

        return [0x03, 0xE8, .. kept];
    }

    // The payload of what a writer wrote: itself, after a server frame's 2-byte header, or unmasked after a client's 6 (RFC 6455 §5.3).
    private static byte[] Payload(byte[] written, Output output)
    {
        switch (output)
        {
            case Output.Payload:
                return written;
            case Output.ServerFrame:
                return written[0] == 0x88 && written[1] == written.Length - 2 ? written[2..] : written;
            default:
                return written[0] == 0x88 && written[1] == (0x80 | (written.Length - 6))
                    ? [.. written[6..].Select((b, i) => (byte)(b ^ written[2 + (i % 4)]))]
                    : written;
        }
    }

    private static int Copy(byte[] payload, ArraySegment<byte> destination)
    {
        payload.CopyTo(destination.AsSpan());
        return payload.Length;
    }

    /// <summary>A buffer writer that hands out the one span under test, as long as the writer asks for no more than it holds.</summary>
    private sealed class SpanWriter(ArraySegment<byte> destination) : IBufferWriter<byte>
    {
        public void Advance(int count)
        {
        }

        public Memory<byte> GetMemory(int sizeHint = 0) => throw new NotSupportedException();

        public Span<byte> GetSpan(int sizeHint = 0) =>
            sizeHint <= destination.Count ? destination : throw new InvalidOperationException($"asked for {sizeHint} of {destination.Count} bytes");
    }
}
