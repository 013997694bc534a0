// Compiled into the library in mutation runs only (CLOSESTATUS_MUTATION=1, which .ci/run sets for Stryker.NET).
// The mutated library is compiled at Roslyn's default optimization level, Debug (Stryker.NET sets none), so Roslyn
// marks the assembly Debuggable(DisableOptimizations) and the JIT then compiles every method of it unoptimized: the
// UTF-8 tests ran about 40 times as long as on the Release build, and the coverage pass took 11 of the net10.0 run's
// 29 minutes. Declaring the attribute a Release build carries keeps the JIT optimizing; the mutants stay the same.
[assembly: System.Diagnostics.Debuggable(System.Diagnostics.DebuggableAttribute.DebuggingModes.IgnoreSymbolStoreSequencePoints)]
