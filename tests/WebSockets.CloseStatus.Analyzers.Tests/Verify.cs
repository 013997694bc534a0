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
    private static readonly Lazy<MetadataReference[]> s_runtime = new(() =>
    {
        string runtime = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        string root = Path.GetFullPath(Path.Combine(runtime, "..", "..", ".."));
        string pack = Directory.GetDirectories(Path.Combine(root, "packs", "Microsoft.NETCore.App.Ref"))
            .Where(d => Path.GetFileName(d).StartsWith($"{Environment.Version.Major}.", StringComparison.Ordinal))
            .OrderBy(d => Version.Parse(Path.GetFileName(d).Split('-')[0]))
            .Last();
        return Directory.GetFiles(Path.Combine(pack, "ref", $"net{Environment.Version.Major}.0"), "*.dll").Select(p => MetadataReference.CreateFromFile(p)).ToArray<MetadataReference>();
    });

    private static readonly Lazy<MetadataReference> s_library = new(() => MetadataReference.CreateFromFile(typeof(WebSocketCloseStatus).Assembly.Location));

    /// <summary>The references of every test: .NET's reference pack, and the library unless a test brings its own API as source.</summary>
    public static MetadataReference[] References(bool library = true) => library ? [.. s_runtime.Value, s_library.Value] : s_runtime.Value;

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

    /// <summary>
    /// Fixes <paramref name="sources"/> one diagnostic at a time and by Fix All in document, project and solution scope,
    /// and checks each gives <paramref name="fixedSources"/>: a Fix All in a wider scope takes exactly
    /// <paramref name="fixAllIterations"/> runs (one per rule's equivalence key), one in a document
    /// <paramref name="documentIterations"/> runs. With <paramref name="api"/>, the code compiles against that source instead of the library.
    /// </summary>
    public static Task FixAllAsync(string[] sources, DiagnosticResult[] expected, string[] fixedSources, int fixAllIterations, int documentIterations, string? api = null)
    {
        var test = new CSharpCodeFixTest<CloseCallAnalyzer, CloseCallCodeFixProvider, DefaultVerifier>
        {
            NumberOfFixAllIterations = fixAllIterations,
            NumberOfFixAllInProjectIterations = fixAllIterations,
            NumberOfFixAllInDocumentIterations = documentIterations,
        };
        foreach (string source in api is null ? sources : [.. sources, api])
        {
            test.TestState.Sources.Add(source);
        }

        foreach (string source in api is null ? fixedSources : [.. fixedSources, api])
        {
            test.FixedState.Sources.Add(source);
        }

        Configure(test.TestState, library: api is null);
        Configure(test.FixedState, library: api is null);
        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync(CancellationToken.None);
    }

    private static void Configure(SolutionState state, bool library = true)
    {
        state.ReferenceAssemblies = new ReferenceAssemblies($"net{Environment.Version.Major}.0");
        state.AdditionalReferences.AddRange(References(library));
    }
}
