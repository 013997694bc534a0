using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using FluentAssertions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace WebSockets.CloseStatus.Tests.Readme;

/// <summary>
/// The README's <c>PipeReader</c> sample is an <see langword="async"/> method: it must compile with the C# a netstandard2.0 library
/// defaults to (7.3), with Unity's and older SDKs' (12, where a ref struct local in an async method is CS9202), and with 13.
/// </summary>
public partial class ReadmeTests
{
    private const string Usings = """
        using System;
        using System.Buffers;
        using System.IO.Pipelines;
        using System.Text;
        using System.Threading;
        using System.Threading.Tasks;
        using WebSockets.CloseStatus;

        """;

    public static TheoryData<string> LanguageVersions => new() { "7.3", "12", "13" };

    [Theory]
    [MemberData(nameof(LanguageVersions))]
    public void PipeReaderSample_CompilesInAnAsyncMethod_AtEveryLanguageVersion(string version)
    {
        string sample = CSharpBlocks().Single(block => block.Contains("reader.ReadAsync(ct)", StringComparison.Ordinal));

        IEnumerable<string> errors = Compile(
            Usings + "public static class Sample\n{\n"
            + "public static async Task<(WebSocketCloseStatus Status, string Reason)> ReadCloseAsync(PipeReader reader, CancellationToken ct)\n{\n"
            + sample + "}\n}\n",
            version);

        errors.Should().BeEmpty("the README's PipeReader sample must compile as C# {0}", version);
    }

    [Theory]
    [InlineData("7.3", "CS8370")]
    [InlineData("12", "CS9202")]
    [InlineData("13", null)]
    public void LanguageVersionCheck_CatchesARefStructLocalInAnAsyncMethod(string version, string? error)
    {
        // The control: the shape the sample had when the result was a ref struct fails exactly where the issue says it did.
        const string RefStructResult = """
            public ref struct Result { public int Length; }
            public static class Sample
            {
                public static async Task<int> ReadAsync(Task<int> next)
                {
                    Result result = default;
                    result.Length = await next;
                    return result.Length;
                }
            }
            """;

        IEnumerable<string> errors = Compile(Usings + RefStructResult, version);

        if (error is null)
        {
            errors.Should().BeEmpty();
        }
        else
        {
            errors.Should().Contain(e => e.StartsWith(error, StringComparison.Ordinal));
        }
    }

    private static IEnumerable<string> Compile(string source, string version)
    {
        LanguageVersionFacts.TryParse(version, out LanguageVersion languageVersion).Should().BeTrue();
        IEnumerable<MetadataReference> references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!)
            .Split(Path.PathSeparator)
            .Where(path => path.Length > 0 && !Path.GetFileName(path).StartsWith("WebSockets.CloseStatus", StringComparison.Ordinal))
            .Append(typeof(CloseFrame).Assembly.Location)
            .Select(path => MetadataReference.CreateFromFile(path));
        CSharpCompilation compilation = CSharpCompilation.Create(
            "ReadmeSample" + version.Replace(".", "_", StringComparison.Ordinal),
            [CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(languageVersion))],
            references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Disable));
        return compilation.GetDiagnostics()
            .Where(d => d.Severity == DiagnosticSeverity.Error)
            .Select(d => $"{d.Id}: {d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)} at {d.Location.GetLineSpan().StartLinePosition}");
    }
}
