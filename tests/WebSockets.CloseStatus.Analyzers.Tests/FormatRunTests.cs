using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using FluentAssertions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using WebSockets.CloseStatus.CodeFixes;
using Xunit;

namespace WebSockets.CloseStatus.Analyzers.Tests;

/// <summary>
/// What one <c>dotnet format analyzers --diagnostics WSCS001 WSCS002 WSCS003 WSCS004 WSCS005</c> run does, in process: it
/// finds the rules reported, then takes them one after the other, in an order of its own; for each it analyzes the
/// solution again and applies that rule's Fix All in solution scope, with the equivalence key of the first fix offered
/// for the first diagnostic of any rule. Every order must fix every mistake of <c>FixAllSample/</c> and give <c>FixAllSample/fixed/</c>, since a fix
/// that left a mistake under a rule already done, or under one not found at first, would stay unfixed.
/// <c>format-fix-all.sh</c> beside this file runs the real <c>dotnet format</c> on the same sample.
/// </summary>
public sealed class FormatRunTests
{
    private static readonly string[] s_fixable = ["WSCS001", "WSCS002", "WSCS003", "WSCS005"];
    private static readonly string[] s_rules = ["WSCS001", "WSCS002", "WSCS003", "WSCS004", "WSCS005"];
    private static readonly string s_sample = Path.Combine(AppContext.BaseDirectory, "FixAllSample");

    public static TheoryData<string> Orders()
    {
        var orders = new TheoryData<string>();
        foreach (IEnumerable<string> order in Permutations(s_fixable))
        {
            orders.Add(string.Join(' ', order));
        }

        return orders;
    }

    [Theory]
    [MemberData(nameof(Orders))]
    public async Task OneRun_FixesEveryRule_WhateverTheOrderOfTheRules(string order)
    {
        Solution solution = Sample();
        ImmutableArray<Diagnostic> found = await AnalyzeAsync(solution);
        found.Select(d => d.Id).Distinct().Should().BeEquivalentTo(s_rules, "the sample has mistakes of every rule");
        found[0].Id.Should().Be("WSCS004", "the first diagnostic, which gives dotnet format its equivalence key, has no fix");

        foreach (string id in order.Split(' '))
        {
            solution = await FixAllAsync(solution, id);
        }

        (await AnalyzeAsync(solution)).Select(d => d.Id).Should().Equal(["WSCS004"], "one run fixes every mistake that has a fix");
        foreach (Document document in solution.Projects.Single().Documents)
        {
            string expected = File.ReadAllText(Path.Combine(s_sample, "fixed", document.Name));
            (await document.GetTextAsync()).ToString().Should().Be(expected, $"{document.Name} after the rules in the order {order}");
        }
    }

    // As dotnet format's SolutionCodeFixApplier: the analysis has every rule asked for (one analyzer reports them all), and
    // the first diagnostic's first fix gives the equivalence key, whichever rule that diagnostic is of (the sample's first
    // is a WSCS004, which has no fix: no key); the Fix All in solution scope takes the diagnostics of the one rule.
    private static async Task<Solution> FixAllAsync(Solution solution, string id)
    {
        ImmutableArray<Diagnostic> diagnostics = await AnalyzeAsync(solution);
        if (!diagnostics.Any(d => d.Id == id))
        {
            return solution;
        }

        var fixer = new CloseCallCodeFixProvider();
        Document document = solution.GetDocument(diagnostics[0].Location.SourceTree)!;
        CodeAction? first = null;
        await fixer.RegisterCodeFixesAsync(new CodeFixContext(document, diagnostics[0], (action, _) => first ??= action, CancellationToken.None));
        var context = new FixAllContext(document, fixer, FixAllScope.Solution, first?.EquivalenceKey!, [id], new Diagnostics(diagnostics), CancellationToken.None);
        CodeAction fixAll = (await fixer.GetFixAllProvider().GetFixAsync(context))!;
        ImmutableArray<CodeActionOperation> operations = await fixAll.GetOperationsAsync(CancellationToken.None);
        return operations.OfType<ApplyChangesOperation>().Single().ChangedSolution;
    }

    private static async Task<ImmutableArray<Diagnostic>> AnalyzeAsync(Solution solution)
    {
        Compilation compilation = (await solution.Projects.Single().GetCompilationAsync())!;
        compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).Should().BeEmpty("the sample compiles before and after its fixes");
        ImmutableArray<Diagnostic> diagnostics = await compilation.WithAnalyzers([new CloseCallAnalyzer()]).GetAnalyzerDiagnosticsAsync();
        return diagnostics.Where(d => s_rules.Contains(d.Id)).OrderBy(d => d.Location.SourceTree!.FilePath, StringComparer.Ordinal).ThenBy(d => d.Location.SourceSpan.Start).ToImmutableArray();
    }

    private static Solution Sample()
    {
        var workspace = new AdhocWorkspace();
        ProjectId id = ProjectId.CreateNewId();
        Solution solution = workspace.CurrentSolution
            .AddProject(ProjectInfo.Create(id, VersionStamp.Default, "FixAllSample", "FixAllSample", LanguageNames.CSharp,
                compilationOptions: new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable),
                parseOptions: new CSharpParseOptions(LanguageVersion.Latest),
                metadataReferences: Verify.References()));
        foreach (string path in Directory.GetFiles(s_sample, "*.cs").Order(StringComparer.Ordinal))
        {
            solution = solution.AddDocument(DocumentId.CreateNewId(id), Path.GetFileName(path), File.ReadAllText(path), filePath: path);
        }

        return solution;
    }

    private static IEnumerable<IEnumerable<string>> Permutations(string[] items) =>
        items.Length == 0
            ? [[]]
            : items.SelectMany((item, i) => Permutations([.. items.Take(i), .. items.Skip(i + 1)]).Select(rest => rest.Prepend(item)));

    // The diagnostics of the last analysis, as dotnet format hands them to the Fix All.
    private sealed class Diagnostics(ImmutableArray<Diagnostic> diagnostics) : FixAllContext.DiagnosticProvider
    {
        public override async Task<IEnumerable<Diagnostic>> GetDocumentDiagnosticsAsync(Document document, CancellationToken cancellationToken)
        {
            SyntaxTree? tree = await document.GetSyntaxTreeAsync(cancellationToken);
            return diagnostics.Where(d => d.Location.SourceTree == tree);
        }

        public override Task<IEnumerable<Diagnostic>> GetProjectDiagnosticsAsync(Project project, CancellationToken cancellationToken) =>
            Task.FromResult(Enumerable.Empty<Diagnostic>());

        public override Task<IEnumerable<Diagnostic>> GetAllDiagnosticsAsync(Project project, CancellationToken cancellationToken) =>
            Task.FromResult<IEnumerable<Diagnostic>>(diagnostics);
    }
}
