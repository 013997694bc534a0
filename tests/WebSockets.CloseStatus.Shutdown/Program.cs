using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net.WebSockets;
using System.Threading;
using System.Threading.Tasks;
using WebSockets.CloseStatus;
using WebSockets.CloseStatus.Shutdown;
using Status = WebSockets.CloseStatus.WebSocketCloseStatus;

// Host shutdown with many WebSocket clients, against real peers on 127.0.0.1 (issue #38). Every check compares the
// server's result with what the client itself reported. Usage: Shutdown [--python PATH] [--repeat N] | --measure N [--windows S,S]
// --repeat runs the measured scenarios N times and prints their figures (the README's table).
// --measure N [--windows 2,10]: the drain of N connections at scale, measured (measure.sh; DrainScale.cs).
if (args is ["--scale-clients", string clientsUri, string clientCount])
{
    return await DrainScale.ClientsAsync(new Uri(clientsUri), int.Parse(clientCount, CultureInfo.InvariantCulture));
}

if (Option("--measure") is { } measured)
{
    TimeSpan[] windows = [.. (Option("--windows") ?? "2,10").Split(',').Select(s => TimeSpan.FromSeconds(double.Parse(s, CultureInfo.InvariantCulture)))];
    return await DrainScale.MeasureAsync(int.Parse(measured, CultureInfo.InvariantCulture), windows);
}

string python = Option("--python") ?? "python3";
string script = Path.Combine(AppContext.BaseDirectory, "python", "clients.py");
int repeat = int.Parse(Option("--repeat") ?? "1", CultureInfo.InvariantCulture);
TimeSpan closeTimeout = TimeSpan.FromSeconds(2);
var checks = new Checks();
var figures = new List<string>();

// The process's first shutdown pays for the JIT of Kestrel's, System.Net's and this library's close paths: it is
// reported on its own row, and every other row is of warm code.
figures.Add(await ShutdownAsync(ServerClose.Closer, 50, stopping: 0, first: true));
for (int run = 0; run < repeat; run++)
{
    foreach (int clients in new[] { 50, 500 })
    {
        figures.Add(await ShutdownAsync(ServerClose.Closer, clients, stopping: clients / 5));
        figures.Add(await ShutdownAsync(ServerClose.Closer, clients, stopping: 0));
        figures.Add(await ShutdownAsync(ServerClose.DotNet, clients, stopping: 0));
        figures.Add(await ShutdownAsync(ServerClose.GracefulBesideOwnLoop, clients, stopping: clients / 5));
    }
}

await DrainAsync(1000, jitter: true);
await DrainAsync(400, jitter: false);
await ClientClosesFirstAsync(50);
await ClientRoleAsync(50);

Console.WriteLine();
Console.WriteLine("| server close | clients | of them not reading | per close p50 (ms) | p99 (ms) | max (ms) | shutdown (ms) | endpoints that caught an exception |");
Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|");
figures.ForEach(Console.WriteLine);
Console.WriteLine();
return checks.Report();

