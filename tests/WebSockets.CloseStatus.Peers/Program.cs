using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace WebSockets.CloseStatus.Peers;

/// <summary>
/// Runs issue #15's scenarios between our endpoint (close handling: CloseHandshake only) and real peers, and checks that
/// each side's result is what RFC 6455 §7.1.4–7.1.7 says and what the other side reports. Exit code 0: every scenario
/// passed; 1: a scenario failed; 2: a peer is missing (never skipped silently).
/// </summary>
internal static class Program
{
    private static readonly TimeSpan s_closeTimeout = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan s_keepTcpTimeout = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan s_giveUp = TimeSpan.FromSeconds(10);
    private static int s_nextId;

    public static async Task<int> Main(string[] args)
    {
        string nodeDirectory = Path.GetFullPath(Option(args, "--node-dir") ?? Path.Combine(AppContext.BaseDirectory, "../../../node"));
        string[] peers = (Option(args, "--peers") ?? "ws,chromium,dotnet,relay").Split(',');
        string python = Option(args, "--python") ?? "/usr/bin/python3";
        string? markdown = Option(args, "--markdown");

        string? missing = FindMissing(peers, nodeDirectory) ?? (peers.Contains("relay") && !CanRun(python, "-c \"import websockets\"") ? $"Python websockets is not importable by {python} (apt-get install python3-websockets, or pass --python)" : null);
        if (missing is not null)
        {
            Console.Error.WriteLine("peers: cannot run: " + missing);
            return 2;
        }

        var results = new List<Row>();
        var stopwatch = Stopwatch.StartNew();
        try
        {
            await RunAllAsync(peers, nodeDirectory, python, results);
        }
        catch (AbortException e)
        {
            Console.WriteLine($"peers: stopped after a scenario that did not finish: {e.Row.Scenario.Describe()} against {e.Row.Peer}");
            return 1;
        }

        int failed = results.Count(r => r.Failures.Count > 0);
        int checkedRows = results.Count(r => r.Checked);
        Console.WriteLine($"peers: {checkedRows - failed} of {checkedRows} scenarios passed ({results.Count - checkedRows} rows observed for the README, not checked) in {stopwatch.Elapsed.TotalSeconds:0.0} s, library build {LibraryBuild()}");
        if (markdown is not null)
        {
            await File.WriteAllTextAsync(markdown, Summary.Markdown(results));
        }

        return failed == 0 ? 0 : 1;
    }

    private static async Task RunAllAsync(string[] peers, string nodeDirectory, string python, List<Row> results)
    {
        foreach (string peer in peers)
        {
            if (peer == "relay")
            {
                string pythonDirectory = Path.Combine(Path.GetDirectoryName(nodeDirectory.TrimEnd('/'))!, "python");
                results.AddRange(await RelayPeer.RunAsync(nodeDirectory, python, pythonDirectory, () => Interlocked.Increment(ref s_nextId)));
                results.AddRange(await RelayPeer.RunDotNetClientAsync(nodeDirectory, () => Interlocked.Increment(ref s_nextId)));
                continue;
            }

            if (peer == "dotnet")
            {
                results.AddRange(await DotNetPeer.RunAsync(() => Interlocked.Increment(ref s_nextId)));
                continue;
            }

            results.AddRange(await RunAgainstClientAsync(peer, nodeDirectory));
            if (peer == "ws")
            {
                results.AddRange(await RunAgainstServerAsync(nodeDirectory));
            }
        }
    }

    private sealed class AbortException(Row row) : Exception(row.ToString())
    {
        public Row Row { get; } = row;
    }

    /// <summary>The peer is the client (Node ws, Chromium); our endpoint is the server.</summary>
    private static async Task<List<Row>> RunAgainstClientAsync(string peer, string nodeDirectory)
    {
        using NodePeer node = peer == "ws" ? NodePeer.Start(nodeDirectory, "ws-peer.mjs", "client") : NodePeer.Start(nodeDirectory, "browser-peer.mjs");
        if (peer == "chromium")
        {
            JsonElement ready = await node.ReadAsync(TimeSpan.FromSeconds(60));
            Console.WriteLine($"peers: Chromium {ready.GetProperty("ready").GetString()} is ready");
        }

        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var rows = new List<Row>();
        foreach (Scenario scenario in Scenarios.For(peer, weAreServer: true, () => Interlocked.Increment(ref s_nextId)))
        {
            string name = peer == "ws" ? "Node ws" : "Chromium";
            rows.Add(await Guarded(name, "server", scenario, async () =>
            {
                using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                await node.SendAsync(new { url = $"ws://127.0.0.1:{port}{Target(scenario)}" });
                Socket socket = await listener.AcceptSocketAsync(cancel.Token);
                (Endpoint endpoint, _) = await Endpoint.AcceptAsync(socket, cancel.Token);
                using (endpoint)
                {
                    Outcome ours = await RunOursAsync(endpoint, scenario, cancel.Token);
                    Outcome theirs = ToOutcome(await node.ReadAsync(TimeSpan.FromSeconds(15)), scenario.Id);
                    return scenario.Kind == Kinds.WeMalformed
                        ? Row.Observed(name, "server", scenario, ours, theirs)
                        : Row.Check(name, "server", scenario, endpoint, ours, theirs);
                }
            }));
        }

        return rows;
    }

