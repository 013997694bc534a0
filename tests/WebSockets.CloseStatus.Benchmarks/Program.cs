using System;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using Perfolizer.Horology;

namespace WebSockets.CloseStatus.Benchmarks;

/// <summary>Runs the suites: each against the net10.0 and the netstandard2.0 build of the library.</summary>
public static class Program
{
    public static int Main(string[] args)
    {
        // --tables [artifacts]: print the pattern tables of tests/WebSockets.CloseStatus.Benchmarks/README.md from a finished run and check issue #40's targets.
        if (args is ["--tables", .. string[] rest])
        {
            return PatternTables.Print(rest is [string artifacts] ? artifacts : "BenchmarkDotNet.Artifacts");
        }

        bool quick = TakeFlag(ref args, "--quick");
        bool net10Only = TakeFlag(ref args, "--net10-only");
        bool pgo = TakeFlag(ref args, "--pgo");
        int launches = TakeInt(ref args, "--launches", 3);
        int warmups = TakeInt(ref args, "--warmups", 5);
        int iterations = TakeInt(ref args, "--iterations", 15);
        int iterationMs = TakeInt(ref args, "--iteration-ms", 150);

        // The default: 3 launches per case, each with 5 warm-ups and 15 measured iterations of 150 ms. Each launch
        // is a new process, so the mean covers what can differ between processes (the inputs are at fixed
        // addresses modulo the page, see Workload.Aligned).
        Job job = quick
            ? Job.ShortRun
            : Job.Default.WithWarmupCount(warmups).WithIterationCount(iterations).WithIterationTime(TimeInterval.FromMilliseconds(iterationMs));
        job = job.WithLaunchCount(launches);

        // Dynamic PGO compiles hot code from a profile taken while the process warms up, so the same method can get
        // different code in two processes: single-digit-nanosecond cases then land on one of two levels (about 5 or
        // 10 ns) per launch. With it off, every launch agrees within a few percent; --pgo measures the default.
        if (!pgo)
        {
            job = job.WithEnvironmentVariables(new EnvironmentVariable("DOTNET_TieredPGO", "0"));
        }
        // A loaded 2-core machine builds the generated projects in more than BenchmarkDotNet's default two minutes.
        IConfig config = ManualConfig.Create(DefaultConfig.Instance).WithBuildTimeout(TimeSpan.FromMinutes(15)).AddJob(job.WithId("net10.0 build").AsBaseline());
        if (!net10Only)
        {
            config = config.AddJob(job.WithId("netstandard2.0 build").WithCustomBuildConfiguration("ReleaseNetStandard"));
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
        return 0;
    }

    private static bool TakeFlag(ref string[] args, string name)
    {
        int before = args.Length;
        args = Array.FindAll(args, a => a != name);
        return args.Length != before;
    }

    private static int TakeInt(ref string[] args, string name, int fallback)
    {
        int at = Array.IndexOf(args, name);
        if (at < 0 || at + 1 >= args.Length || !int.TryParse(args[at + 1], out int value) || value < 1)
        {
            return fallback;
        }

        args = [.. args[..at], .. args[(at + 2)..]];
        return value;
    }
}