async Task<string> ShutdownAsync(ServerClose close, int count, int stopping, bool first = false)
{
    string label = $"shutdown, {close}, {count} clients, {stopping} not reading";
    Console.WriteLine($"== {label} [{DateTime.Now:HH:mm:ss.fff}]");
    await using ShutdownApp app = await ShutdownApp.StartAsync(close, closeTimeout);
    int pythonStopping = stopping / 2;
    int dotnetStopping = stopping - pythonStopping;
    int pythonReading = (count - stopping) / 2;
    int dotnetReading = count - stopping - pythonReading;

    await using PythonClients pythonReaders = await PythonClients.StartAsync(python, script, app.Uri, pythonReading, "read");
    // The clients that stopped reading report nothing: the server aborted them, and disposing kills their process.
    await using PythonClients? pythonStoppers = pythonStopping == 0 ? null : await PythonClients.StartAsync(python, script, app.Uri, pythonStopping, "stop");
    ClientWebSocket[] readers = await Task.WhenAll(Enumerable.Range(0, dotnetReading).Select(_ => DotNetClients.ConnectAsync(app.Uri, "dotnet-read")));
    ClientWebSocket[] stoppers = await Task.WhenAll(Enumerable.Range(0, dotnetStopping).Select(_ => DotNetClients.ConnectAsync(app.Uri, "dotnet-stop")));
    Task<ClientReport[]> dotnetReports = Task.WhenAll(readers.Select(socket => DotNetClients.ReadAsync(socket, "dotnet-read")));
    await WaitUntilAsync(() => app.Receiving == count);

    Task<List<ClientReport>> pythonReports = pythonReaders.FinishAsync(TimeSpan.FromSeconds(60));
    TimeSpan shutdown = await app.StopAsync();
    List<ClientReport> reports = [.. await pythonReports, .. await dotnetReports];
    foreach (ClientWebSocket socket in stoppers)
    {
        socket.Dispose();
    }

    Endpoint[] endpoints = app.Endpoints;
    checks.That(endpoints.Length == count, label, $"{endpoints.Length} endpoints ran, not {count}");
    checks.That(endpoints.All(e => e.Escaped is null), label, "an exception left an endpoint: " + endpoints.FirstOrDefault(e => e.Escaped is not null)?.Escaped);
    checks.That(reports.Count == count - stopping, label, $"{reports.Count} clients reported, not {count - stopping}");
    Endpoint[] answered = [.. endpoints.Where(e => !e.Peer.EndsWith("-stop", StringComparison.Ordinal))];
    if (close != ServerClose.DotNet)
    {
        // The server's own result: the client's echo of 1012, clean, started here, sent 1012; the stopped ones time out.
        foreach (Endpoint e in answered)
        {
            WebSocketCloseResult? r = e.Result;
            checks.That(r is { CloseStatus: Status.ServiceRestart, WasClean: true, Initiator: CloseInitiator.Local, SentStatus: Status.ServiceRestart, TimedOut: false, Aborted: false, Exception: null }, label, $"{e.Peer}: {r}");
            checks.That(e.DotNetError is null, label, $"{e.Peer}: the app's own loop caught {e.DotNetError}");
        }

        foreach (Endpoint e in endpoints.Where(e => e.Peer.EndsWith("-stop", StringComparison.Ordinal)))
        {
            WebSocketCloseResult? r = e.Result;
            checks.That(r is { CloseStatus: Status.AbnormalClosure, WasClean: false, TimedOut: true, Aborted: true, Initiator: CloseInitiator.Local }, label, $"{e.Peer}: {r}");
            checks.That(e.CloseMilliseconds >= closeTimeout.TotalMilliseconds - 50 && e.CloseMilliseconds <= closeTimeout.TotalMilliseconds + 1000, label, $"{e.Peer}: timed out after {e.CloseMilliseconds:F0} ms, not at the {closeTimeout.TotalMilliseconds} ms timeout");
        }

        // What each client reported: the server's code and reason, clean, and TCP ended by the server (§7.1.1), so no
        // client waited out its own timer (System.Net's 1 s, websockets' 10 s).
        foreach (ClientReport c in reports)
        {
            checks.That(c is { Code: 1012, Reason: "restarting", Clean: true, Error: null }, label, $"{c.Peer} reported {c}");
            checks.That(c.TcpWaitMs < 900, label, $"{c.Peer} waited {c.TcpWaitMs:F0} ms for the server to end TCP");
        }

        checks.That(shutdown <= closeTimeout + TimeSpan.FromSeconds(1), label, $"shutdown took {shutdown.TotalMilliseconds:F0} ms, over the {closeTimeout.TotalMilliseconds} ms timeout plus one second");
    }

    double[] closes = [.. answered.Select(e => e.CloseMilliseconds).Where(ms => !double.IsNaN(ms)).Order()];
    string row = string.Create(CultureInfo.InvariantCulture,
        $"| {(first ? "the process's first: " : "")}{close switch { ServerClose.Closer => "`WebSocketCloser.CloseAsync`, loop through it", ServerClose.GracefulBesideOwnLoop => "`CloseGracefullyAsync`, the app's own loop", _ => ".NET's `CloseAsync`, the app's own loop" }} | {count} | {stopping} | {Percentile(closes, 0.50):F1} | {Percentile(closes, 0.99):F1} | {(closes.Length == 0 ? double.NaN : closes[^1]):F1} | {shutdown.TotalMilliseconds:F0} | {endpoints.Count(e => e.DotNetError is not null)} |");
    Console.WriteLine(row);
    return row;
}

