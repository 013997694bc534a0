using System;
using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Threading;
using System.Threading.Tasks;
using WebSockets.CloseStatus;

namespace WebSockets.CloseStatus.Counters;

/// <summary>
/// Makes a known set of closes on 127.0.0.1 and in memory, then waits, so that dotnet-counters sees every one (run.sh):
/// 5 connections whose server closes with 1001 and whose client answers, both through a WebSocketCloser (5 clean closes
/// as "server", started by "local", and 5 as "client", started by "remote"), 2 whose client never reads (2 "timed_out"
/// closes of the server), and 3 closing handshakes of a custom stack whose peer closes with 4001 ("4xxx").
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        int linger = args is ["--linger", string seconds] ? int.Parse(seconds, System.Globalization.CultureInfo.InvariantCulture) : 3;
        Console.WriteLine($"counters app: pid {Environment.ProcessId}");
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        for (int i = 0; i < 5; i++)
        {
            await CloseAsync(listener, clientReads: true);
        }

        for (int i = 0; i < 2; i++)
        {
            await CloseAsync(listener, clientReads: false);
        }

        byte[] frame = new byte[CloseFrame.MaxLength];
        for (int i = 0; i < 3; i++)
        {
            var handshake = new CloseHandshake(WebSocketRole.Server);
            handshake.ReceiveClose([0x0F, 0xA1]);   // 4001
            handshake.WriteClose(frame, out _);
            handshake.ReportTransportClosed();
        }

        Console.WriteLine("counters app: 15 closes made");
        await Task.Delay(TimeSpan.FromSeconds(linger));   // dotnet-counters reports once a second: let it see the last
        return 0;
    }

    private static async Task CloseAsync(TcpListener listener, bool clientReads)
    {
        using var client = new TcpClient();
        await client.ConnectAsync((IPEndPoint)listener.LocalEndpoint);
        using TcpClient accepted = await listener.AcceptTcpClientAsync();
        using WebSocket server = WebSocket.CreateFromStream(accepted.GetStream(), isServer: true, subProtocol: null, Timeout.InfiniteTimeSpan);
        using WebSocket clientSocket = WebSocket.CreateFromStream(client.GetStream(), isServer: false, subProtocol: null, Timeout.InfiniteTimeSpan);
        var serverCloser = new WebSocketCloser(server, new WebSocketCloseOptions { Timeout = TimeSpan.FromMilliseconds(200) });
        Task clientLoop = Task.CompletedTask;
        if (clientReads)
        {
            var clientCloser = new WebSocketCloser(clientSocket, new WebSocketCloseOptions { Role = WebSocketRole.Client });
            clientLoop = ReceiveUntilCloseAsync(clientCloser);
        }

        WebSocketCloseResult result = await serverCloser.CloseAsync(WebSocketCloseStatus.EndpointUnavailable, "bye", CancellationToken.None);
        await clientLoop;
        Console.WriteLine("server: " + result);
    }

    private static async Task ReceiveUntilCloseAsync(WebSocketCloser closer)
    {
        byte[] buffer = new byte[64];
        while ((await closer.ReceiveAsync(buffer, CancellationToken.None)).MessageType != WebSocketMessageType.Close)
        {
        }

        Console.WriteLine("client: " + await closer.Completion);
    }
}
