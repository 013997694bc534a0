using System;

namespace WebSockets.CloseStatus.Tests.TestData;

/// <summary>
/// How many cases the randomized tests run. A mutation run (CLOSESTATUS_FUZZ_CASES under a million, as <c>.ci/run</c> sets
/// it for Stryker) runs them once per mutant of the code they cover, so there they take a tenth; every other run, all.
/// </summary>
internal static class TestScale
{
    /// <summary>Whether this is a mutation run.</summary>
    public static bool IsMutationRun { get; } =
        int.TryParse(Environment.GetEnvironmentVariable("CLOSESTATUS_FUZZ_CASES"), out int cases) && cases < 1_000_000;

    /// <summary><paramref name="full"/>, or a tenth of it in a mutation run.</summary>
    public static long Cases(long full) => IsMutationRun ? full / 10 : full;
}
