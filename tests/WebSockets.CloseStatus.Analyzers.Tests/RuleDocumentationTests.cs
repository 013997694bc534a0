using System;
using System.IO;
using System.Linq;
using FluentAssertions;
using Microsoft.CodeAnalysis;
using Xunit;

namespace WebSockets.CloseStatus.Analyzers.Tests;

/// <summary>Every rule is documented where its help link points, and listed in the README.</summary>
public sealed class RuleDocumentationTests
{
    private static readonly string s_root = FindRoot();

    [Fact]
    public void EveryRule_HasAWarning_AHelpLinkToItsSection_AndTheReadmeNamesIt()
    {
        string rules = File.ReadAllText(Path.Combine(s_root, "src", "WebSockets.CloseStatus.Analyzers", "README.md"));
        string readme = File.ReadAllText(Path.Combine(s_root, "README.md"));
        var descriptors = new CloseCallAnalyzer().SupportedDiagnostics;

        descriptors.Select(d => d.Id).Should().Equal("WSCS001", "WSCS002", "WSCS003", "WSCS004", "WSCS005");
        foreach (DiagnosticDescriptor rule in descriptors)
        {
            rule.DefaultSeverity.Should().Be(DiagnosticSeverity.Warning);
            rule.IsEnabledByDefault.Should().BeTrue();
            string anchor = rule.Id.ToLowerInvariant();
            rule.HelpLinkUri.Should().Be($"https://github.com/websockets-closestatus/WebSockets.CloseStatus/blob/main/src/WebSockets.CloseStatus.Analyzers/README.md#{anchor}");
            rules.Should().Contain($"\n## {rule.Id}\n", "the help link's anchor is the rule's heading");
            readme.Should().Contain(rule.Id, "the README names every rule; its table is in the analyzer's README");
        }
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "WebSocketCloseStatus.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("the repository root was not found above " + AppContext.BaseDirectory);
    }
}
