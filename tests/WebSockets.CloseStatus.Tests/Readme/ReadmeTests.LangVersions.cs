using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using FluentAssertions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using WebSockets.CloseStatus.Tests.TestData;
using Xunit;

namespace WebSockets.CloseStatus.Tests.Readme;

/// <summary>
/// The README's <c>PipeReader</c> loop is an <see langword="async"/> method: it must compile with the C# a netstandard2.0 library
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
    public void PipeReaderLoop_CompilesAsAsyncMethods_AtEveryLanguageVersion(string version)
    {
        string loop = CSharpBlocks().Single(block => block.Contains("ReadLoopAsync(CloseHandshake handshake", StringComparison.Ordinal));
        string client = CSharpBlocks().Single(block => block.Contains("var client = new CloseHandshake(WebSocketRole.Client);", StringComparison.Ordinal));

        IEnumerable<string> errors = SourceCompiler.Errors(
            Usings + "public static class Sample\n{\n"
            + "private static bool TryReadDataFrame(in ReadOnlySequence<byte> buffer, out int consumed) { consumed = 0; return true; }\n"
            + loop
            + "public static async Task<CloseHandshake> ClientAsync(IDuplexPipe transport, CancellationToken ct)\n{\n" + client + "return client;\n}\n"
            + "}\n",
            version);

        errors.Should().BeEmpty("the README's PipeReader loop must compile as C# {0}", version);
    }

    /// <summary>The language versions a literal <see langword="null"/> reason must compile in; "preview" is C# 14 in this compiler.</summary>
    public static TheoryData<string> NullReasonVersions => new() { "7.3", "12", "13", "preview" };

    [Theory]
    [MemberData(nameof(NullReasonVersions))]
    public void LiteralNullReason_Compiles_AtEveryLanguageVersion(string version)
    {
        const string Calls = """
            public static class Sample
            {
                public static void Close(CloseHandshake handshake, byte[] buffer)
                {
                    int written;
                    handshake.WriteClose(buffer, WebSocketCloseStatus.NormalClosure, null, out written);
                    handshake.WriteClose(buffer, WebSocketCloseStatus.NormalClosure, null, out written, CloseReasonTruncation.Truncate);
                    handshake.Fail(WebSocketCloseStatus.ProtocolError, null);
                }
            }
            """;

        SourceCompiler.Errors(Usings + Calls, version).Should().BeEmpty("a literal null reason must bind in C# {0}", version);
    }

    [Fact]
    public void LiteralNullReasonCheck_CatchesAnAmbiguousOverloadSet()
    {
        // The control: string and UTF-8 reasons under one name, as 1.x had them, make a literal null ambiguous (CS0121).
        const string OneName = """
            public static class Sample
            {
                public static void M(string reason) { }
                public static void M(ReadOnlySpan<char> reason) { }
                public static void M(ReadOnlySpan<byte> reason) { }
                public static void Call() => M(null);
            }
            """;

        SourceCompiler.Errors(Usings + OneName, "13").Should().Contain(e => e.StartsWith("CS0121", StringComparison.Ordinal));
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

        IEnumerable<string> errors = SourceCompiler.Errors(Usings + RefStructResult, version);

        if (error is null)
        {
            errors.Should().BeEmpty();
        }
        else
        {
            errors.Should().Contain(e => e.StartsWith(error, StringComparison.Ordinal));
        }
    }
}
