using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using FluentAssertions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace WebSockets.CloseStatus.Tests.TestData;

/// <summary>Compiles a caller's source against the library build under test, as a given C# version would.</summary>
public static class SourceCompiler
{
    /// <summary>The compiler's errors for <paramref name="source"/> at C# <paramref name="version"/>, each as "ID: message at line:column".</summary>
    public static List<string> Errors(string source, string version)
    {
        LanguageVersionFacts.TryParse(version, out LanguageVersion languageVersion).Should().BeTrue();
        IEnumerable<MetadataReference> references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!)
            .Split(Path.PathSeparator)
            .Where(path => path.Length > 0 && !Path.GetFileName(path).StartsWith("WebSockets.CloseStatus", StringComparison.Ordinal))
            .Append(typeof(CloseFrame).Assembly.Location)
            .Select(path => MetadataReference.CreateFromFile(path));
        CSharpCompilation compilation = CSharpCompilation.Create(
            "Caller" + version.Replace(".", "_", StringComparison.Ordinal),
            [CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(languageVersion))],
            references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Disable));
        return [.. compilation.GetDiagnostics()
            .Where(d => d.Severity == DiagnosticSeverity.Error)
            .Select(d => $"{d.Id}: {d.GetMessage(CultureInfo.InvariantCulture)} at {d.Location.GetLineSpan().StartLinePosition}")];
    }
}
