using System;
using System.Buffers;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using FluentAssertions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using WebSockets.CloseStatus.Tests.TestData;
using Xunit;

namespace WebSockets.CloseStatus.Tests;

/// <summary>
/// The 2.0 overload set, writer by writer: a literal <see langword="null"/> is no reason, and the truncation is one optional last
/// argument that defaults to <see cref="CloseReasonTruncation.None"/> (RFC 6455 §5.5: a reason is at most 123 bytes).
/// </summary>
public class WriterOverloadTests
{
    private const uint Key = 0x37FA213D;
    private const WebSocketCloseStatus Status = WebSocketCloseStatus.NormalClosure;

    /// <summary>A writer under test: the payload it writes for <c>reason</c>, with <c>truncation</c> passed, or left out when <see langword="null"/>.</summary>
    private delegate byte[] Writer(string reason, CloseReasonTruncation? truncation);

    private static readonly Dictionary<string, Writer> s_writers = new()
    {
        ["ClosePayload.TryWrite(string)"] = (r, t) => Payload(t is { } v
            ? ClosePayload.TryWrite(Buffer(out byte[] b), Status, r, out int n, v)
            : ClosePayload.TryWrite(Buffer(out b), Status, r, out n), b, n),
        ["ClosePayload.TryWrite(chars)"] = (r, t) => Payload(t is { } v
            ? ClosePayload.TryWrite(Buffer(out byte[] b), Status, r.AsSpan(), out int n, v)
            : ClosePayload.TryWrite(Buffer(out b), Status, r.AsSpan(), out n), b, n),
        ["ClosePayload.TryWriteUtf8"] = (r, t) => Payload(t is { } v
            ? ClosePayload.TryWriteUtf8(Buffer(out byte[] b), Status, Encoding.UTF8.GetBytes(r), out int n, v)
            : ClosePayload.TryWriteUtf8(Buffer(out b), Status, Encoding.UTF8.GetBytes(r), out n), b, n),
        ["ClosePayload.Create"] = (r, t) => t is { } v ? ClosePayload.Create(Status, r, v) : ClosePayload.Create(Status, r),
        ["CloseFrame.TryWrite(server, string)"] = (r, t) => Frame(t is { } v
            ? CloseFrame.TryWrite(Buffer(out byte[] b), WebSocketRole.Server, Status, r, out int n, v)
            : CloseFrame.TryWrite(Buffer(out b), WebSocketRole.Server, Status, r, out n), b, n),
        ["CloseFrame.TryWrite(client, chars)"] = (r, t) => Frame(t is { } v
            ? CloseFrame.TryWrite(Buffer(out byte[] b), WebSocketRole.Client, Status, r.AsSpan(), out int n, v)
            : CloseFrame.TryWrite(Buffer(out b), WebSocketRole.Client, Status, r.AsSpan(), out n), b, n),
        ["CloseFrame.TryWriteUtf8(client)"] = (r, t) => Frame(t is { } v
            ? CloseFrame.TryWriteUtf8(Buffer(out byte[] b), WebSocketRole.Client, Status, Encoding.UTF8.GetBytes(r), out int n, v)
            : CloseFrame.TryWriteUtf8(Buffer(out b), WebSocketRole.Client, Status, Encoding.UTF8.GetBytes(r), out n), b, n),
        ["CloseFrame.TryWriteMasked(string)"] = (r, t) => Frame(t is { } v
            ? CloseFrame.TryWriteMasked(Buffer(out byte[] b), Key, Status, r, out int n, v)
            : CloseFrame.TryWriteMasked(Buffer(out b), Key, Status, r, out n), b, n),
        ["CloseFrame.TryWriteMasked(chars)"] = (r, t) => Frame(t is { } v
            ? CloseFrame.TryWriteMasked(Buffer(out byte[] b), Key, Status, r.AsSpan(), out int n, v)
            : CloseFrame.TryWriteMasked(Buffer(out b), Key, Status, r.AsSpan(), out n), b, n),
        ["CloseFrame.TryWriteMaskedUtf8"] = (r, t) => Frame(t is { } v
            ? CloseFrame.TryWriteMaskedUtf8(Buffer(out byte[] b), Key, Status, Encoding.UTF8.GetBytes(r), out int n, v)
            : CloseFrame.TryWriteMaskedUtf8(Buffer(out b), Key, Status, Encoding.UTF8.GetBytes(r), out n), b, n),
        ["CloseFrame.Write(string)"] = (r, t) => Written(w => t is { } v
            ? CloseFrame.Write(w, WebSocketRole.Server, Status, r, v)
            : CloseFrame.Write(w, WebSocketRole.Server, Status, r)),
        ["CloseFrame.Write(chars)"] = (r, t) => Written(w => t is { } v
            ? CloseFrame.Write(w, WebSocketRole.Client, Status, r.AsSpan(), v)
            : CloseFrame.Write(w, WebSocketRole.Client, Status, r.AsSpan())),
        ["CloseFrame.WriteUtf8"] = (r, t) => Written(w => t is { } v
            ? CloseFrame.WriteUtf8(w, WebSocketRole.Server, Status, Encoding.UTF8.GetBytes(r), v)
            : CloseFrame.WriteUtf8(w, WebSocketRole.Server, Status, Encoding.UTF8.GetBytes(r))),
    };

