using System;
using System.Linq;
using System.Text;
using CsCheck;
using FluentAssertions;
using WebSockets.CloseStatus.Tests.TestData;
using Xunit;

namespace WebSockets.CloseStatus.Tests;

/// <summary>Property tests: round trips, hostile input against the oracle, truncation invariants.</summary>
public class ClosePayloadPropertyTests
{
    private const long Iterations = 20_000;

    // Scalars drawn from every UTF-8 length class, so 1-, 2-, 3- and 4-byte forms all appear.
    private static readonly Gen<string> s_scalar = Gen.OneOf(
        Gen.Int[0x00, 0x7F],
        Gen.Int[0x80, 0x7FF],
        Gen.Int[0x800, 0xD7FF],
        Gen.Int[0xE000, 0xFFFF],
        Gen.Int[0x10000, 0x10FFFF]).Select(char.ConvertFromUtf32);

    // Reasons that fit: scalars appended while the UTF-8 length stays within 123 bytes.
    private static readonly Gen<string> s_fittingText = s_scalar.Array[0, 123].Select(scalars =>
    {
        var builder = new StringBuilder();
        int bytes = 0;
        foreach (string scalar in scalars)
        {
            bytes += Encoding.UTF8.GetByteCount(scalar);
            if (bytes > ClosePayload.MaxReasonLength)
            {
                break;
            }

            builder.Append(scalar);
        }

        return builder.ToString();
    });

    // The sendable ranges of RFC 6455 §7.4 and the IANA registry; the test checks each draw with the oracle.
    private static readonly Gen<WebSocketCloseStatus> s_sendable =
        Gen.OneOf(Gen.Int[1000, 1003], Gen.Int[1007, 1014], Gen.Int[3000, 4999]).Select(c => (WebSocketCloseStatus)c);

    [Fact]
    public void WriteThenRead_EveryValidStatusAndReason_RoundTrips()
    {
        Gen.Select(s_sendable, s_fittingText)
            .Sample((status, reason) =>
            {
                Rfc6455.OracleValidOnWire((int)status).Should().BeTrue();
                Span<byte> buffer = stackalloc byte[ClosePayload.MaxLength];
                ClosePayload.TryWrite(buffer, status, reason, out int written).Should().BeTrue();

                ClosePayload.ReadUtf8(buffer[..written], out WebSocketCloseStatus read, out ReadOnlySpan<byte> utf8).Should().Be(CloseFrameError.None);
                read.Should().Be(status);
                Encoding.UTF8.GetString(utf8).Should().Be(reason);

                ClosePayload.TryWriteUtf8(buffer, status, Encoding.UTF8.GetBytes(reason), out int utf8Written).Should().BeTrue();
                utf8Written.Should().Be(written);
            }, iter: TestScale.Cases(Iterations));
    }

    [Fact]
    public void Read_ArbitraryBytes_NeverThrows_AndMatchesOracle()
    {
        Gen.Byte.Array[0, 130].Sample(AssertMatchesOracle, iter: TestScale.Cases(100_000));
    }

    [Fact]
    public void Read_MutatedValidPayloads_MatchOracle()
    {
        // Valid payloads with one bit flipped, truncated, extended, or with invalid UTF-8 spliced in.
        Gen<byte[]> valid = Gen.Select(s_sendable, s_fittingText)
            .Select((status, reason) => ClosePayload.Create(status, reason));
        Gen<byte[]> mutated = Gen.Select(valid, Gen.Int[0, 3], Gen.Int[0, 1000], Gen.Byte).Select((payload, kind, position, value) =>
        {
            if (payload.Length == 0)
            {
                return [value];
            }

            int at = position % payload.Length;
            byte[] copy = payload.ToArray();
            switch (kind)
            {
                case 0:
                    copy[at] ^= (byte)(1 << (value % 8));
                    return copy;
                case 1:
                    return copy[..at];
                case 2:
                    return [.. copy, value];
                default:
                    copy[at] = value >= 0x80 ? value : (byte)(0x80 | value);
                    return copy;
            }
        });

        mutated.Sample(AssertMatchesOracle, iter: TestScale.Cases(50_000));
    }

    [Fact]
    public void Read_ValidResults_ReEncodeToTheSameBytes()
    {
        // Valid payloads built on purpose (a sendable code and a fitting reason of any length and script, or none), so
        // every case exercises the round trip through every writer; 1005 (Empty) is the empty payload.
        Gen<WebSocketCloseStatus> sendable = Gen.OneOf(Gen.Int[1000, 1003], Gen.Int[1007, 1014], Gen.Int[3000, 4999]).Select(code => (WebSocketCloseStatus)code);
        Gen.Select(sendable, s_fittingText, Gen.Int[0, 20]).Sample((code, text, pick) =>
        {
            bool empty = pick == 0;
            WebSocketCloseStatus expectedStatus = empty ? WebSocketCloseStatus.Empty : code;
            string reason = empty ? "" : text;
            byte[] payload = empty ? [] : [(byte)((int)code >> 8), (byte)code, .. Encoding.UTF8.GetBytes(reason)];

            ClosePayload.ReadUtf8(payload, out WebSocketCloseStatus status, out ReadOnlySpan<byte> utf8Reason).Should().Be(CloseFrameError.None);
            status.Should().Be(expectedStatus);
            utf8Reason.ToArray().Should().Equal(payload.Length == 0 ? [] : payload[2..]);

            Span<byte> buffer = stackalloc byte[ClosePayload.MaxLength];
            ClosePayload.TryWriteUtf8(buffer, status, utf8Reason, out int written).Should().BeTrue();
            buffer[..written].ToArray().Should().Equal(payload);
            ClosePayload.TryWrite(buffer, status, reason, out written).Should().BeTrue();
            buffer[..written].ToArray().Should().Equal(payload);
            ClosePayload.TryWrite(buffer, status, reason, out written, CloseReasonTruncation.TruncateWithEllipsis).Should().BeTrue();
            buffer[..written].ToArray().Should().Equal(payload);
            ClosePayload.TryWriteUtf8(buffer, status, utf8Reason, out written, CloseReasonTruncation.Truncate).Should().BeTrue();
            buffer[..written].ToArray().Should().Equal(payload);
            ClosePayload.Create(status, reason).Should().Equal(payload);
            ClosePayload.Read(payload, out WebSocketCloseStatus readStatus, out string decoded).Should().Be(CloseFrameError.None);
            (readStatus, decoded).Should().Be((expectedStatus, reason));
        }, iter: TestScale.Cases(Iterations / 4));
    }

