using System;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Testing;
using WebSockets.CloseStatus.CodeFixes;

namespace WebSockets.CloseStatus.Analyzers.Tests;

/// <summary>Runs the analyzer and its fixes on a source file compiled against .NET 10 and the library.</summary>
public static class Verify
{
    // The SDK's own reference pack for the running runtime, so the tests need nothing downloaded.
    private static readonly Lazy<MetadataReference[]> s_references = new(() =>
    {
        string runtime = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        string root = Path.GetFullPath(Path.Combine(runtime, "..", "..", ".."));
        string pack = Directory.GetDirectories(Path.Combine(root, "packs", "Microsoft.NETCore.App.Ref"))
            .Where(d => Path.GetFileName(d).StartsWith($"{Environment.Version.Major}.", StringComparison.Ordinal))
            .OrderBy(d => Version.Parse(Path.GetFileName(d).Split('-')[0]))
            .Last();
        return
        [
            .. Directory.GetFiles(Path.Combine(pack, "ref", $"net{Environment.Version.Major}.0"), "*.dll").Select(p => MetadataReference.CreateFromFile(p)),
            MetadataReference.CreateFromFile(typeof(WebSocketCloseStatus).Assembly.Location),
        ];
    });

    public static DiagnosticResult Diagnostic(string id) => new DiagnosticResult(id, DiagnosticSeverity.Warning);

    public static Task AnalyzerAsync(string source, params DiagnosticResult[] expected)
    {
        var test = new CSharpAnalyzerTest<CloseCallAnalyzer, DefaultVerifier> { TestCode = source };
        Configure(test.TestState);
        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync(CancellationToken.None);
    }

    public static Task CodeFixAsync(string source, DiagnosticResult[] expected, string fixedSource)
    {
        var test = new CSharpCodeFixTest<CloseCallAnalyzer, CloseCallCodeFixProvider, DefaultVerifier> { TestCode = source, FixedCode = fixedSource };
        Configure(test.TestState);
        Configure(test.FixedState);
        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync(CancellationToken.None);
    }

    private static void Configure(SolutionState state)
    {
        state.ReferenceAssemblies = new ReferenceAssemblies($"net{Environment.Version.Major}.0");
        state.AdditionalReferences.AddRange(s_references.Value);
    }
}