    /// <summary>The peer (Node ws) is the server; our endpoint is the client.</summary>
    private static async Task<List<Row>> RunAgainstServerAsync(string nodeDirectory)
    {
        using NodePeer node = NodePeer.Start(nodeDirectory, "ws-peer.mjs", "server");
        int port = (await node.ReadAsync(TimeSpan.FromSeconds(15))).GetProperty("port").GetInt32();
        var rows = new List<Row>();
        foreach (Scenario scenario in Scenarios.For("ws", weAreServer: false, () => Interlocked.Increment(ref s_nextId)))
        {
            rows.Add(await Guarded("Node ws", "client", scenario, async () =>
            {
                using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                using Endpoint endpoint = await Endpoint.ConnectAsync(port, Target(scenario), cancel.Token);
                Outcome ours = await RunOursAsync(endpoint, scenario, cancel.Token);
                Outcome theirs = ToOutcome(await node.ReadAsync(TimeSpan.FromSeconds(15)), scenario.Id);
                return scenario.Kind == Kinds.WeMalformed
                    ? Row.Observed("Node ws", "client", scenario, ours, theirs)
                    : Row.Check("Node ws", "client", scenario, endpoint, ours, theirs);
            }));
        }

        return rows;
    }

    /// <summary>Runs one scenario and prints its row; a hang or an error is a failed row that says what happened, and stops the run.</summary>
    internal static async Task<Row> Guarded(string peer, string ourRole, Scenario scenario, Func<Task<Row>> run)
    {
        Row row;
        try
        {
            row = await run();
        }
        catch (Exception e) when (e is OperationCanceledException or TimeoutException or IOException or SocketException or InvalidDataException)
        {
            row = new Row(peer, ourRole, scenario, new Outcome(null, "", null), new Outcome(null, "", null), [$"{e.GetType().Name}: {e.Message}"], Checked: true);
            Console.WriteLine(row);
            throw new AbortException(row);
        }

        Console.WriteLine(row);
        return row;
    }

    /// <summary>Our side of a scenario; everything after the first step is what CloseHandshake's answers ask for.</summary>
    internal static async Task<Outcome> RunOursAsync(Endpoint endpoint, Scenario scenario, CancellationToken cancellationToken)
    {
        switch (scenario.Kind)
        {
            case Kinds.WeClose or Kinds.ServerKeepsTcp:
                await endpoint.SendCloseAsync(scenario.Code, scenario.Reason, cancellationToken);
                break;
            case Kinds.WeMalformed:
                await endpoint.SendRawCloseAsync(Convert.FromHexString(scenario.Malformed!), cancellationToken);
                break;
            case Kinds.WeVanish:
                await Task.Delay(100, cancellationToken); // let the peer see the connection open first
                endpoint.Vanish();
                break;
        }

        // Simultaneous close: the peer sends "close" and its close frame at once; we send ours on the message, before we
        // read the frame after it. So each side sends its close before it receives the other's.
        Func<string, Task>? onText = scenario.Kind == Kinds.Simultaneous
            ? text => text == "close" ? endpoint.SendCloseAsync(scenario.Code, scenario.Reason, cancellationToken) : Task.CompletedTask
            : null;
        await endpoint.RunAsync(scenario.Kind == Kinds.ServerKeepsTcp ? s_keepTcpTimeout : s_closeTimeout, s_giveUp, onText, cancellationToken);
        CloseHandshake handshake = endpoint.Handshake;
        string extra = handshake.Initiator.ToString()
            + (handshake.FailureStatus is { } failure ? $" failed {(int)failure} ({handshake.PeerCloseError})" : "")
            + (endpoint.TimedOut ? " timer" : "");
        return new Outcome((int?)handshake.CloseStatus, handshake.CloseStatusDescription, handshake.WasClean, extra);
    }

    internal static string Target(Scenario scenario) => "/?s=" + Uri.EscapeDataString(JsonSerializer.Serialize(scenario));

    private static Outcome ToOutcome(JsonElement json, int id)
    {
        if (json.GetProperty("id").GetInt32() != id)
        {
            throw new InvalidDataException($"the peer answered for scenario {json.GetProperty("id")} while {id} ran");
        }

        return new Outcome(json.GetProperty("code").GetInt32(), json.GetProperty("reason").GetString()!, json.GetProperty("wasClean").GetBoolean());
    }

    private static string? FindMissing(string[] peers, string nodeDirectory)
    {
        if (peers.Any(p => p is "ws" or "chromium" or "relay"))
        {
            if (!CanRun("node", "--version"))
            {
                return "Node.js is not on PATH (apt-get install nodejs npm)";
            }

            if (!Directory.Exists(Path.Combine(nodeDirectory, "node_modules", "ws")) || !Directory.Exists(Path.Combine(nodeDirectory, "node_modules", "playwright-core")))
            {
                return $"Node ws and playwright-core are not installed in {nodeDirectory} (npm ci there, or tests/WebSockets.CloseStatus.Peers/run.sh)";
            }
        }

        string chromium = Environment.GetEnvironmentVariable("CHROMIUM_PATH") ?? "/usr/bin/chromium";
        if (peers.Contains("chromium") && !File.Exists(chromium))
        {
            return $"Chromium is not at {chromium} (apt-get install chromium, or set CHROMIUM_PATH)";
        }

        string? unknown = peers.FirstOrDefault(p => p is not ("ws" or "chromium" or "dotnet" or "relay"));
        return unknown is null ? null : $"unknown peer '{unknown}' (ws, chromium, dotnet, relay)";
    }

    private static bool CanRun(string file, string argument)
    {
        try
        {
            using Process? process = Process.Start(new ProcessStartInfo(file, argument) { RedirectStandardOutput = true, UseShellExecute = false });
            return process is not null && process.WaitForExit(10_000) && process.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }

    private static string LibraryBuild() =>
        typeof(CloseHandshake).Assembly.GetCustomAttributes(typeof(System.Runtime.Versioning.TargetFrameworkAttribute), false)
            .OfType<System.Runtime.Versioning.TargetFrameworkAttribute>().Single().FrameworkName;

    private static string? Option(string[] args, string name)
    {
        int index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }
}
