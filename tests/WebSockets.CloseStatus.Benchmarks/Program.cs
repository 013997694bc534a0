using System;
using BenchmarkDotNet.Configs;
using Perfolizer.Horology;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;

namespace WebSockets.CloseStatus.Benchmarks;

/// <summary>Runs the suites: each against the net10.0 and the netstandard2.0 build of the library.</summary>
public static class Program
{
    public static void Main(string[] args)
    {
        bool quick = Array.IndexOf(args, "--quick") >= 0;
        string[] rest = Array.FindAll(args, a => a != "--quick");
        // The README's numbers come from the default: one launch, 5 warm-ups and 15 measured iterations of
        // 150 ms per case, which keeps a full run of both suites and both builds near ten minutes on 2 cores.
        Job job = quick
            ? Job.ShortRun
            : Job.Default.WithLaunchCount(1).WithWarmupCount(5).WithIterationCount(15).WithIterationTime(TimeInterval.FromMilliseconds(150));
        IConfig config = DefaultConfig.Instance
            .AddJob(job.WithId("net10.0 build").AsBaseline())
            .AddJob(job.WithId("netstandard2.0 build").WithArguments([new MsBuildArgument("/p:BenchLibraryTargetFramework=netstandard2.0")]));
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(rest, config);
    }
}