// A rolling deploy (issue #41): the old server drains 1,000 connections over a 2 s window with 1012, refusing new ones
// with 503; clients that reconnect by ReconnectPolicy (1012: a uniform delay, here 0.1-1 s for the test's speed where
// the registry says 5-30 s) arrive at the new server spread out. Without jitter (a window of 0, a fixed delay) the same
// arrivals make the spike the drain exists to prevent.
async Task DrainAsync(int count, bool jitter)
{
    string label = $"rolling deploy: drain {count} connections, {(jitter ? "2 s window and jittered reconnects" : "no window, fixed reconnect delay")}";
    Console.WriteLine($"== {label} [{DateTime.Now:HH:mm:ss.fff}]");
    TimeSpan window = jitter ? TimeSpan.FromSeconds(2) : TimeSpan.Zero;
    var drain = new WebSocketDrain(new WebSocketDrainOptions { Window = window, Deadline = TimeSpan.FromSeconds(6), StatusDescription = "deploying", KeepResults = true });
    var policy = jitter
        ? new ReconnectPolicy { ServiceRestartMinDelay = TimeSpan.FromMilliseconds(100), ServiceRestartMaxDelay = TimeSpan.FromSeconds(1) }
        : new ReconnectPolicy { ServiceRestartMinDelay = TimeSpan.FromMilliseconds(500), ServiceRestartMaxDelay = TimeSpan.FromMilliseconds(500) };
    TimeSpan closeTimeout = TimeSpan.FromSeconds(1);
    await using ShutdownApp next = await ShutdownApp.StartAsync(ServerClose.Closer, closeTimeout);
    await using ShutdownApp old = await ShutdownApp.StartAsync(ServerClose.Drain, closeTimeout, drain);
    int stopping = jitter ? count / 5 : 0;
    int pythonReading = jitter ? (count - stopping) / 2 : 0;
    int dotnetReading = count - stopping - pythonReading;

    await using PythonClients? pythonReaders = pythonReading == 0 ? null : await PythonClients.StartAsync(python, script, old.Uri, pythonReading, "read");
    await using PythonClients? pythonStoppers = stopping == 0 ? null : await PythonClients.StartAsync(python, script, old.Uri, stopping / 2, "stop");
    ClientWebSocket[] readers = await Task.WhenAll(Enumerable.Range(0, dotnetReading).Select(_ => DotNetClients.ConnectAsync(old.Uri, "dotnet-read")));
    ClientWebSocket[] stoppers = await Task.WhenAll(Enumerable.Range(0, stopping - (stopping / 2)).Select(_ => DotNetClients.ConnectAsync(old.Uri, "dotnet-stop")));
    var readerTasks = readers.Select(socket => DotNetClients.ReadThenReconnectAsync(socket, policy, next.Uri)).ToArray();
    await WaitUntilAsync(() => old.Receiving == count);
    drain.Count.Should(count, label, "tracked connections");

    Task<List<ClientReport>>? pythonReports = pythonReaders?.FinishAsync(TimeSpan.FromSeconds(60));
    long drainStarted = System.Diagnostics.Stopwatch.GetTimestamp();
    Task stoppingApp = old.StopAsync();
    await WaitUntilAsync(() => drain.IsDraining);

    // A client that comes during the drain is refused before the upgrade, and told when to come back.
    using (var refused = new ClientWebSocket())
    {
        refused.Options.CollectHttpResponseDetails = true;
        bool rejected = false;
        try
        {
            await refused.ConnectAsync(new Uri(old.Uri, "?peer=late"), CancellationToken.None);
        }
        catch (WebSocketException)
        {
            rejected = true;
        }

        checks.That(rejected && (int)refused.HttpStatusCode == 503 && refused.HttpResponseHeaders?.ContainsKey("Retry-After") == true, label, $"a connection during the drain got {(int)refused.HttpStatusCode}, not 503 with Retry-After");
    }

    WebSocketDrainReport report = await old.DrainReport!;
    await stoppingApp;
    var dotnetResults = await Task.WhenAll(readerTasks);
    List<ClientReport> pythonResults = pythonReports is null ? [] : await pythonReports;
    foreach (ClientWebSocket socket in stoppers)
    {
        socket.Dispose();
    }

    Console.WriteLine("   " + report);
    checks.That(report.Total == count && report.Clean == count - stopping && report.TimedOut == stopping && report.Aborted == 0, label, "the report: " + report);
    checks.That(report.Elapsed <= TimeSpan.FromSeconds(6.5), label, $"the drain took {report.Elapsed.TotalMilliseconds:F0} ms, past its 6 s deadline");
    checks.That(old.Endpoints.All(e => e.Escaped is null), label, "an exception left an endpoint");
    foreach (var r in dotnetResults)
    {
        checks.That(r.Code == 1012 && r.Clean && r.ArrivedAt != 0, label, $"a .NET client: {r.Code}, clean {r.Clean}, reconnected {r.ArrivedAt != 0}");
    }

    foreach (ClientReport c in pythonResults)
    {
        checks.That(c is { Code: 1012, Reason: "deploying", Clean: true, Error: null }, label, $"{c.Peer} reported {c}");
    }

    // The histograms of the close moments and of the reconnects, in 250 ms buckets from the drain's start.
    int[] Histogram(IEnumerable<long> stamps) =>
        [.. stamps.Select(t => (int)(System.Diagnostics.Stopwatch.GetElapsedTime(drainStarted, t).TotalMilliseconds / 250)).GroupBy(b => b).OrderBy(g => g.Key).Select(g => g.Count())];
    int[] closes = Histogram(dotnetResults.Select(r => r.ClosedAt));
    int[] arrivals = Histogram(dotnetResults.Where(r => r.ArrivedAt != 0).Select(r => r.ArrivedAt));
    Console.WriteLine($"   closes per 250 ms:     {string.Join(' ', closes)}");
    Console.WriteLine($"   reconnects per 250 ms: {string.Join(' ', arrivals)}");
    if (jitter)
    {
        // Spread: the closes over the 2 s window (8 buckets), the reconnects over it plus the 0.1-1 s delays; no bucket
        // holds more than three times its fair share.
        checks.That(closes.Length >= 8 && closes.Max() <= 3 * dotnetReading / 8, label, $"closes bunched: {string.Join(' ', closes)}");
        checks.That(arrivals.Max() <= 3 * dotnetReading / 10, label, $"reconnects bunched: {string.Join(' ', arrivals)}");
    }
    else
    {
        checks.That(arrivals.Max() >= dotnetReading / 2, label, $"without jitter the reconnects should come in one spike: {string.Join(' ', arrivals)}");
    }
}