    public static TheoryData<string> Writers() => [.. s_writers.Keys];

    public static TheoryData<string, CloseReasonTruncation> WritersAndTruncations()
    {
        var data = new TheoryData<string, CloseReasonTruncation>();
        foreach (string writer in s_writers.Keys)
        {
            foreach (CloseReasonTruncation truncation in Enum.GetValues<CloseReasonTruncation>())
            {
                data.Add(writer, truncation);
            }
        }

        return data;
    }

    [Fact]
    public void LiteralNull_IsNoReason_OnEveryWriter_Rfc6455_5_5_1()
    {
        // §5.5.1: the body may end after the code; a null reason writes the code alone. Each call passes a literal null,
        // which binds to the string overload (string converts to ReadOnlySpan<char>, not the other way round).
        byte[] frame = new byte[CloseFrame.MaxLength];
        var writer = new ArrayBufferWriter<byte>();

        ClosePayload.TryWrite(frame, Status, null, out int written).Should().BeTrue();
        frame[..written].Should().Equal(0x03, 0xE8);
        ClosePayload.TryWrite(frame, Status, null, out written, CloseReasonTruncation.TruncateWithEllipsis).Should().BeTrue();
        frame[..written].Should().Equal(0x03, 0xE8);
        ClosePayload.Create(Status, null).Should().Equal(0x03, 0xE8);
        ClosePayload.Create(Status, null, CloseReasonTruncation.Truncate).Should().Equal(0x03, 0xE8);
        ClosePayload.GetByteCount(Status, null).Should().Be(2);

        CloseFrame.TryWrite(frame, WebSocketRole.Server, Status, null, out written).Should().BeTrue();
        frame[..written].Should().Equal(0x88, 0x02, 0x03, 0xE8);
        CloseFrame.TryWrite(frame, WebSocketRole.Server, Status, null, out written, CloseReasonTruncation.Truncate).Should().BeTrue();
        frame[..written].Should().Equal(0x88, 0x02, 0x03, 0xE8);
        CloseFrame.TryWrite(frame, WebSocketRole.Client, Status, null, out written).Should().BeTrue();
        Unmask(frame[..written]).Should().Equal(0x03, 0xE8);
        CloseFrame.TryWriteMasked(frame, Key, Status, null, out written).Should().BeTrue();
        frame[..written].Should().Equal(0x88, 0x82, 0x37, 0xFA, 0x21, 0x3D, 0x03 ^ 0x37, 0xE8 ^ 0xFA);
        CloseFrame.TryWriteMasked(frame, Key, Status, null, out written, CloseReasonTruncation.TruncateWithEllipsis).Should().BeTrue();
        Unmask(frame[..written]).Should().Equal(0x03, 0xE8);
        CloseFrame.Write(writer, WebSocketRole.Server, Status, null).Should().Be(4);
        CloseFrame.Write(writer, WebSocketRole.Server, Status, null, CloseReasonTruncation.Truncate).Should().Be(4);
        writer.WrittenSpan.ToArray().Should().Equal(0x88, 0x02, 0x03, 0xE8, 0x88, 0x02, 0x03, 0xE8);
    }

