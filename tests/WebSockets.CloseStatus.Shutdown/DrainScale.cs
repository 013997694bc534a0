using System;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.WebSockets;
using System.Reflection;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace WebSockets.CloseStatus.Shutdown;

/// <summary>
/// The drain at scale (issue #41), measured, not checked against a time: N real connections on 127.0.0.1, each server
/// endpoint in a receive loop through its <see cref="WebSocketCloser"/>, tracked by a <see cref="WebSocketDrain"/>, and
/// N <see cref="ClientWebSocket"/>s that answer the close. The clients run in a child process (this program with
/// <c>--scale-clients</c>), so that each process holds N sockets, not 2N: this machine's hard limit of open files is
/// 20,000, which root cannot raise here, and 10,000 connections with both ends in one process need more.
/// The server's memory is measured in steps (<see cref="GC.GetTotalMemory(bool)"/> after a full collection): the
/// accepted connections, then the closers, then tracking them (the drain's own cost), then the receive loops.
/// A drain of 100 connections first warms the code (the JIT) and, a little, the pools.
/// </summary>
internal static class DrainScale
{
    // Sockets the process holds besides the connections' (the runtime, Kestrel's listener, the SDK's pipes).
    private const int OtherFiles = 1024;

    public static async Task<int> MeasureAsync(int connections, TimeSpan[] windows)
    {
        long limit = OpenFileLimit();
        if (limit < connections + OtherFiles)
        {
            Console.Error.WriteLine($"{connections} connections need {connections + OtherFiles} open files in each process (this one holds the server's sockets, a child the clients'); the limit is {limit}. Run measure.sh, which raises it, or raise the hard limit (ulimit -Hn, LimitNOFILE, docker --ulimit nofile).");
            return 2;
        }

        // A drain of 100 first, not reported: the measured drains run warm code, as a server's does at its deploy.
        bool passed = (await MeasureOnceAsync(100, TimeSpan.Zero)).Passed;
        string[] rows = new string[windows.Length];
        string memory = "";
        for (int i = 0; i < windows.Length; i++)
        {
            (bool ok, rows[i], string memoryRow) = await MeasureOnceAsync(connections, windows[i]);
            passed &= ok;
            memory = i == 0 ? memoryRow : memory;   // the process's first: later ones reuse the pools' buffers the first grew
        }

        Console.WriteLine();
        Console.WriteLine("| connections | window (s) | drain (s) | drain - window (ms) | server CPU (s) | server CPU idle before (s per s) | clients' CPU (s) | server allocated during the drain (B/connection) | report | load average (1 min, before, after) |");
        Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|---:|---|---|");
        Array.ForEach(rows, Console.WriteLine);
        Console.WriteLine();
        Console.WriteLine("| connections | accepted connections, server side (B/connection) | their closers | tracking them: retained | tracking them: allocated | receive loops |");
        Console.WriteLine("|---:|---:|---:|---:|---:|---:|");
        Console.WriteLine(memory);
        return passed ? 0 : 1;
    }

