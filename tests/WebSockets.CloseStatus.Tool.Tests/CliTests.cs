using System.Linq;
using System.Text.Json;
using FluentAssertions;
using Xunit;

namespace WebSockets.CloseStatus.Tool.Tests;

public class CliTests
{
    [Theory]
    [InlineData("1006")]
    [InlineData("AbnormalClosure")]
    [InlineData("abnormal-closure")]
    [InlineData("ABNORMAL_CLOSURE")]
    [InlineData("Abnormal Closure")]
    [InlineData("WEB_SOCKET_ABORTED_CLOSE_STATUS")]
    public void Explain_1006_ByNumberOrAnyName(string input)
    {
        CliRunner.Output output = CliRunner.Run("explain", input);

        output.ExitCode.Should().Be(0, "explain explained it; that 1006 must not be sent is part of the answer");
        output.Stderr.Should().BeEmpty();
        output.Stdout.Should().StartWith("1006 AbnormalClosure: Abnormal Closure");
        output.Stdout.Should().Contain("local only").And.Contain("WEB_SOCKET_ABORTED_CLOSE_STATUS")
            .And.Contain("no close frame arrived: the TCP connection dropped");
    }

    [Theory]
    [InlineData("1005", "the first close frame it received had no status", "§7.1.5")]
    [InlineData("1006", "TCP closed before a well-formed close frame arrived", "§7.1.7")]
    [InlineData("1015", "failed in the TLS handshake", "§7.4.1")]
    public void Explain_LocalOnlyCodes_SayHowAStackArrivesAtThem(string code, string how, string section)
    {
        CliRunner.Output output = CliRunner.Run("explain", code);

        output.ExitCode.Should().Be(0);
        string sentBy = output.Stdout.Split('\n').Single(line => line.TrimStart().StartsWith("sent by:", System.StringComparison.Ordinal));
        sentBy.Should().Contain("nobody: a stack reports it").And.Contain(how).And.Contain(section);
    }

    [Fact]
    public void Explain_ApplicationCode_DescribesRange()
    {
        CliRunner.Output output = CliRunner.Run("explain", "4001");

        output.ExitCode.Should().Be(0);
        output.Stdout.Should().StartWith("4001: Private use (4000–4999)").And.Contain("valid: may be sent");
    }

    [Theory]
    [InlineData("70000")]
    [InlineData("-5")]
    [InlineData("nonsense")]
    public void Explain_NotACode_IsUsageError(string input)
    {
        CliRunner.Output output = CliRunner.Run("explain", input);

        output.ExitCode.Should().Be(2);
        output.Stdout.Should().BeEmpty();
        output.Stderr.Should().Contain("not a close code");
    }

    [Fact]
    public void Explain_Json()
    {
        CliRunner.Output output = CliRunner.Run("explain", "1013", "--json");

        using JsonDocument json = JsonDocument.Parse(output.Stdout);
        json.RootElement.GetProperty("code").GetInt32().Should().Be(1013);
        json.RootElement.GetProperty("name").GetString().Should().Be("TryAgainLater");
        json.RootElement.GetProperty("validOnWire").GetBoolean().Should().BeTrue();
        json.RootElement.GetProperty("windowsName").ValueKind.Should().Be(JsonValueKind.Null);
    }

