using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace WebSockets.CloseStatus.Peers;

/// <summary>
/// Issue #42: a byte-copying proxy built on <see cref="WebSocketStreamRelay"/> between Node ws (the client) and Python
/// websockets (the backend), on 127.0.0.1. The proxy copies the opening handshake as bytes, then relays; each scenario
/// checks what both ends and the relay's result report against the relay's documented mapping.
/// </summary>
internal static class RelayPeer
{
    private const string OwnReason1006 = "1006 Abnormal Closure on the other side";
    private const string MalformedReason = "malformed close on the other side";
    private const string ShutdownReason = "proxy shutting down";
    private const string PythonPeers = "Node ws ↔ relay ↔ Python websockets";
    private const string DotNetPeers = ".NET ClientWebSocket ↔ relay ↔ Node ws";

    private static readonly int[] s_codes = [1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014, 3000, 4999];
    private static readonly string[] s_malformed = ["03", "03ED", "03E8FF", "03E8EDA080", "1388"];

    /// <summary>123-byte reasons in Cyrillic, CJK, emoji and mixed text, and a short ASCII one.</summary>
    private static readonly string[] s_reasons =
    [
        "bye",
        new string('ж', 61) + "!",
        new string('世', 41),
        string.Concat(Enumerable.Repeat("😀", 30)) + "abc",
        string.Concat(Enumerable.Repeat("Ж世😀é", 11)) + "ok",
    ];

    /// <summary>One relayed connection: what the Node client and the Python backend each do, or the proxy's own close.</summary>
    private sealed record Case(string Name, Scenario Client, Scenario Backend, bool ProxyCloses = false);