async Task ClientClosesFirstAsync(int count)
{
    const string label = "a client closes first while the server's loop runs";
    Console.WriteLine($"== {label} [{DateTime.Now:HH:mm:ss.fff}]");
    await using ShutdownApp app = await ShutdownApp.StartAsync(ServerClose.Closer, closeTimeout);
    ClientWebSocket[] sockets = await Task.WhenAll(Enumerable.Range(0, count / 2).Select(_ => DotNetClients.ConnectAsync(app.Uri, "dotnet-close")));
    await WaitUntilAsync(() => app.Receiving == sockets.Length);
    ClientReport[] dotnet = await Task.WhenAll(sockets.Select(socket => DotNetClients.CloseFirstAsync(socket, "dotnet-close")));
    await using PythonClients pythonClients = await PythonClients.StartAsync(python, script, app.Uri, count - sockets.Length, "close");
    List<ClientReport> reports = [.. dotnet, .. await pythonClients.FinishAsync(TimeSpan.FromSeconds(60))];
    await WaitUntilAsync(() => app.Endpoints.Count(e => e.Result is not null) == count);
    foreach (Endpoint e in app.Endpoints)
    {
        checks.That(e.Escaped is null && e.Result is { CloseStatus: Status.NormalClosure, CloseStatusDescription: "bye", WasClean: true, Initiator: CloseInitiator.Remote, SentStatus: Status.NormalClosure, TimedOut: false, Aborted: false }, label, $"{e.Peer}: {e.Result} {e.Escaped}");
    }

    foreach (ClientReport c in reports)
    {
        checks.That(c is { Code: 1000, Clean: true, Error: null }, label, $"{c.Peer} reported {c}");
        checks.That(c.Peer == "python-close" ? c.TcpWaitMs < 900 : c.CloseMs < 900, label, $"{c.Peer} waited for the server to end TCP: {c}");
    }

    await app.StopAsync();
}