    [Fact]
    public void List_ShowsAllSixteenCodesAligned_AndRanges()
    {
        CliRunner.Output output = CliRunner.Run("list");

        output.ExitCode.Should().Be(0);
        string[] rows = output.Stdout.Split('\n').Where(l => l.Length > 4 && char.IsAsciiDigit(l[0]) && l[4] == ' ').ToArray();
        rows.Select(r => r[..4]).Should().Equal(Enumerable.Range(1000, 16).Select(c => c.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        rows.Count(r => r.Contains("Normal Closure", System.StringComparison.Ordinal)).Should().Be(1);
        output.Stdout.Should().Contain("4000-4999   private use");
        rows.Select(r => r.Length > 27 ? r[27] : ' ').Should().OnlyContain(c => c != ' ', "the IANA name column starts at the same place");
    }

    [Fact]
    public void List_Json_IsArrayOfSixteen()
    {
        using JsonDocument json = JsonDocument.Parse(CliRunner.Run("list", "--json").Stdout);

        json.RootElement.GetArrayLength().Should().Be(16);
    }

    [Theory]
    [InlineData("03 e8 62 79 65")]
    [InlineData("03:E8:62:79:65")]
    [InlineData("0x03e8627965")]
    [InlineData("0x03 0xE8 0x62 0x79 0x65")]
    public void Decode_Payload_AnyHexNotation(string hex)
    {
        CliRunner.Output output = CliRunner.Run("decode", hex);

        output.ExitCode.Should().Be(0);
        output.Stdout.Should().Be("status: 1000 NormalClosure (Normal Closure)\nreason: \"bye\"\n".Replace("\n", System.Environment.NewLine, System.StringComparison.Ordinal));
    }

    [Fact]
    public void Decode_EmptyPayload_Is1005()
    {
        CliRunner.Output output = CliRunner.Run("decode", "");

        output.ExitCode.Should().Be(0);
        output.Stdout.Should().StartWith("status: 1005 Empty (No Status Rcvd)");
    }

    [Fact]
    public void Decode_InvalidUtf8_SaysAnswer1007_Exit1()
    {
        CliRunner.Output output = CliRunner.Run("decode", "03 e8 c0 80");

        output.ExitCode.Should().Be(1);
        output.Stdout.Should().BeEmpty();
        output.Stderr.Should().Contain("InvalidUtf8").And.Contain("answer with 1007 InvalidPayloadData");
    }

    [Fact]
    public void Decode_ReasonWithControlChars_IsEscaped()
    {
        CliRunner.Output output = CliRunner.Run("decode", "03 e8 61 0a 62");

        output.Stdout.Should().Contain("reason: \"a\\u000Ab\"");
    }

    [Theory]
    [InlineData("03 e", "wsclose: \"03 e\" has an odd number of hex digits (3).")]
    [InlineData("zz", "wsclose: \"zz\" at hex digit 1 of \"zz\" is not a hex byte.")]
    public void Decode_BadHex_IsUsageError(string hex, string message)
    {
        CliRunner.Output output = CliRunner.Run("decode", hex);

        output.ExitCode.Should().Be(2);
        output.Stderr.Should().Be(message + System.Environment.NewLine);
    }

    [Fact]
    public void Decode_MaskedFrame()
    {
        CliRunner.Output output = CliRunner.Run("decode", "--frame", "88 85 37 fa 21 3d 34 12 43 44 52");

        output.ExitCode.Should().Be(0);
        output.Stdout.Should().Contain("status: 1000 NormalClosure").And.Contain("reason: \"bye\"").And.Contain("masked with key 37FA213D");
    }

    [Fact]
    public void Decode_UnmaskedFrame_Json()
    {
        CliRunner.Output output = CliRunner.Run("decode", "--frame", "--json", "88 02 03 e9");

        using JsonDocument json = JsonDocument.Parse(output.Stdout);
        json.RootElement.GetProperty("valid").GetBoolean().Should().BeTrue();
        json.RootElement.GetProperty("status").GetInt32().Should().Be(1001);
        json.RootElement.GetProperty("masked").GetBoolean().Should().BeFalse();
    }

    [Theory]
    [InlineData("08 02 03 e8", "NotFinal", "1002")]
    [InlineData("88 7e 00 02", "TooLong", "1002")]
    [InlineData("88 02 03", "Incomplete", "1 more byte needed")]
    [InlineData("88 02 03 e8 00", "TrailingBytes", "1 byte follows the 4-byte frame")]
    public void Decode_BadFrame_Exit1(string hex, string error, string detail)
    {
        CliRunner.Output output = CliRunner.Run("decode", "--frame", hex);

        output.ExitCode.Should().Be(1);
        output.Stderr.Should().Contain(error).And.Contain(detail);
    }

    [Fact]
    public void Decode_Invalid_Json_OnStdout()
    {
        CliRunner.Output output = CliRunner.Run("decode", "--json", "03 ee");

        output.ExitCode.Should().Be(1);
        using JsonDocument json = JsonDocument.Parse(output.Stdout);
        json.RootElement.GetProperty("error").GetString().Should().Be("InvalidStatus");
        json.RootElement.GetProperty("answer").GetInt32().Should().Be(1002);
    }

    [Fact]
    public void Encode_Payload()
    {
        CliRunner.Output output = CliRunner.Run("encode", "1000", "bye");

        output.ExitCode.Should().Be(0);
        output.Stdout.Trim().Should().Be("03 E8 62 79 65");
    }

    [Fact]
    public void Encode_ByName_Empty_IsEmptyPayload()
    {
        CliRunner.Run("encode", "going-away").Stdout.Trim().Should().Be("03 E9");
        CliRunner.Run("encode", "empty").Stdout.Trim().Should().Be("(empty payload: a close frame without a status code, which its reader reports as 1005)");
    }

    [Fact]
    public void Encode_1005_SaysTheEmptyPayload_AndItsFrame()
    {
        // RFC 6455 §7.4.1: 1005 is never sent as a code; the close frame carries no payload (§5.5.1).
        CliRunner.Output output = CliRunner.Run("encode", "1005");

        output.ExitCode.Should().Be(0);
        output.Stdout.Should().Contain("empty payload").And.Contain("1005");
        CliRunner.Run("encode", "1005", "--frame").Stdout.Trim().Should().Be("88 00");
        CliRunner.RunWithStdin("1005\n1000\n", "encode").Stdout.Should().Be("\n03 E8\n", "in a line filter the hex stays the output, one line per input line");
    }

    [Theory]
    [InlineData("88 05 03 E8 62 79 65")]
    [InlineData("88 85 37 FA 21 3D 34 12 43 44 52")]
    public void Decode_AFrameWithoutFrameOption_HintsAtIt(string hex)
    {
        CliRunner.Output output = CliRunner.Run("decode", hex);

        output.ExitCode.Should().Be(1);
        output.Stderr.Should().Contain("InvalidStatus").And.Contain("look like a whole close frame: decode them with --frame");
        CliRunner.Run("decode", hex, "--frame").Stdout.Should().StartWith("status: 1000 NormalClosure");
    }

    [Fact]
    public void Decode_APayloadStartingLikeAFrameButNotOne_HasNoHint()
    {
        // 0x88 0x05 with three bytes after it: the length does not account for the bytes, so it is no frame.
        CliRunner.Run("decode", "88 05 03 E8 62").Stderr.Should().Contain("InvalidStatus").And.NotContain("--frame");
    }

    [Theory]
    [InlineData("decode")]
    [InlineData("explain")]
    [InlineData("encode")]
    public void Dash_ReadsStandardInput(string command)
    {
        string input = command == "decode" ? "03 e8\n" : "1000\n";
        CliRunner.Output dash = CliRunner.RunWithStdin(input, command, "-");
        CliRunner.Output none = CliRunner.RunWithStdin(input, command);

        dash.ExitCode.Should().Be(0);
        dash.Stdout.Should().NotBeEmpty().And.Be(none.Stdout);
    }

    [Fact]
    public void Encode_Frame_ServerAndMasked()
    {
        CliRunner.Run("encode", "1000", "bye", "--frame").Stdout.Trim().Should().Be("88 05 03 E8 62 79 65");
        CliRunner.Run("encode", "1000", "bye", "--mask", "37fa213d").Stdout.Trim().Should().Be("88 85 37 FA 21 3D 34 12 43 44 52");
    }

    [Fact]
    public void Encode_RandomMask_DecodesBack()
    {
        string hex = CliRunner.Run("encode", "4000", "hi", "--random-mask").Stdout.Trim();

        hex.Should().StartWith("88 84");
        CliRunner.Output decoded = CliRunner.Run("decode", "--frame", hex);
        decoded.ExitCode.Should().Be(0);
        decoded.Stdout.Should().Contain("status: 4000").And.Contain("\"hi\"");
    }

    [Fact]
    public void Encode_MaskAndRandomMask_IsUsageError()
    {
        CliRunner.Run("encode", "1000", "--mask", "37fa213d", "--random-mask").ExitCode.Should().Be(2);
        CliRunner.Run("encode", "1000", "--mask", "37fa").ExitCode.Should().Be(2);
    }

    [Fact]
    public void Encode_UnsendableCode_Exit1_WithLibraryMessage()
    {
        CliRunner.Output output = CliRunner.Run("encode", "1006");

        output.ExitCode.Should().Be(1);
        output.Stdout.Should().BeEmpty();
        output.Stderr.Should().Contain("1006 (AbnormalClosure) is reported locally and must not be sent");
        output.Stderr.Should().NotContain("Parameter");
    }

    [Fact]
    public void Encode_LongReason_Exit1_UnlessTruncate()
    {
        string reason = new('a', 130);

        CliRunner.Output strict = CliRunner.Run("encode", "1000", reason);
        CliRunner.Output truncated = CliRunner.Run("encode", "1000", reason, "--truncate", "--json");

        strict.ExitCode.Should().Be(1);
        strict.Stderr.Should().Be("wsclose: the reason is 130 bytes in UTF-8; a close frame holds at most 123. Shorten it, or pass --truncate." + System.Environment.NewLine);
        truncated.ExitCode.Should().Be(0);
        using JsonDocument json = JsonDocument.Parse(truncated.Stdout);
        json.RootElement.GetProperty("length").GetInt32().Should().Be(125);
        json.RootElement.GetProperty("charsDropped").GetInt32().Should().Be(10);
        json.RootElement.GetProperty("hex").GetString().Should().EndWith("E2 80 A6");
    }

    [Fact]
    public void Stdin_Decode_OneResultPerLine_ExitIsWorst()
    {
        CliRunner.Output output = CliRunner.RunWithStdin("03 e8 62 79 65\n\n03 ee\n03 e9\n", "decode");

        output.ExitCode.Should().Be(1);
        output.Stdout.Split('\n', System.StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).Should().Equal(
            "1000 NormalClosure \"bye\"",
            "1005 Empty \"\"",
            "invalid close payload: InvalidStatus: the status code 1006 (AbnormalClosure) must not appear in a close frame (RFC 6455 §7.4); answer with 1002 ProtocolError",
            "1001 EndpointUnavailable \"\"");
    }

    [Fact]
    public void Stdin_Explain_Json_OneObjectPerLine()
    {
        CliRunner.Output output = CliRunner.RunWithStdin("1000\nPolicyViolation\n", "explain", "--json");

        output.ExitCode.Should().Be(0);
        string[] lines = output.Stdout.Split('\n', System.StringSplitOptions.RemoveEmptyEntries);
        lines.Should().HaveCount(2);
        lines.Select(l => JsonDocument.Parse(l).RootElement.GetProperty("code").GetInt32()).Should().Equal(1000, 1008);
    }

    [Fact]
    public void Stdin_Encode_CodeAndReasonPerLine()
    {
        CliRunner.Output output = CliRunner.RunWithStdin("1000 bye now\n1001\n", "encode");

        output.ExitCode.Should().Be(0);
        output.Stdout.Split('\n', System.StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r'))
            .Should().Equal("03 E8 62 79 65 20 6E 6F 77", "03 E9");
    }

    [Fact]
    public void Stdin_UsageErrorLine_Exit2()
    {
        CliRunner.Output output = CliRunner.RunWithStdin("1000\nbogus\n", "explain");

        output.ExitCode.Should().Be(2);
        output.Stdout.Should().Contain("usage error: \"bogus\" is not a close code");
    }

    [Fact]
    public void MissingArgument_WithoutStdin_IsUsageError()
    {
        CliRunner.Output output = CliRunner.Run("decode");

        output.ExitCode.Should().Be(2);
        output.Stderr.Should().Contain("decode needs hex");
    }

    [Theory]
    [InlineData("frobnicate")]
    [InlineData("explain", "1000", "--bogus")]
    public void UnknownCommandOrOption_IsUsageError(params string[] args)
    {
        CliRunner.Output output = CliRunner.Run(args);

        output.ExitCode.Should().Be(2);
        output.Stdout.Should().BeEmpty();
        output.Stderr.Should().Contain("wsclose --help");
    }

    [Fact]
    public void NoCommand_IsUsageError()
    {
        CliRunner.Run().ExitCode.Should().Be(2);
    }

    [Fact]
    public void Help_ListsCommands()
    {
        CliRunner.Output output = CliRunner.Run("--help");

        output.ExitCode.Should().Be(0);
        output.Stdout.Should().Contain("explain").And.Contain("decode").And.Contain("encode").And.Contain("list");
    }

    [Fact]
    public void Decode_InvalidStatus_NamesTheCode_InTextAndJson()
    {
        CliRunner.Output text = CliRunner.Run("decode", "03 ed");
        CliRunner.Output json = CliRunner.Run("decode", "--json", "03 ed");

        text.Stderr.Should().Be("wsclose: invalid close payload: InvalidStatus: the status code 1005 (Empty) must not appear in a close frame (RFC 6455 §7.4); answer with 1002 ProtocolError" + System.Environment.NewLine);
        using JsonDocument document = JsonDocument.Parse(json.Stdout);
        document.RootElement.GetProperty("status").GetInt32().Should().Be(1005);
        document.RootElement.GetProperty("message").GetString().Should().Contain("§7.4");
        json.Stdout.Should().Contain("RFC 6455 §7.4", "JSON keeps § readable");
    }

    [Fact]
    public void Json_KeepsApostrophesAndSectionSignsReadable()
    {
        CliRunner.Output output = CliRunner.Run("encode", "--json", "1000", "it's 5 § long", "--frame");

        output.Stdout.Should().NotContain("\\u0027").And.NotContain("\\u00A7");
        using JsonDocument document = JsonDocument.Parse(output.Stdout);
        document.RootElement.GetProperty("valid").GetBoolean().Should().BeTrue();
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("70000")]
    [InlineData("+5")]
    public void Explain_OutOfRange_IsOneKindOfMessage(string code)
    {
        CliRunner.Output output = CliRunner.Run("explain", code);

        output.ExitCode.Should().Be(2);
        output.Stderr.Should().Be($"wsclose: \"{code}\" is not a close code: codes are whole numbers from 0 to 65535." + System.Environment.NewLine);
    }

    [Fact]
    public void Frame_TrailingBytes_AndIncomplete_CountInWords()
    {
        CliRunner.Run("decode", "--frame", "88 02 03 e8 00 00").Stderr.Should().Contain("2 bytes follow the 4-byte frame");
        CliRunner.Run("decode", "--frame", "88 02").Stderr.Should().Contain("2 more bytes needed");
        CliRunner.Run("decode", "--frame", "88 82 00 00 00 00 03 ed").Stderr.Should().Contain("the status code 1005 (Empty)");
    }
}
