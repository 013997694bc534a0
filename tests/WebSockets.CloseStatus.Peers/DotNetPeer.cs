using System;
using System.Collections.Generic;
using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace WebSockets.CloseStatus.Peers;

/// <summary>.NET's own ClientWebSocket against our server, written as a typical app would: observed for the README's table, not checked.</summary>
internal static class DotNetPeer
{
    public static async Task<List<Row>> RunAsync(Func<int> nextId)
    {
        Scenario[] scenarios =
        [
            new(nextId(), Kinds.PeerCloses, 1000, "bye"),
            new(nextId(), Kinds.PeerCloses),
            new(nextId(), Kinds.WeClose, 1000, "bye"),
            new(nextId(), Kinds.WeClose),
            new(nextId(), Kinds.Simultaneous, 1001, "ours", 4001, "theirs"),
            new(nextId(), Kinds.WeVanish),
            new(nextId(), Kinds.WeMalformed, Malformed: "03E8FF"),
        ];

        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var rows = new List<Row>();
        foreach (Scenario scenario in scenarios)
        {
            using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            using var client = new ClientWebSocket();
            Task<Outcome> theirs = RunClientAsync(client, new Uri($"ws://127.0.0.1:{port}{Program.Target(scenario)}"), scenario, cancel.Token);
            Socket socket = await listener.AcceptSocketAsync(cancel.Token);
            (Endpoint endpoint, _) = await Endpoint.AcceptAsync(socket, cancel.Token);
            using (endpoint)
            {
                Outcome ours = await Program.RunOursAsync(endpoint, scenario, cancel.Token);
                Row row = Row.Observed(".NET ClientWebSocket", "server", scenario, ours, await theirs.WaitAsync(TimeSpan.FromSeconds(15)));
                Console.WriteLine(row);
                rows.Add(row);
            }
        }

        return rows;
    }

    private static async Task<Outcome> RunClientAsync(ClientWebSocket client, Uri uri, Scenario scenario, CancellationToken cancellationToken)
    {
        string error = "";
        try
        {
            await client.ConnectAsync(uri, cancellationToken);
            if (scenario.Kind == Kinds.Simultaneous)
            {
                await client.SendAsync(Encoding.UTF8.GetBytes("close"), WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
                await client.CloseAsync((System.Net.WebSockets.WebSocketCloseStatus)scenario.PeerCode!.Value, scenario.PeerReason, cancellationToken);
            }
            else if (scenario.Kind == Kinds.PeerCloses)
            {
                await client.CloseAsync(scenario.Code is int code ? (System.Net.WebSockets.WebSocketCloseStatus)code : System.Net.WebSockets.WebSocketCloseStatus.Empty, scenario.Reason, cancellationToken);
            }
            else
            {
                byte[] buffer = new byte[256];
                while (client.State == WebSocketState.Open)
                {
                    WebSocketReceiveResult result = await client.ReceiveAsync(buffer, cancellationToken);
                    if (result.MessageType == WebSocketMessageType.Close && client.State == WebSocketState.CloseReceived)
                    {
                        // What apps write: echo the status, or 1000 when there is none to echo.
                        await client.CloseOutputAsync(result.CloseStatus ?? System.Net.WebSockets.WebSocketCloseStatus.NormalClosure, result.CloseStatusDescription, cancellationToken);
                    }
                }
            }
        }
        catch (WebSocketException e)
        {
            error = "WebSocketException " + e.WebSocketErrorCode;
        }

        return new Outcome((int?)client.CloseStatus, client.CloseStatusDescription ?? "", null, $"State {client.State}{(error.Length > 0 ? ", " + error : "")}");
    }
}
