// The README's System.Net examples, verbatim (see ReadmeSamples.cs); their own file because it imports both enums' namespaces.
#pragma warning disable CA1848, CA1873 // the README logs as most apps do, with LogInformation
using System;
using System.Net.WebSockets;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using WebSockets.CloseStatus;
using CloseStatus = WebSockets.CloseStatus.WebSocketCloseStatus;

namespace ReadmeSamples;

public static class SystemNetSamples
{
    public static async Task<WebSocketCloseResult> CloseAsync(WebSocket socket, CancellationToken ct)
    {
        // Once per project, as System.Net.WebSockets has an enum of the same name:
        // global using CloseStatus = WebSockets.CloseStatus.WebSocketCloseStatus;

        // Sends our close, discards data until the peer's close, and aborts if it has not come within 5 seconds.
        WebSocketCloseResult result = await socket.CloseGracefullyAsync(CloseStatus.ServiceRestart, "restarting", TimeSpan.FromSeconds(5), ct);
        Console.WriteLine(result);   // with a peer that echoes: 1012 Service Restart "restarting", clean, started by Local, sent 1012
        return result;
    }

    // PACKAGE.md's form of the same close.
    public static async Task<WebSocketCloseResult> PackageCloseAsync(WebSocket socket, CancellationToken ct)
    {
        // Where no receive loop runs; with one, the loop receives through a WebSocketCloser and closes through it (README).
        // Sends our close, discards data until the peer's close, and aborts if it has not come within 5 seconds.
        WebSocketCloseResult result = await socket.CloseGracefullyAsync(CloseStatus.ServiceRestart, "restarting", TimeSpan.FromSeconds(5), ct);
        Console.WriteLine(result);   // with a peer that echoes: 1012 Service Restart "restarting", clean, started by Local, sent 1012
        return result;
    }

    public static void MapEchoEndpoint(WebApplication app)
    {
        app.Map("/ws", async (HttpContext context, IHostApplicationLifetime lifetime) =>
        {
            if (!context.WebSockets.IsWebSocketRequest)
            {
                context.Response.StatusCode = StatusCodes.Status400BadRequest;
                return;
            }

            using WebSocket socket = await context.WebSockets.AcceptWebSocketAsync();
            var closer = new WebSocketCloser(socket);   // 5 s to close; WebSocketCloseOptions set another timeout
            using var stopping = lifetime.ApplicationStopping.Register(
                () => closer.CloseAsync(CloseStatus.ServiceRestart, "restarting", context.RequestAborted));

            byte[] buffer = new byte[4096];
            while (true)
            {
                WebSocketReceiveResult received = await closer.ReceiveAsync(buffer, context.RequestAborted);
                if (received.MessageType == WebSocketMessageType.Close)
                {
                    break;   // however it ended: the client's close (answered), ours, a timeout, a dropped connection
                }

                await closer.SendAsync(new ArraySegment<byte>(buffer, 0, received.Count), received.MessageType, received.EndOfMessage, context.RequestAborted);
            }

            WebSocketCloseResult result = await closer.Completion;
            app.Logger.LogInformation("WebSocket closed: {Result}", result);   // 1012 Service Restart, clean, started by Local, sent 1012
        });
    }

    public static void MapDrainedEndpoint(WebApplication app)
    {
        // builder.Services.AddSingleton(new WebSocketDrain()).AddHostedService<DrainOnStopping>();
        app.Map("/ws", async (HttpContext context, WebSocketDrain drain) =>
        {
            if (drain.IsDraining)   // before the upgrade: send the client elsewhere
            {
                context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                context.Response.Headers.RetryAfter = "5";
                return;
            }

            using WebSocket socket = await context.WebSockets.AcceptWebSocketAsync();
            var closer = new WebSocketCloser(socket);
            drain.Track(closer);   // it leaves the set by itself when its connection ends
            await ReceiveLoopAsync(closer, context.RequestAborted);   // the loop above; the drain, not ApplicationStopping, closes
        });
    }

    public static void AddDrain(IServiceCollection services, WebSocketDrain drain) =>
        services.AddSingleton(drain).AddHostedService<DrainOnStopping>();

    public static async Task ReceiveLoopAsync(WebSocketCloser closer, CancellationToken ct)
    {
        byte[] buffer = new byte[4096];
        while ((await closer.ReceiveAsync(buffer, ct)).MessageType != WebSocketMessageType.Close)
        {
        }
    }

    public static async Task<WebSocketCloseResult?> ReconnectAsync(Uri uri, CancellationToken ct)
    {
        var policy = new ReconnectPolicy();
        policy.SetApplicationCode((CloseStatus)4001, ReconnectAction.RetryAfterAuthentication);
        for (int failures = 0; ; )
        {
            using var socket = new ClientWebSocket();
            WebSocketCloseResult? result = await RunAsync(socket, uri, ct);   // null if it did not connect; else the loop's result
            ReconnectAdvice advice = result is null
                ? policy.GetAdvice(CloseStatus.AbnormalClosure, failures++)   // no connection: back off further
                : policy.GetAdvice(result, failures = 0);                     // it worked: start over
            if (!advice.ShouldReconnect)
            {
                return result;
            }

            await Task.Delay(advice.Delay, ct);
        }
    }

    // Connects and receives until the connection ends; null if it did not connect.
    public static async Task<WebSocketCloseResult?> RunAsync(ClientWebSocket socket, Uri uri, CancellationToken ct)
    {
        try
        {
            await socket.ConnectAsync(uri, ct);
        }
        catch (WebSocketException)
        {
            return null;
        }

        var closer = new WebSocketCloser(socket);
        await ReceiveLoopAsync(closer, ct);
        return await closer.Completion;
    }

    public static async Task<WebSocketCloseResult> CloseStreamAsync(WebSocket socket, byte[] data, CancellationToken ct)
    {
        // .NET 10's WebSocketStream closes with 1000 and no reason when disposed: close it with yours first.
        await using var stream = WebSocketStream.Create(socket, WebSocketMessageType.Binary, ownsWebSocket: true);
        await stream.WriteAsync(data, ct);
        return await stream.WebSocket.CloseGracefullyAsync(CloseStatus.NormalClosure, "sent it all", TimeSpan.FromSeconds(5), ct);
    }

    public static (CloseStatus? Received, CloseStatus? CloseCode) Statuses(WebSocketReceiveResult result, WebSocket socket)
    {
        CloseStatus? received = result.CloseStatus.ToCloseStatus();   // nullable in, nullable out; lossless
        CloseStatus? closeCode = socket.GetCloseStatus();              // null until a close frame arrives; 1006 if it ended without one
        return (received, closeCode);
    }
}

public sealed class DrainOnStopping(WebSocketDrain drain, ILogger<DrainOnStopping> logger) : IHostedLifecycleService
{
    public async Task StoppingAsync(CancellationToken cancellationToken) => logger.LogInformation("{Report}", await drain.DrainAsync(cancellationToken));
    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
