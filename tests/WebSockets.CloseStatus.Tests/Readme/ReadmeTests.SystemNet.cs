using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.WebSockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using FluentAssertions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;
using ReadmeSamples;
using WebSockets.CloseStatus.Tests.TestData;
using Xunit;
using static WebSockets.CloseStatus.Tests.TestData.Connections;
using NetStatus = System.Net.WebSockets.WebSocketCloseStatus;

namespace WebSockets.CloseStatus.Tests.Readme;

/// <summary>The README's System.Net examples against Kestrel and a raw peer: they end as the README says.</summary>
public partial class ReadmeTests
{
    [Fact]
    public async Task SystemNetClose_KestrelEchoes_CleanAsTheCommentSays()
    {
        await using var server = await KestrelServer.StartAsync(async webSocket =>
        {
            WebSocketReceiveResult close = await ReceiveCloseAsync(webSocket);
            await webSocket.CloseOutputAsync(close.CloseStatus!.Value, close.CloseStatusDescription, CancellationToken.None);
        });
        using ClientWebSocket client = await Connections.ConnectAsync(server.Uri);

        WebSocketCloseResult result = await SystemNetSamples.CloseAsync(client, CancellationToken.None);

        result.ToString().Should().Be("1012 Service Restart \"restarting\", clean, started by Local, sent 1012");
    }

    [Fact]
    public async Task SystemNetEndpoint_AppStops_ClientGetsTheRestartInOneRoundTrip()
    {
        var logged = new List<string>();
        await using WebApplication app = await StartEchoAppAsync(logged);
        using ClientWebSocket client = await Connections.ConnectAsync(EchoUri(app));
        await SendAndReceiveEchoAsync(client, "hello");

        Task stopping = app.StopAsync();
        WebSocketReceiveResult close = await Within(ReceiveCloseAsync(client));
        var replied = System.Diagnostics.Stopwatch.StartNew();
        await client.CloseAsync(close.CloseStatus!.Value, null, CancellationToken.None).WaitAsync(Patience);
        replied.Stop();
        await stopping.WaitAsync(Patience);

        close.CloseStatus.Should().Be((NetStatus)1012);
        close.CloseStatusDescription.Should().Be("restarting");
        client.State.Should().Be(WebSocketState.Closed);
        replied.Elapsed.Should().BeLessThan(TimeSpan.FromMilliseconds(900), "the server ends TCP once the handshake is done (RFC 6455 §7.1.1), so ClientWebSocket does not wait out its 1 s");
        logged.Should().Equal("WebSocket closed: 1012 Service Restart, clean, started by Local, sent 1012");
    }

    [Fact]
    public async Task SystemNetEndpoint_ClientClosesFirst_TheLoopAnswersWithItsCode()
    {
        var logged = new List<string>();
        await using WebApplication app = await StartEchoAppAsync(logged);
        using ClientWebSocket client = await Connections.ConnectAsync(EchoUri(app));
        await SendAndReceiveEchoAsync(client, "hello");

        var closing = System.Diagnostics.Stopwatch.StartNew();
        await client.CloseAsync(NetStatus.EndpointUnavailable, "leaving", CancellationToken.None).WaitAsync(Patience);
        closing.Stop();
        await WaitForAsync(() => logged.Count == 1);

        client.CloseStatus.Should().Be(NetStatus.EndpointUnavailable, "the loop's receive echoes the client's code (RFC 6455 §5.5.1)");
        closing.Elapsed.Should().BeLessThan(TimeSpan.FromMilliseconds(900), "the server ends TCP at once (§7.1.1)");
        logged.Should().Equal("WebSocket closed: 1001 Going Away \"leaving\", clean, started by Remote, sent 1001");
        await app.StopAsync();
    }

    [Fact]
    public async Task SystemNetEndpoint_ClientDropsTcp_TheLoopEndsWithAbnormalClosure()
    {
        var logged = new List<string>();
        await using WebApplication app = await StartEchoAppAsync(logged);
        using ClientWebSocket client = await Connections.ConnectAsync(EchoUri(app));
        await SendAndReceiveEchoAsync(client, "hello");

        client.Abort();
        await WaitForAsync(() => logged.Count == 1);

        logged[0].Should().StartWith("WebSocket closed: 1006 Abnormal Closure, not clean, aborted, started by None");
        await app.StopAsync();
    }

    private static async Task<WebApplication> StartEchoAppAsync(List<string> logged)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(System.Net.IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(new ListLoggerProvider(logged));
        WebApplication app = builder.Build();
        app.UseWebSockets();
        SystemNetSamples.MapEchoEndpoint(app);
        await app.StartAsync();
        return app;
    }

    private static Uri EchoUri(WebApplication app) =>
        new(app.Urls.Single().Replace("http://", "ws://", StringComparison.Ordinal) + "/ws");

    private static async Task SendAndReceiveEchoAsync(ClientWebSocket client, string text)
    {
        await client.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, CancellationToken.None);
        byte[] buffer = new byte[64];
        WebSocketReceiveResult echo = await Within(client.ReceiveAsync(buffer, CancellationToken.None));
        Encoding.UTF8.GetString(buffer, 0, echo.Count).Should().Be(text);
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(Patience);
        while (!condition())
        {
            await Task.Delay(5, timeout.Token);
        }
    }

    // Keeps what the app logs at Information and above, as the README's endpoint logs its result.
    private sealed class ListLoggerProvider(List<string> lines) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new ListLogger(lines);

        public void Dispose()
        {
        }

        private sealed class ListLogger(List<string> lines) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                string line = formatter(state, exception);
                if (IsEnabled(logLevel) && line.StartsWith("WebSocket closed", StringComparison.Ordinal))
                {
                    lock (lines)
                    {
                        lines.Add(line);
                    }
                }
            }
        }
    }

    [Fact]
    public async Task SystemNetStream_ThePeerGetsTheDataThenOurClose()
    {
        using RawPair pair = await ToRawPeerAsync();

        Task<WebSocketCloseResult> closing = SystemNetSamples.CloseStreamAsync(pair.Client, Encoding.UTF8.GetBytes("payload"), CancellationToken.None);
        RawPeer.Frame? data = await pair.Peer.ReadFrameAsync(Patience);
        RawPeer.Frame? close = await pair.Peer.ReadCloseAsync(Patience);
        await pair.Peer.SendCloseAsync(1000, string.Empty);
        pair.Peer.DropConnection();
        WebSocketCloseResult result = await Within(closing);

        Encoding.UTF8.GetString(data!.Payload).Should().Be("payload");
        close!.CloseCode.Should().Be(1000);
        close.CloseReason.Should().Be("sent it all");
        result.WasClean.Should().BeTrue();
    }

    [Fact]
    public async Task SystemNetStatuses_ReadBothCodes()
    {
        using SocketPair pair = await SocketPair.ConnectAsync();
        Task peerCloses = pair.Client.CloseAsync(NetStatus.NormalClosure, "done", CancellationToken.None);
        WebSocketReceiveResult received = await ReceiveCloseAsync(pair.Server);

        var (status, closeCode) = SystemNetSamples.Statuses(received, pair.Server);
        await pair.Server.CloseOutputAsync(NetStatus.NormalClosure, null, CancellationToken.None);
        await peerCloses.WaitAsync(Patience);

        status.Should().Be(WebSocketCloseStatus.NormalClosure);
        closeCode.Should().Be(WebSocketCloseStatus.NormalClosure);
    }
}
