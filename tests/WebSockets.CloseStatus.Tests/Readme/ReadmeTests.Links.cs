using System;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using FluentAssertions;
using Xunit;

namespace WebSockets.CloseStatus.Tests.Readme;

/// <summary>The docs point where they say: relative links reach a file and a heading; the NuGet readme has only absolute links.</summary>
public partial class ReadmeTests
{
    public static TheoryData<string> DocFiles()
    {
        var data = new TheoryData<string>();
        foreach (string path in Docs())
        {
            data.Add(Path.GetRelativePath(s_root, path));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(DocFiles))]
    public void RelativeLinks_ReachAFileAndItsHeading(string doc)
    {
        string path = Path.Combine(s_root, doc);
        foreach (Match link in MarkdownLink().Matches(File.ReadAllText(path)))
        {
            string target = link.Groups[1].Value;
            if (target.StartsWith("https://", StringComparison.Ordinal))
            {
                continue;
            }

            string[] parts = target.Split('#', 2);
            string file = parts[0].Length == 0 ? path : Path.GetFullPath(Path.Combine(Path.GetDirectoryName(path)!, parts[0]));
            File.Exists(file).Should().BeTrue("{0} links to {1}", doc, target);
            if (parts.Length == 2)
            {
                Anchors(File.ReadAllText(file)).Should().Contain(parts[1], "{0} links to the heading {1}", doc, target);
            }
        }
    }

    [Fact]
    public void PackageReadme_HasOnlyAbsoluteLinksAndNoImages()
    {
        string text = File.ReadAllText(Path.Combine(s_root, "src", "WebSockets.CloseStatus", "PACKAGE.md"));

        MarkdownLink().Matches(text).Select(m => m.Groups[1].Value).Should().OnlyContain(target => target.StartsWith("https://", StringComparison.Ordinal));
        text.Should().NotContain("![").And.NotContain("<img");
    }

    [Fact]
    public void Readme_IsForUsers_ShortWithInstallAndQuickStartFirst()
    {
        string readme = File.ReadAllText(Path.Combine(s_root, "README.md"));
        string[] headings = [.. readme.Split('\n').Where(line => line.StartsWith("## ", StringComparison.Ordinal))];

        System.Text.Encoding.UTF8.GetByteCount(readme).Should().BeLessThanOrEqualTo(25_000, "at most 25 KB: details live beside the code they describe");
        headings.Take(2).Should().Equal("## Install", "## Quick start");
    }

    // GitHub's heading ids: lower case, punctuation dropped, spaces to hyphens.
    private static string[] Anchors(string markdown) =>
        [.. markdown.Split('\n')
            .Where(line => line.StartsWith('#'))
            .Select(line => new string([.. line.TrimStart('#').Trim().ToLowerInvariant()
                .Where(c => char.IsLetterOrDigit(c) || c is ' ' or '-' or '_')]).Replace(' ', '-'))];

    [GeneratedRegex(@"\]\(([^)\s]+)\)")]
    private static partial Regex MarkdownLink();
}