    [Fact]
    public void Truncate_AnyText_FitsLimit_IsWellFormed_AndIsAPrefix()
    {
        Gen.Select(s_scalar.Array[0, 200].Select(string.Concat), Gen.Bool).Sample((reason, ellipsis) =>
        {
            CloseReasonTruncation truncation = ellipsis ? CloseReasonTruncation.TruncateWithEllipsis : CloseReasonTruncation.Truncate;
            Span<byte> buffer = stackalloc byte[ClosePayload.MaxLength];

            ClosePayload.TryWrite(buffer, WebSocketCloseStatus.NormalClosure, reason, out int written, truncation).Should().BeTrue();

            written.Should().BeLessThanOrEqualTo(ClosePayload.MaxLength);
            ReadOnlySpan<byte> utf8 = buffer[2..written];
            ClosePayloadOracle.IsWellFormedUtf8(utf8).Should().BeTrue();
            string text = Encoding.UTF8.GetString(utf8);
            text.Should().Be(ClosePayload.TruncateReason(reason, truncation), "TruncateReason is the cut the writer makes");
            if (Encoding.UTF8.GetByteCount(reason) <= ClosePayload.MaxReasonLength)
            {
                text.Should().Be(reason);
            }
            else
            {
                string kept = ellipsis ? text[..^1] : text;
                text.Should().Be(ellipsis ? kept + "…" : kept);
                reason.Should().StartWith(kept);
                char.IsHighSurrogate(kept.LastOrDefault()).Should().BeFalse("a pair is never split");

                // Longest prefix: one more scalar would not have fit.
                int next = char.IsHighSurrogate(reason[kept.Length]) ? 2 : 1;
                Encoding.UTF8.GetByteCount(reason[..(kept.Length + next)]).Should().BeGreaterThan(ClosePayload.MaxReasonLength - (ellipsis ? 3 : 0));
            }
        }, iter: TestScale.Cases(Iterations));
    }

    [Fact]
    public void Truncate_AnyUtf8_FitsLimit_IsWellFormed_AndIsAPrefix()
    {
        Gen.Select(s_scalar.Array[0, 200].Select(string.Concat), Gen.Bool).Sample((reason, ellipsis) =>
        {
            byte[] source = Encoding.UTF8.GetBytes(reason);
            CloseReasonTruncation truncation = ellipsis ? CloseReasonTruncation.TruncateWithEllipsis : CloseReasonTruncation.Truncate;
            Span<byte> buffer = stackalloc byte[ClosePayload.MaxLength];

            ClosePayload.TryWriteUtf8(buffer, WebSocketCloseStatus.NormalClosure, source, out int written, truncation).Should().BeTrue();

            written.Should().BeLessThanOrEqualTo(ClosePayload.MaxLength);
            ReadOnlySpan<byte> utf8 = buffer[2..written];
            ClosePayloadOracle.IsWellFormedUtf8(utf8).Should().BeTrue();
            bool cut = source.Length > ClosePayload.MaxReasonLength;
            int keptLength = written - 2 - (cut && ellipsis ? 3 : 0);
            utf8[..keptLength].ToArray().Should().Equal(source[..keptLength]);
            if (cut && ellipsis)
            {
                utf8[keptLength..].ToArray().Should().Equal(0xE2, 0x80, 0xA6);
            }

            if (!cut)
            {
                keptLength.Should().Be(source.Length);
            }
            else
            {
                // Longest prefix: the cut is at a scalar boundary of the well-formed source, and the next scalar would not fit.
                int budget = ClosePayload.MaxReasonLength - (ellipsis ? 3 : 0);
                keptLength.Should().BeLessThanOrEqualTo(budget);
                (source[keptLength] & 0xC0).Should().NotBe(0x80, "the cut is at the start of a scalar");
                int next = source[keptLength] < 0x80 ? 1 : source[keptLength] < 0xE0 ? 2 : source[keptLength] < 0xF0 ? 3 : 4;
                (keptLength + next).Should().BeGreaterThan(budget, "one more scalar would not have fit");
            }
        }, iter: TestScale.Cases(Iterations));
    }

    private static void AssertMatchesOracle(byte[] payload)
    {
        foreach (bool lenient in new[] { false, true })
        {
            var expected = ClosePayloadOracle.Read(payload, lenient);
            CloseFrameError error = ClosePayload.ReadUtf8(payload, out WebSocketCloseStatus status, out ReadOnlySpan<byte> reason, lenient ? ClosePayloadReadMode.Lenient : ClosePayloadReadMode.Strict);

            error.Should().Be(expected.Error);
            ((int)status).Should().Be(expected.Code);
            Encoding.UTF8.GetString(reason).Should().Be(expected.Reason);
        }
    }
}
