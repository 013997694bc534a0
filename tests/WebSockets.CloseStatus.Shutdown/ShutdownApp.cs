using System;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Linq;
using System.Net;
using System.Net.WebSockets;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace WebSockets.CloseStatus.Shutdown;

/// <summary>How the app closes its WebSockets when it stops: through this library, or with .NET's own CloseAsync.</summary>
public enum ServerClose
{
    Closer,

    /// <summary>The loop through a closer that a WebSocketDrain tracks; the drain runs when the app stops, and new requests get 503 while it does.</summary>
    Drain,

    /// <summary>The app's own loop on the socket, and CloseGracefullyAsync from the stopping callback: the likeliest migration.</summary>
    GracefulBesideOwnLoop,

    DotNet,
}

/// <summary>A Kestrel app on 127.0.0.1 whose endpoint runs a receive loop and closes with 1012 "restarting" and RequestAborted when the app stops, as a real app would.</summary>
public sealed class ShutdownApp : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<Endpoint> _endpoints;

    private ShutdownApp(WebApplication app, Uri uri, ConcurrentQueue<Endpoint> endpoints)
    {
        _app = app;
        Uri = uri;
        _endpoints = endpoints;
    }

    public Uri Uri { get; }

    public Endpoint[] Endpoints => [.. _endpoints];

    public int Receiving => _endpoints.Count(e => e.Receiving);

    public Task<WebSocketDrainReport>? DrainReport { get; private init; }

    public static async Task<ShutdownApp> StartAsync(ServerClose close, TimeSpan closeTimeout, WebSocketDrain? drain = null)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        DrainOnStopping? draining = null;
        if (drain is not null)
        {
            // Before the server stops listening: a client that comes during the drain meets the 503, not a closed port.
            draining = new DrainOnStopping(drain);
            builder.Services.AddSingleton<IHostedService>(draining);
        }

        WebApplication app = builder.Build();
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.Zero });
        var endpoints = new ConcurrentQueue<Endpoint>();
        IHostApplicationLifetime lifetime = app.Lifetime;
        app.Run(async context =>
        {
            // The README's refusal while draining: before the upgrade, so that the client's retry goes elsewhere.
            if (drain is { IsDraining: true })
            {
                context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                context.Response.Headers.RetryAfter = "5";
                return;
            }

            var endpoint = new Endpoint(context.Request.Query["peer"].ToString());
            endpoints.Enqueue(endpoint);
            try
            {
                using WebSocket socket = await context.WebSockets.AcceptWebSocketAsync();
                if (close == ServerClose.Closer)
                {
                    await CloserEndpointAsync(socket, lifetime, closeTimeout, endpoint, context.RequestAborted);
                }
                else if (close == ServerClose.Drain)
                {
                    await DrainedEndpointAsync(socket, drain!, closeTimeout, endpoint, context.RequestAborted);
                }
                else
                {
                    await OwnLoopEndpointAsync(socket, lifetime, close == ServerClose.DotNet, closeTimeout, endpoint, context.RequestAborted);
                }
            }
            catch (Exception e)
            {
                endpoint.Escaped = e;   // the check fails on any exception that leaves the endpoint
            }
        });
        await app.StartAsync();
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new ShutdownApp(app, new Uri(address.Replace("http://", "ws://", StringComparison.Ordinal)), endpoints) { DrainReport = draining?.Report.Task };
    }

    // The rolling-deploy endpoint: the loop through a closer that the drain tracks; the drain closes it when the app stops.
    private static async Task DrainedEndpointAsync(WebSocket socket, WebSocketDrain drain, TimeSpan closeTimeout, Endpoint endpoint, CancellationToken requestAborted)
    {
        var closer = new WebSocketCloser(socket, new WebSocketCloseOptions { Timeout = closeTimeout });
        drain.Track(closer);
        byte[] buffer = new byte[4096];
        endpoint.Receiving = true;
        while ((await closer.ReceiveAsync(new ArraySegment<byte>(buffer), requestAborted)).MessageType != WebSocketMessageType.Close)
        {
        }

        endpoint.Result = await closer.Completion;
        endpoint.CloseEnded = Stopwatch.GetTimestamp();
    }

    // The README's pattern: the loop receives through the closer; the app's stopping closes it from outside the loop.
    private static async Task CloserEndpointAsync(WebSocket socket, IHostApplicationLifetime lifetime, TimeSpan closeTimeout, Endpoint endpoint, CancellationToken requestAborted)
    {
        var closer = new WebSocketCloser(socket, new WebSocketCloseOptions { Timeout = closeTimeout });
        using (lifetime.ApplicationStopping.Register(() =>
        {
            endpoint.CloseStarted = Stopwatch.GetTimestamp();
            _ = closer.CloseAsync(WebSocketCloseStatus.ServiceRestart, "restarting", requestAborted);
        }))
        {
            byte[] buffer = new byte[4096];
            endpoint.Receiving = true;
            while ((await closer.ReceiveAsync(new ArraySegment<byte>(buffer), requestAborted)).MessageType != WebSocketMessageType.Close)
            {
            }
        }

        endpoint.Result = await closer.Completion;
        endpoint.CloseEnded = Stopwatch.GetTimestamp();
    }

    // The app's own loop on the socket itself, closed from the stopping callback by .NET's own CloseAsync or by CloseGracefullyAsync.
    private static async Task OwnLoopEndpointAsync(WebSocket socket, IHostApplicationLifetime lifetime, bool dotnet, TimeSpan closeTimeout, Endpoint endpoint, CancellationToken requestAborted)
    {
        Task? closing = null;
        Task<WebSocketCloseResult>? graceful = null;
        using (lifetime.ApplicationStopping.Register(() =>
        {
            endpoint.CloseStarted = Stopwatch.GetTimestamp();
            if (dotnet)
            {
                closing = socket.CloseAsync((System.Net.WebSockets.WebSocketCloseStatus)1012, "restarting", requestAborted);
            }
            else
            {
                closing = graceful = socket.CloseGracefullyAsync(WebSocketCloseStatus.ServiceRestart, "restarting", closeTimeout, requestAborted);
            }
        }))
        {
            byte[] buffer = new byte[4096];
            endpoint.Receiving = true;
            try
            {
                while ((await socket.ReceiveAsync(new ArraySegment<byte>(buffer), requestAborted)).MessageType != WebSocketMessageType.Close)
                {
                }
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException)
            {
                endpoint.DotNetError = e;
            }
        }

        if (closing is not null)
        {
            try
            {
                await closing;
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException)
            {
                endpoint.DotNetError ??= e;
            }
        }

        endpoint.CloseEnded = Stopwatch.GetTimestamp();
        endpoint.DotNetStatus = socket.CloseStatus;
        endpoint.Result = graceful?.Result;
    }

    public async Task<TimeSpan> StopAsync()
    {
        long started = Stopwatch.GetTimestamp();
        await _app.StopAsync();
        return Stopwatch.GetElapsedTime(started);
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}

/// <summary>Drains in the host's stopping phase, which runs before the server stops listening, and holds shutdown until done.</summary>
public sealed class DrainOnStopping(WebSocketDrain drain) : IHostedLifecycleService
{
    public TaskCompletionSource<WebSocketDrainReport> Report { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public async Task StoppingAsync(CancellationToken cancellationToken) => Report.SetResult(await drain.DrainAsync(cancellationToken));

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>What one server endpoint saw.</summary>
public sealed class Endpoint(string peer)
{
    public string Peer { get; } = peer;

    private volatile bool _receiving;

    public bool Receiving { get => _receiving; set => _receiving = value; }

    public long CloseStarted { get; set; }

    public long CloseEnded { get; set; }

    public WebSocketCloseResult? Result { get; set; }

    public Exception? Escaped { get; set; }

    public Exception? DotNetError { get; set; }

    public System.Net.WebSockets.WebSocketCloseStatus? DotNetStatus { get; set; }

    public double CloseMilliseconds => CloseStarted == 0 || CloseEnded == 0 ? double.NaN : Stopwatch.GetElapsedTime(CloseStarted, CloseEnded).TotalMilliseconds;
}