async Task ClientRoleAsync(int count)
{
    const string label = "the client role: WebSocketCloser over ClientWebSocket closes beside its own loop";
    Console.WriteLine($"== {label} [{DateTime.Now:HH:mm:ss.fff}]");
    await using ShutdownApp app = await ShutdownApp.StartAsync(ServerClose.Closer, closeTimeout);
    ClientWebSocket[] sockets = await Task.WhenAll(Enumerable.Range(0, count).Select(_ => DotNetClients.ConnectAsync(app.Uri, "dotnet-closer")));
    var go = new TaskCompletionSource();
    Task<(WebSocketCloseResult Result, double CloseMs)[]> closes = Task.WhenAll(sockets.Select(socket => DotNetClients.CloserClientAsync(socket, closeTimeout, go.Task)));
    await WaitUntilAsync(() => app.Receiving == count);
    go.SetResult();
    foreach ((WebSocketCloseResult r, double ms) in await closes)
    {
        checks.That(r is { CloseStatus: Status.NormalClosure, WasClean: true, Initiator: CloseInitiator.Local, SentStatus: Status.NormalClosure, TimedOut: false, Aborted: false, Exception: null }, label, $"client: {r}");
        checks.That(ms < 900, label, $"the client's close took {ms:F0} ms: the server did not end TCP at once");
    }

    await WaitUntilAsync(() => app.Endpoints.Count(e => e.Result is not null) == count);
    foreach (Endpoint e in app.Endpoints)
    {
        checks.That(e.Escaped is null && e.Result is { CloseStatus: Status.NormalClosure, CloseStatusDescription: "client done", WasClean: true, Initiator: CloseInitiator.Remote }, label, $"server: {e.Result} {e.Escaped}");
    }

    await app.StopAsync();
}

static async Task WaitUntilAsync(Func<bool> condition)
{
    using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
    while (!condition())
    {
        await Task.Delay(10, timeout.Token);
    }
}

static double Percentile(double[] sorted, double p) =>
    sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];

string? Option(string name)
{
    int i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}

internal static class CountCheck
{
    public static void Should(this int actual, int expected, string scenario, string what)
    {
        if (actual != expected)
        {
            throw new InvalidOperationException($"[{scenario}] {what}: {actual}, not {expected}");
        }
    }
}

/// <summary>Counts checks; each failure is printed with what was seen.</summary>
internal sealed class Checks
{
    private int _passed;
    private int _failed;

    public void That(bool condition, string scenario, string seen)
    {
        if (condition)
        {
            _passed++;
        }
        else if (++_failed <= 40)
        {
            Console.WriteLine($"FAILED [{scenario}] {seen}");
        }
    }

    public int Report()
    {
        Console.WriteLine($"shutdown checks: {_passed} passed, {_failed} failed");
        return _failed == 0 && _passed > 0 ? 0 : 1;
    }
}
