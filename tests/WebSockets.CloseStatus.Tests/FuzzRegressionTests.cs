using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using FluentAssertions;
using WebSockets.CloseStatus.Fuzz;
using WebSockets.CloseStatus.Tests.TestData;
using Xunit;

namespace WebSockets.CloseStatus.Tests;

/// <summary>
/// The coverage-guided fuzz targets (tests/WebSockets.CloseStatus.Fuzz) as unit tests: every seed and every input
/// a fuzz run ever failed on (regressions/) must pass, on each library build.
/// </summary>
public class FuzzRegressionTests
{
    private static readonly string s_fuzz = Path.Combine(RepositoryRoot.Path, "tests", "WebSockets.CloseStatus.Fuzz");

    public static IEnumerable<object[]> Inputs() =>
        from folder in new[] { "corpus", "regressions" }
        from target in FuzzTargets.Names
        let directory = Path.Combine(s_fuzz, folder, target)
        where Directory.Exists(directory)
        from file in Directory.GetFiles(directory).Order(StringComparer.Ordinal)
        select new object[] { target, Path.GetRelativePath(s_fuzz, file) };

    [Theory]
    [MemberData(nameof(Inputs))]
    public void SavedInput_KeepsEveryPromise(string target, string file)
    {
        FuzzTargets.TryGet(target, out Action<byte[]>? run).Should().BeTrue();

        run!(File.ReadAllBytes(Path.Combine(s_fuzz, file)));
    }

    [Fact]
    public void EveryTarget_HasSeeds_AndTheLoneSurrogateCrashesAreKept()
    {
        Inputs().Select(i => (string)i[0]).Distinct().Should().BeEquivalentTo(FuzzTargets.Names);
        Directory.GetFiles(Path.Combine(s_fuzz, "regressions", "write")).Should().NotBeEmpty();
    }

    [Fact]
    public void WriteTarget_CatchesTheLoneSurrogateBug_ItWasPlantedFor()
    {
        // The model says what a correct writer does; an input whose lone surrogate lies in the dropped part must be
        // written (issue #14's contract bug): 123 × 'a' then U+D800, chars, Truncate, a 200-byte destination.
        byte[] input = [0x03, 0xE8, 0x05, 200, .. Enumerable.Repeat(new byte[] { (byte)'a', 0 }, 123).SelectMany(b => b), 0x00, 0xD8];

        FuzzTargets.Write(input);
        Model model = Model.ForChars(WebSocketCloseStatus.NormalClosure, new string('a', 123) + "\uD800", CloseReasonTruncation.Truncate);
        model.Payload.Should().NotBeNull().And.HaveCount(125);
        model.Dropped.Should().Be(1);
    }
}