    public static async Task<List<Row>> RunAsync(string nodeDirectory, string python, string pythonDirectory, Func<int> nextId)
    {
        using NodePeer client = NodePeer.Start(nodeDirectory, "ws-peer.mjs", "client");
        using NodePeer backend = NodePeer.Launch(python, pythonDirectory, "relay-backend.py");
        int backendPort = (await backend.ReadAsync(TimeSpan.FromSeconds(15))).GetProperty("port").GetInt32();
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;

        var rows = new List<Row>();
        foreach (Case @case in Cases(nextId))
        {
            rows.Add(await Program.Guarded(PythonPeers, "relay", @case.Client, async () =>
            {
                string target = $"/?s={Uri.EscapeDataString(JsonSerializer.Serialize(@case.Client))}&b={Uri.EscapeDataString(JsonSerializer.Serialize(@case.Backend))}";
                await client.SendAsync(new { url = $"ws://127.0.0.1:{port}{target}" });
                using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                using Socket clientSocket = await listener.AcceptSocketAsync(cancel.Token);
                using var backendSocket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                await backendSocket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, backendPort), cancel.Token);
                var clientStream = new NetworkStream(clientSocket, ownsSocket: true);
                var backendStream = new NetworkStream(backendSocket, ownsSocket: true);
                await CopyHeadAsync(clientStream, backendStream, cancel.Token);   // the upgrade request
                await CopyHeadAsync(backendStream, clientStream, cancel.Token);   // 101 Switching Protocols

                var relay = new WebSocketStreamRelay(clientStream, backendStream, new WebSocketCloseOptions { Timeout = TimeSpan.FromSeconds(3) });
                Task<WebSocketRelayResult> run = relay.RunAsync(cancel.Token);
                if (@case.ProxyCloses)
                {
                    await Task.Delay(100, cancel.Token);   // both ends see the connection open first
                    _ = relay.CloseAsync(WebSocketCloseStatus.EndpointUnavailable, ShutdownReason, cancel.Token);
                }

                WebSocketRelayResult result = await run.WaitAsync(TimeSpan.FromSeconds(15), cancel.Token);
                Outcome atClient = ToOutcome(await client.ReadAsync(TimeSpan.FromSeconds(15)), @case.Client.Id);
                Outcome atBackend = ToOutcome(await backend.ReadAsync(TimeSpan.FromSeconds(15)), @case.Backend.Id);
                return Check(@case, result, atClient, atBackend);
            }));
        }

        return rows;
    }

    /// <summary>The other way round: .NET's <see cref="ClientWebSocket"/> as the client, Node ws as the backend (its server role).</summary>
    public static async Task<List<Row>> RunDotNetClientAsync(string nodeDirectory, Func<int> nextId)
    {
        using NodePeer backend = NodePeer.Start(nodeDirectory, "ws-peer.mjs", "server");
        int backendPort = (await backend.ReadAsync(TimeSpan.FromSeconds(15))).GetProperty("port").GetInt32();
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;

        var rows = new List<Row>();
        foreach (Case @case in DotNetCases(nextId))
        {
            rows.Add(await Program.Guarded(DotNetPeers, "relay", @case.Client, async () =>
            {
                using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                var uri = new Uri($"ws://127.0.0.1:{port}/?s={Uri.EscapeDataString(JsonSerializer.Serialize(@case.Backend))}");
                Task<Outcome> client = RunClientWebSocketAsync(uri, @case.Client, cancel.Token);
                using Socket clientSocket = await listener.AcceptSocketAsync(cancel.Token);
                using var backendSocket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                await backendSocket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, backendPort), cancel.Token);
                var clientStream = new NetworkStream(clientSocket, ownsSocket: true);
                var backendStream = new NetworkStream(backendSocket, ownsSocket: true);
                await CopyHeadAsync(clientStream, backendStream, cancel.Token);
                await CopyHeadAsync(backendStream, clientStream, cancel.Token);

                var relay = new WebSocketStreamRelay(clientStream, backendStream, new WebSocketCloseOptions { Timeout = TimeSpan.FromSeconds(3) });
                Task<WebSocketRelayResult> run = relay.RunAsync(cancel.Token);
                if (@case.ProxyCloses)
                {
                    await Task.Delay(100, cancel.Token);
                    _ = relay.CloseAsync(WebSocketCloseStatus.EndpointUnavailable, ShutdownReason, cancel.Token);
                }

                WebSocketRelayResult result = await run.WaitAsync(TimeSpan.FromSeconds(15), cancel.Token);
                Outcome atClient = await client.WaitAsync(TimeSpan.FromSeconds(15), cancel.Token);
                Outcome atBackend = ToOutcome(await backend.ReadAsync(TimeSpan.FromSeconds(15)), @case.Backend.Id);
                return Check(@case, result, atClient, atBackend, DotNetPeers);
            }));
        }

        return rows;
    }

    /// <summary>Codes and reasons .NET can send and report exactly: not 1005, which System.Net reports as 1000, nor a malformed close, which it cannot send.</summary>
    private static IEnumerable<Case> DotNetCases(Func<int> nextId)
    {
        Scenario Wait(int id) => new(id, "wait");
        foreach (bool fromClient in new[] { true, false })
        {
            string side = fromClient ? "client" : "backend";
            foreach (int code in new[] { 1000, 1001, 1008, 1011, 1012, 1014, 3000, 4999 })
            {
                foreach (string reason in new[] { "", s_reasons[0], s_reasons[4] })
                {
                    int id = nextId();
                    var closing = new Scenario(id, Kinds.PeerCloses, code, reason);
                    yield return new Case($"{side} closes", fromClient ? closing : Wait(id), fromClient ? Wait(id) : closing);
                }
            }

            int vanishId = nextId();
            var vanishing = new Scenario(vanishId, Kinds.PeerVanishes);
            yield return new Case($"{side} drops TCP", fromClient ? vanishing : Wait(vanishId), fromClient ? Wait(vanishId) : vanishing);
        }

        foreach (string hex in s_malformed)
        {
            int id = nextId();
            yield return new Case("backend sends a malformed close", Wait(id), new Scenario(id, Kinds.PeerMalformed, Malformed: hex));
        }

        int shutdownId = nextId();
        yield return new Case("the proxy shuts down", Wait(shutdownId), Wait(shutdownId), ProxyCloses: true);
    }

    /// <summary>A <see cref="ClientWebSocket"/> written as apps write it: it closes, or drops, or echoes the close it receives.</summary>
    private static async Task<Outcome> RunClientWebSocketAsync(Uri uri, Scenario plan, CancellationToken cancellationToken)
    {
        using var client = new ClientWebSocket();
        await client.ConnectAsync(uri, cancellationToken);
        try
        {
            if (plan.Kind == Kinds.PeerVanishes)
            {
                await Task.Delay(50, cancellationToken);
                client.Abort();
                // .NET gives no status for a connection it ended without a close; it is what §7.1.5 calls 1006.
                return new Outcome(1006, "", false, "Aborted");
            }

            if (plan.Kind == Kinds.PeerCloses)
            {
                await client.CloseOutputAsync((System.Net.WebSockets.WebSocketCloseStatus)plan.Code!.Value, plan.Reason, cancellationToken);
            }

            byte[] buffer = new byte[256];
            while (client.State is WebSocketState.Open or WebSocketState.CloseSent)
            {
                WebSocketReceiveResult received = await client.ReceiveAsync(buffer, cancellationToken);
                if (received.MessageType == WebSocketMessageType.Close && client.State == WebSocketState.CloseReceived)
                {
                    await client.CloseOutputAsync(received.CloseStatus ?? System.Net.WebSockets.WebSocketCloseStatus.NormalClosure, received.CloseStatusDescription, cancellationToken);
                }
            }
        }
        catch (WebSocketException)
        {
            // The state and status below say what happened.
        }

        // .NET has no wasClean: a Closed state is a close handshake that completed.
        return new Outcome((int?)client.CloseStatus, client.CloseStatusDescription ?? "", client.State == WebSocketState.Closed, $"State {client.State}");
    }

    private static IEnumerable<Case> Cases(Func<int> nextId)
    {
        Scenario Wait(int id) => new(id, "wait");
        foreach (bool fromClient in new[] { true, false })
        {
            string side = fromClient ? "client" : "backend";
            IEnumerable<(int? Code, string Reason)> closes = s_codes.Select(c => ((int?)c, ""))
                .Concat(new[] { 1000, 4001 }.SelectMany(c => s_reasons.Select(r => ((int?)c, r))))
                .Append((null, ""));
            foreach ((int? code, string reason) in closes)
            {
                int id = nextId();
                var closing = new Scenario(id, Kinds.PeerCloses, code, reason);
                yield return new Case($"{side} closes", fromClient ? closing : Wait(id), fromClient ? Wait(id) : closing);
            }

            int vanishId = nextId();
            var vanishing = new Scenario(vanishId, Kinds.PeerVanishes);
            yield return new Case($"{side} drops TCP", fromClient ? vanishing : Wait(vanishId), fromClient ? Wait(vanishId) : vanishing);

            foreach (string hex in s_malformed)
            {
                int id = nextId();
                var malformed = new Scenario(id, Kinds.PeerMalformed, Malformed: hex);
                yield return new Case($"{side} sends a malformed close", fromClient ? malformed : Wait(id), fromClient ? Wait(id) : malformed);
            }
        }

        int shutdownId = nextId();
        yield return new Case("the proxy shuts down", Wait(shutdownId), Wait(shutdownId), ProxyCloses: true);
    }

    private static Row Check(Case @case, WebSocketRelayResult result, Outcome atClient, Outcome atBackend, string peers = PythonPeers)
    {
        var failures = new List<string>();
        void Expect(bool ok, string what)
        {
            if (!ok)
            {
                failures.Add(what);
            }
        }

        bool fromClient = @case.Client.Kind != "wait";
        Scenario acting = fromClient ? @case.Client : @case.Backend;
        Outcome actor = fromClient ? atClient : atBackend;
        Outcome other = fromClient ? atBackend : atClient;
        WebSocketCloseResult actorLeg = fromClient ? result.Client : result.Backend;
        WebSocketCloseResult otherLeg = fromClient ? result.Backend : result.Client;
        if (@case.ProxyCloses)
        {
            foreach ((string name, Outcome end, WebSocketCloseResult leg) in new[] { ("client", atClient, result.Client), ("backend", atBackend, result.Backend) })
            {
                Expect(end.Code == 1001 && end.Reason == ShutdownReason && end.WasClean == true, $"the {name} reports {end}; the proxy sent 1001 \"{ShutdownReason}\"");
                Expect(leg.WasClean && leg.Initiator == CloseInitiator.Local && leg.SentStatus == WebSocketCloseStatus.EndpointUnavailable && leg.CloseStatus == WebSocketCloseStatus.EndpointUnavailable, $"the relay reports the {name} as {leg}");
            }
        }
        else
        {
            switch (acting.Kind)
            {
                case Kinds.PeerCloses:
                    int code = acting.Code ?? 1005;
                    Expect(other.Code == code && other.Reason == acting.Reason && other.WasClean == true, $"the other end reports {other}; {code} was sent (§7.1.5: forwarded as is)");
                    Expect(actor.Code == code && actor.WasClean == true, $"the closing end reports {actor}; the other end echoed {code}");
                    Expect((int)actorLeg.CloseStatus == code && actorLeg.CloseStatusDescription == acting.Reason && actorLeg.WasClean && actorLeg.Initiator == CloseInitiator.Remote, $"the relay reports the closing side as {actorLeg}");
                    Expect((int?)otherLeg.SentStatus == code && otherLeg.WasClean && otherLeg.Initiator == CloseInitiator.Local, $"the relay reports the other side as {otherLeg}");
                    break;

                case Kinds.PeerVanishes:
                    Expect(actor.Code == 1006 && actor.WasClean == false, $"the end that dropped TCP reports {actor}");
                    Expect(other.Code == 1001 && other.Reason == OwnReason1006 && other.WasClean == true, $"the other end reports {other}; the relay maps 1006 to 1001 \"{OwnReason1006}\"");
                    Expect(actorLeg.CloseStatus == WebSocketCloseStatus.AbnormalClosure && !actorLeg.WasClean, $"the relay reports the side that dropped as {actorLeg}");
                    Expect(otherLeg.SentStatus == WebSocketCloseStatus.EndpointUnavailable && otherLeg.WasClean, $"the relay reports the other side as {otherLeg}");
                    break;

                case Kinds.PeerMalformed:
                    Expect(other.Code == 1002 && other.Reason == MalformedReason, $"the other end reports {other}; the relay replaces a malformed close by 1002 \"{MalformedReason}\"");
                    Expect(actor.Code == 1002, $"the end that sent it reports {actor}; the other end's echo of 1002 went back");
                    Expect(actorLeg.CloseStatus == WebSocketCloseStatus.AbnormalClosure && !actorLeg.WasClean, $"the relay reports the malformed side as {actorLeg} (§7.1.7: counts as no close)");
                    Expect(otherLeg.SentStatus == WebSocketCloseStatus.ProtocolError, $"the relay reports the other side as {otherLeg}");
                    break;
            }
        }

        string describe = @case.ProxyCloses ? @case.Name : $"{@case.Name}: {acting.Describe()}";
        return new Row(peers, "relay", new Scenario(@case.Client.Id, "relay " + describe), atClient, atBackend, failures, Checked: true);
    }

    private static Outcome ToOutcome(JsonElement json, int id)
    {
        if (json.GetProperty("id").GetInt32() != id)
        {
            throw new InvalidDataException($"a peer answered for scenario {json.GetProperty("id")} while {id} ran");
        }

        JsonElement code = json.GetProperty("code");
        return new Outcome(code.ValueKind == JsonValueKind.Null ? null : code.GetInt32(), json.GetProperty("reason").GetString()!, json.GetProperty("wasClean").GetBoolean());
    }

    /// <summary>Copies an HTTP head (up to the empty line) byte by byte, so that no frame after it is read here.</summary>
    private static async Task CopyHeadAsync(Stream source, Stream destination, CancellationToken cancellationToken)
    {
        var head = new List<byte>();
        byte[] one = new byte[1];
        while (head.Count < 4 || !head.TakeLast(4).SequenceEqual("\r\n\r\n"u8.ToArray()))
        {
            if (await source.ReadAsync(one, cancellationToken) == 0)
            {
                throw new EndOfStreamException("the connection closed during the opening handshake: " + Encoding.ASCII.GetString([.. head]));
            }

            head.Add(one[0]);
        }

        await destination.WriteAsync(head.ToArray(), cancellationToken);
    }
}