    [Fact]
    public void LiteralNull_WithEmpty_IsTheEmptyPayload_Rfc6455_7_1_5()
    {
        // §7.1.5: 1005 stands for a close without a code, written as an empty payload; a null reason is no reason.
        byte[] frame = new byte[CloseFrame.MaxLength];

        ClosePayload.TryWrite(frame, WebSocketCloseStatus.Empty, null, out int written).Should().BeTrue();
        written.Should().Be(0);
        ClosePayload.Create(WebSocketCloseStatus.Empty, null).Should().BeEmpty();
        ClosePayload.GetByteCount(WebSocketCloseStatus.Empty, null).Should().Be(0);
        CloseFrame.TryWrite(frame, WebSocketRole.Server, WebSocketCloseStatus.Empty, null, out written).Should().BeTrue();
        frame[..written].Should().Equal(0x88, 0x00);
        CloseFrame.TryWriteMasked(frame, Key, WebSocketCloseStatus.Empty, null, out written).Should().BeTrue();
        frame[..written].Should().Equal(0x88, 0x80, 0x37, 0xFA, 0x21, 0x3D);
    }

    public static TheoryData<string> LanguageVersions => new() { "7.3", "12", "13", "preview" };

    [Theory]
    [MemberData(nameof(LanguageVersions))]
    public void LiteralNull_CompilesOnEveryWriter_AtEveryLanguageVersion(string version)
    {
        const string Calls = """
            using System.Buffers;
            using WebSockets.CloseStatus;

            public static class Caller
            {
                public static int Call(IBufferWriter<byte> writer)
                {
                    byte[] buffer = new byte[CloseFrame.MaxLength];
                    int written;
                    ClosePayload.TryWrite(buffer, WebSocketCloseStatus.NormalClosure, null, out written);
                    ClosePayload.TryWrite(buffer, WebSocketCloseStatus.NormalClosure, null, out written, CloseReasonTruncation.Truncate);
                    ClosePayload.Create(WebSocketCloseStatus.NormalClosure, null);
                    ClosePayload.GetByteCount(WebSocketCloseStatus.NormalClosure, null);
                    CloseFrame.TryWrite(buffer, WebSocketRole.Server, WebSocketCloseStatus.NormalClosure, null, out written);
                    CloseFrame.TryWrite(buffer, WebSocketRole.Server, WebSocketCloseStatus.NormalClosure, null, out written, CloseReasonTruncation.Truncate);
                    CloseFrame.TryWriteMasked(buffer, 1u, WebSocketCloseStatus.NormalClosure, null, out written);
                    CloseFrame.TryWriteMasked(buffer, 1u, WebSocketCloseStatus.NormalClosure, null, out written, CloseReasonTruncation.Truncate);
                    CloseFrame.Write(writer, WebSocketRole.Server, WebSocketCloseStatus.NormalClosure, null);
                    return CloseFrame.Write(writer, WebSocketRole.Server, WebSocketCloseStatus.NormalClosure, null, CloseReasonTruncation.Truncate) + written;
                }
            }
            """;

        SourceCompiler.Errors(Calls, version).Should().BeEmpty("a literal null must bind to the string overload in C# {0}", version);
    }

