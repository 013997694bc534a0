using System;
using System.Buffers;
using System.Collections.Generic;
using System.IO;
using System.IO.Pipelines;
using System.Linq;
using System.Net.WebSockets;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using FluentAssertions;
using ReadmeSamples;
using WebSockets.CloseStatus.Tests.TestData;
using Xunit;

namespace WebSockets.CloseStatus.Tests.Readme;

/// <summary>The README's C# examples compile (each stands verbatim in a compiled file) and do what the README says.</summary>
public partial class ReadmeTests
{
    private static readonly string s_root = RepositoryRoot.Path;

    public static TheoryData<int> Blocks()
    {
        var data = new TheoryData<int>();
        for (int i = 0; i < CSharpBlocks().Count; i++)
        {
            data.Add(i);
        }

        return data;
    }

    [Fact]
    public void Readme_HasItsExamples()
    {
        CSharpBlocks().Count.Should().BeGreaterThanOrEqualTo(8);
    }

    [Theory]
    [MemberData(nameof(Blocks))]
    public void EveryCSharpBlock_StandsVerbatimInACompiledFile(int index)
    {
        string[] block = Normalize(CSharpBlocks()[index]);
        string[] sources =
        [
            .. Directory.GetFiles(Path.Combine(s_root, "tests", "WebSockets.CloseStatus.Tests", "Readme"), "ReadmeSamples*.cs"),
            Path.Combine(s_root, "tests", "consumer", "legacy", "LegacyCloser.cs"),
            Path.Combine(s_root, "tests", "consumer", "web", "Program.cs"),
        ];

        bool found = sources.Select(path => Normalize(File.ReadAllText(path))).Any(lines => Contains(lines, block));

        found.Should().BeTrue("README block {0} must be compiled, verbatim, in a sample file:\n{1}", index, string.Join('\n', block));
    }

    [Fact]
    public void QuickStart_SaysWhatItDoes()
    {
        var result = Samples.QuickStart();

        result.Sendable.Should().BeTrue();
        result.Name.Should().Be("Try Again Later");
        result.Range.Should().Be(CloseStatusRange.PrivateUse);
        result.BrowserOk.Should().BeTrue();
        result.LocalOnly.Should().BeTrue();
        result.Normal.Should().BeTrue();
        result.Parsed.Should().Be(WebSocketCloseStatus.EndpointUnavailable);
        ((int)result.Code).Should().Be(4001);
    }

    [Fact]
    public void ReadingAndWriting_SayWhatTheyDo()
    {
        Samples.ReadPayload([0x03, 0xE8, 0xC0, 0x80]).Should().Be((CloseFrameError.InvalidUtf8, WebSocketCloseStatus.InvalidPayloadData, 0));
        Samples.ReadPayload([0x03]).Should().Be((CloseFrameError.TooShort, WebSocketCloseStatus.ProtocolError, 0));
        Samples.ReadPayload([]).Should().Be((CloseFrameError.None, WebSocketCloseStatus.Empty, 0));

        var written = Samples.Write();
        written.NoReason.Should().Equal(0x03, 0xE8);
        written.Payload.Should().Equal([0x03, 0xF0, .. "not allowed"u8.ToArray()]);
        written.Size.Should().Be(5);

        var truncated = Samples.Truncate(new byte[ClosePayload.MaxLength], new InvalidOperationException(new string('x', 200)));
        truncated.Length.Should().Be(ClosePayload.MaxLength);
        truncated.Reason.Should().Be(new string('x', 120) + "…");
        truncated.Written.Should().Equal([0x03, 0xF3, .. Encoding.UTF8.GetBytes(truncated.Reason)]);
    }

    // The README, the package readme and the READMEs beside the code: every C# block in them is compiled.
    private static List<string> CSharpBlocks() =>
        [.. Docs().SelectMany(path => CSharpBlock().Matches(File.ReadAllText(path)).Select(m => m.Groups[1].Value))];

    private static IEnumerable<string> Docs() =>
        new[] { "README.md", Path.Combine("src", "WebSockets.CloseStatus", "PACKAGE.md") }
            .Select(path => Path.Combine(s_root, path))
            .Concat(new[] { "src", "tests" }.SelectMany(folder =>
                Directory.EnumerateFiles(Path.Combine(s_root, folder), "README.md", SearchOption.AllDirectories)))
            .Where(path => !path.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !path.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !path.Contains("node_modules", StringComparison.Ordinal));

    // Trimmed non-empty lines, without using directives (a sample file has them at its top).
    private static string[] Normalize(string text) =>
        [.. text.Split('\n').Select(line => line.Trim()).Where(line => line.Length > 0 && !line.StartsWith("using ", StringComparison.Ordinal))];

    private static bool Contains(string[] lines, string[] block)
    {
        for (int start = 0; start + block.Length <= lines.Length; start++)
        {
            if (lines.AsSpan(start, block.Length).SequenceEqual(block))
            {
                return true;
            }
        }

        return false;
    }
    [GeneratedRegex("```csharp\\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex CSharpBlock();
}
