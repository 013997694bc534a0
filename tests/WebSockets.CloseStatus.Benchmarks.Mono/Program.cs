using System;
using System.Numerics;
using System.Runtime.InteropServices;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace WebSockets.CloseStatus.Benchmarks.Mono;

public static class Program
{
    public static void Main(string[] args)
    {
        Console.WriteLine($"{RuntimeInformation.FrameworkDescription}, Vector.IsHardwareAccelerated {Vector.IsHardwareAccelerated}, Vector<byte>.Count {Vector<byte>.Count}");
        IConfig config = DefaultConfig.Instance.AddJob(Job.Default.WithToolchain(InProcessEmitToolchain.Instance));
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
    }
}