    [Theory]
    [MemberData(nameof(LanguageVersions))]
    public void LiteralNullCheck_CatchesAUtf8OverloadOfTheSameName(string version)
    {
        // The control: the 1.x shape, with a ReadOnlySpan<byte> overload under the same name, is ambiguous (CS0121),
        // as null converts to both spans through their arrays.
        const string OneName = """
            using System;

            public static class Writer
            {
                public static int TryWrite(string reason) => 0;
                public static int TryWrite(ReadOnlySpan<char> reason) => 1;
                public static int TryWrite(ReadOnlySpan<byte> utf8Reason) => 2;
                public static int Call() => TryWrite(null);
            }
            """;

        SourceCompiler.Errors(OneName, version).Should().Contain(e => e.StartsWith("CS0121", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Writers))]
    public void DefaultTruncation_IsNone_AReasonOver123BytesThrows_Rfc6455_5_5(string writer)
    {
        // CloseFrame.Write among them: in 1.x it took a truncation always; now, as every writer, it truncates when asked.
        string reason = new('a', 124);

        Action write = () => s_writers[writer](reason, null);

        write.Should().Throw<ArgumentException>().WithMessage("The reason is 124 bytes in UTF-8; a close frame holds at most 123*")
            .Which.ParamName.Should().BeOneOf("reason", "utf8Reason");
        s_writers[writer](new string('a', 123), null).Should().Equal([0x03, 0xE8, .. Enumerable.Repeat((byte)'a', 123)], "123 bytes fit");
    }

    [Theory]
    [MemberData(nameof(WritersAndTruncations))]
    public void Truncation_IsTheOptionalLastArgument_OfEveryWriter(string writer, CloseReasonTruncation truncation)
    {
        // 40 × "é€😀" is 360 bytes: a cut at 123 bytes (120 and "…") on a scalar boundary, the one TruncateReason makes.
        string reason = string.Concat(Enumerable.Repeat("é€😀", 40));

        if (truncation == CloseReasonTruncation.None)
        {
            Action write = () => s_writers[writer](reason, truncation);
            write.Should().Throw<ArgumentException>().WithMessage("The reason is 360 bytes*");
            return;
        }

        byte[] payload = s_writers[writer](reason, truncation);

        payload.Should().Equal([0x03, 0xE8, .. Encoding.UTF8.GetBytes(ClosePayload.TruncateReason(reason, truncation))]);
        payload.Length.Should().BeLessThanOrEqualTo(ClosePayload.MaxLength);
        s_writers[writer]("bye", truncation).Should().Equal(0x03, 0xE8, (byte)'b', (byte)'y', (byte)'e');
    }

    [Theory]
    [MemberData(nameof(Writers))]
    public void UndefinedTruncation_Throws_OnEveryWriter(string writer)
    {
        // Whether or not the reason needs a cut: a value outside the enum is a caller mistake.
        Action shortReason = () => s_writers[writer]("bye", (CloseReasonTruncation)3);
        Action longReason = () => s_writers[writer](new string('a', 200), (CloseReasonTruncation)(-1));

        shortReason.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("truncation").WithMessage("3 is not a defined CloseReasonTruncation*");
        longReason.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("truncation");
    }

    private static Span<byte> Buffer(out byte[] buffer) => buffer = new byte[CloseFrame.MaxLength];

    private static byte[] Payload(bool fits, byte[] buffer, int written) =>
        fits ? buffer[..written] : throw new InvalidOperationException("A buffer of CloseFrame.MaxLength bytes holds any payload.");

    // The payload of a frame that fit: after a server's 2-byte header, or unmasked after a client's 6 (RFC 6455 §5.2, §5.3).
    private static byte[] Frame(bool fits, byte[] buffer, int written) =>
        fits ? (buffer[1] & 0x80) == 0 ? buffer[2..written] : Unmask(buffer[..written]) : throw new InvalidOperationException("A buffer of CloseFrame.MaxLength bytes holds any frame.");

    private static byte[] Written(Func<IBufferWriter<byte>, int> write)
    {
        var writer = new ArrayBufferWriter<byte>();
        int length = write(writer);
        length.Should().Be(writer.WrittenCount);
        return Frame(true, writer.WrittenSpan.ToArray(), length);
    }

    private static byte[] Unmask(byte[] frame)
    {
        frame[0].Should().Be(0x88);
        (frame[1] & 0x7F).Should().Be(frame.Length - 6);
        byte[] payload = frame[6..];
        CloseFrame.Mask(payload, (uint)((frame[2] << 24) | (frame[3] << 16) | (frame[4] << 8) | frame[5]));
        return payload;
    }
}
