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

    [Fact]
    public async Task RollingDeploy_TheDrainClosesWith1012_AndRefusesWhileItRuns()
    {
        var logged = new List<string>();
        var drain = new WebSocketDrain(new WebSocketDrainOptions { Window = TimeSpan.FromMilliseconds(300) });
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(System.Net.IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(new ListLoggerProvider(logged, "connections in"));
        SystemNetSamples.AddDrain(builder.Services, drain);
        await using WebApplication app = builder.Build();
        app.UseWebSockets();
        SystemNetSamples.MapDrainedEndpoint(app);
        await app.StartAsync();
        ClientWebSocket[] clients = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => Connections.ConnectAsync(EchoUri(app))));
        await WaitForAsync(() => drain.Count == 3);

        Task stopping = app.StopAsync();
        await WaitForAsync(() => drain.IsDraining);
        using var late = new ClientWebSocket();
        late.Options.CollectHttpResponseDetails = true;
        await FluentActions.Awaiting(() => late.ConnectAsync(EchoUri(app), CancellationToken.None)).Should().ThrowAsync<WebSocketException>();
        WebSocketReceiveResult[] closes = await Task.WhenAll(clients.Select(ReceiveCloseAsync));
        await Task.WhenAll(clients.Select(c => c.CloseAsync(c.CloseStatus!.Value, null, CancellationToken.None)));
        await stopping.WaitAsync(Patience);

        ((int)late.HttpStatusCode).Should().Be(503, "a connection that comes during the drain is refused before the upgrade");
        late.HttpResponseHeaders!["Retry-After"].Should().Equal("5");
        closes.Should().OnlyContain(c => c.CloseStatus == (NetStatus)1012);
        logged.Should().ContainSingle().Which.Should().MatchRegex(@"^3 connections in \d+\.\d s: 3 clean \(0 closed by the client first\), 0 timed out, 0 aborted$");
    }

    [Fact]
    public async Task ReconnectLoop_RetriesAfterAuthentication_StopsOnAPolicy()
    {
        // The server closes the first connection with 4001 (declared: re-authenticate and retry), the second with 1008.
        int connections = 0;
        await using var server = await KestrelServer.StartAsync(async webSocket =>
        {
            var status = Interlocked.Increment(ref connections) == 1 ? (NetStatus)4001 : NetStatus.PolicyViolation;
            await webSocket.CloseOutputAsync(status, "go", CancellationToken.None);
            await ReceiveCloseAsync(webSocket);
        });

        WebSocketCloseResult? result = await Within(SystemNetSamples.ReconnectAsync(server.Uri, CancellationToken.None));

        connections.Should().Be(2);
        result!.CloseStatus.Should().Be(WebSocketCloseStatus.PolicyViolation, "1008 is a policy: the loop stops there");
        result.WasClean.Should().BeTrue();
    }

    [Fact]
    public async Task ReconnectLoop_AServerThatRefuses_EndsAs1006_AndBacksOff()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var uri = new Uri($"ws://127.0.0.1:{((System.Net.IPEndPoint)listener.LocalEndpoint).Port}/");
        listener.Stop();   // nothing listens there now: every connect fails at once
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(3));

        Func<Task> reconnecting = () => SystemNetSamples.ReconnectAsync(uri, cancel.Token);

        await reconnecting.Should().ThrowAsync<OperationCanceledException>("a refused connection backs off as 1006 does, and the loop retries until cancelled");
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
    private sealed class ListLoggerProvider(List<string> lines, string prefix = "WebSocket closed") : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new ListLogger(lines, prefix);

        public void Dispose()
        {
        }

        private sealed class ListLogger(List<string> lines, string prefix) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                string line = formatter(state, exception);
                if (IsEnabled(logLevel) && line.Contains(prefix, StringComparison.Ordinal))
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