    // Passes when every connection is accounted for and at least 99 % closed cleanly on both ends: on this shared
    // machine, at a load average of 150, a client's close now and then waited past System.Net's 1 s for the server to
    // end TCP and dropped the connection while the server's loop had its close frame still unread.
    private static async Task<(bool Passed, string Row, string Memory)> MeasureOnceAsync(int connections, TimeSpan window)
    {
        Console.WriteLine($"== drain at scale: {connections} connections, a {window.TotalSeconds} s window [{DateTime.Now:HH:mm:ss.fff}]");
        var accepted = new ConcurrentQueue<Connection>();
        var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using WebApplication app = await StartServerAsync(accepted, go.Task);
        Uri uri = new(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single().Replace("http://", "ws://", StringComparison.Ordinal));

        long before = Retained();
        var connecting = Stopwatch.StartNew();
        using Process clients = StartClients(uri, connections);
        try
        {
            string? line = await clients.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromMinutes(10));
            if (line != "connected " + connections)
            {
                throw new InvalidOperationException($"the clients did not connect: {line} {await clients.StandardError.ReadToEndAsync()}");
            }

            await WaitUntilAsync(() => accepted.Count == connections);
            Console.WriteLine($"   connected in {connecting.Elapsed.TotalSeconds:F1} s");

            // Each step's retained memory after a full collection: the accepted connections, their closers, tracking.
            long socketsRetained = Retained();
            Connection[] all = [.. accepted];
            foreach (Connection c in all)
            {
                c.Closer = new WebSocketCloser(c.Socket);
            }

            long closersRetained = Retained();
            var drain = new WebSocketDrain(new WebSocketDrainOptions { Window = window, Deadline = window + TimeSpan.FromSeconds(15), StatusDescription = "deploying" });
            long allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
            foreach (Connection c in all)
            {
                drain.Track(c.Closer!);
            }

            long trackingAllocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
            long trackedRetained = Retained();
            go.SetResult();
            await WaitUntilAsync(() => all.All(c => c.Receiving));
            long loopsRetained = Retained();
            if (drain.Count != connections)
            {
                throw new InvalidOperationException($"the drain tracks {drain.Count} connections, not {connections}");
            }

            // The drain: its time against the window, the CPU time of each process and the server's allocations meanwhile.
            // Until the server is idle (below 50 ms of CPU per second, for up to 20 s): the runtime recompiles the code
            // the warm-up made hot on a background thread, which would otherwise count in the drain's CPU time.
            using Process self = Process.GetCurrentProcess();
            TimeSpan idleCpu = TimeSpan.MaxValue;
            for (int second = 0; second < 20 && idleCpu > TimeSpan.FromMilliseconds(50); second++)
            {
                self.Refresh();
                idleCpu = self.TotalProcessorTime;
                await Task.Delay(TimeSpan.FromSeconds(1));
                self.Refresh();
                idleCpu = self.TotalProcessorTime - idleCpu;
            }

            string loadBefore = LoadAverage();
            self.Refresh();
            clients.Refresh();
            TimeSpan serverCpu = self.TotalProcessorTime, clientsCpu = clients.TotalProcessorTime;
            long allocated = GC.GetTotalAllocatedBytes(precise: true);
            WebSocketDrainReport report = await drain.DrainAsync(CancellationToken.None);
            long drainAllocated = GC.GetTotalAllocatedBytes(precise: true) - allocated;
            self.Refresh();
            clients.Refresh();
            serverCpu = self.TotalProcessorTime - serverCpu;
            clientsCpu = clients.TotalProcessorTime - clientsCpu;
            string loadAfter = LoadAverage();

            string? summary = await clients.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromMinutes(2));
            await clients.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(1));
            await WaitUntilAsync(() => all.All(c => c.Result is not null));
            Connection[] unclean = [.. all.Where(c => c.Result is not { WasClean: true, CloseStatus: WebSocketCloseStatus.ServiceRestart, Initiator: CloseInitiator.Local })];
            Console.WriteLine($"   {report}");
            Console.WriteLine($"   server endpoints clean with the clients' echo of 1012: {connections - unclean.Length}{(unclean.Length == 0 ? "" : ", the first other: " + unclean[0].Result)}; {summary}");
            int clientsClean = summary?.Split(' ') is [_, string n, ..] && int.TryParse(n, CultureInfo.InvariantCulture, out int parsed) ? parsed : 0;
            int least = connections - (connections / 100);
            bool passed = report.Total == connections && report.Clean >= least && connections - unclean.Length >= least && clientsClean >= least && clients.ExitCode == 0;
            if (!passed)
            {
                Console.WriteLine($"FAILED: fewer than {least} of {connections} connections closed cleanly, or the clients failed (above)");
            }

            double PerConnection(long bytes) => (double)bytes / connections;
            string row = string.Create(CultureInfo.InvariantCulture,
                $"| {connections:N0} | {window.TotalSeconds:F0} | {report.Elapsed.TotalSeconds:F2} | {(report.Elapsed - window).TotalMilliseconds:F0} | {serverCpu.TotalSeconds:F2} | {idleCpu.TotalSeconds:F2} | {clientsCpu.TotalSeconds:F2} | {PerConnection(drainAllocated):F0} | {report.Clean} clean, {report.RemoteFirst} of them the peer's first, {report.TimedOut} timed out, {report.Aborted} aborted | {loadBefore}, {loadAfter} |");
            string memory = string.Create(CultureInfo.InvariantCulture,
                $"| {connections:N0} | {PerConnection(socketsRetained - before):F0} | {PerConnection(closersRetained - socketsRetained):F0} | {PerConnection(trackedRetained - closersRetained):F1} | {PerConnection(trackingAllocated):F1} | {PerConnection(loopsRetained - trackedRetained):F0} |");
            Console.WriteLine(row);
            Console.WriteLine(memory);
            return (passed, row, memory);
        }
        finally
        {
            if (!clients.HasExited)
            {
                clients.Kill(entireProcessTree: true);
            }
        }
    }

    /// <summary>The child process: connects <paramref name="count"/> clients, says so, answers the server's close on each, then reports.</summary>
    public static async Task<int> ClientsAsync(Uri uri, int count)
    {
        var sockets = new ClientWebSocket[count];
        using (var concurrency = new SemaphoreSlim(64))
        {
            await Task.WhenAll(Enumerable.Range(0, count).Select(async i =>
            {
                await concurrency.WaitAsync();
                try
                {
                    sockets[i] = await DotNetClients.ConnectAsync(uri, "scale");
                }
                finally
                {
                    concurrency.Release();
                }
            }));
        }

        Console.WriteLine($"connected {count}");
        ClientReport[] reports = await Task.WhenAll(sockets.Select(socket => DotNetClients.ReadAsync(socket, "scale")));
        ClientReport[] other = [.. reports.Where(r => r is not { Code: 1012, Reason: "deploying", Clean: true, Error: null })];
        Console.WriteLine($"clients: {count - other.Length} clean with 1012 \"deploying\", {other.Length} otherwise{(other.Length == 0 ? "" : ", the first: " + other[0])}");
        return 0;
    }

    private static Process StartClients(Uri uri, int count)
    {
        // Under `dotnet run` the process is the app host; under `dotnet X.dll`, dotnet itself, which needs the assembly.
        string host = Environment.ProcessPath!;
        var start = new ProcessStartInfo(host) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(host) == "dotnet")
        {
            start.ArgumentList.Add(Assembly.GetEntryAssembly()!.Location);
        }

        start.ArgumentList.Add("--scale-clients");
        start.ArgumentList.Add(uri.ToString());
        start.ArgumentList.Add(count.ToString(CultureInfo.InvariantCulture));
        return Process.Start(start) ?? throw new InvalidOperationException("the clients' process did not start");
    }

    private static async Task<WebApplication> StartServerAsync(ConcurrentQueue<Connection> accepted, Task go)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        WebApplication app = builder.Build();
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.Zero });
        app.Run(async context =>
        {
            using WebSocket socket = await context.WebSockets.AcceptWebSocketAsync();
            var connection = new Connection(socket);
            accepted.Enqueue(connection);
            await go;   // the closers are made and tracked while every endpoint waits here, so each step is measured alone

            // The README's loop through the closer.
            WebSocketCloser closer = connection.Closer!;
            byte[] buffer = new byte[256];
            connection.Receiving = true;
            while ((await closer.ReceiveAsync(new ArraySegment<byte>(buffer), context.RequestAborted)).MessageType != WebSocketMessageType.Close)
            {
            }

            connection.Result = await closer.Completion;
        });
        await app.StartAsync();
        return app;
    }

    // Three rounds of collection and finalizers first: the ConditionalWeakTable that maps each socket to its closer
    // frees the arrays it outgrew only in its containers' second finalization, which would otherwise land in a later step.
    private static long Retained()
    {
        for (int i = 0; i < 3; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }

        return GC.GetTotalMemory(forceFullCollection: true);
    }

    private static string LoadAverage() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?";

    private static long OpenFileLimit()
    {
        // "Max open files            20000                20000                files" (the soft limit first)
        string? line = File.Exists("/proc/self/limits") ? File.ReadLines("/proc/self/limits").FirstOrDefault(l => l.StartsWith("Max open files", StringComparison.Ordinal)) : null;
        string? soft = line?["Max open files".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries)[0];
        return soft is null or "unlimited" ? long.MaxValue : long.Parse(soft, CultureInfo.InvariantCulture);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        while (!condition())
        {
            await Task.Delay(20, timeout.Token);
        }
    }

    private sealed class Connection(WebSocket socket)
    {
        private volatile bool _receiving;
        private volatile WebSocketCloseResult? _result;

        public WebSocket Socket { get; } = socket;

        public WebSocketCloser? Closer { get; set; }

        public bool Receiving { get => _receiving; set => _receiving = value; }

        public WebSocketCloseResult? Result { get => _result; set => _result = value; }
    }
}
