using System;
using System.Linq;
using System.Net;
using System.Net.WebSockets;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace WebSockets.CloseStatus.Tests.TestData;

/// <summary>A real ASP.NET Core app on Kestrel, on 127.0.0.1 and a free port, that hands each WebSocket it accepts to a test's handler.</summary>
public sealed class KestrelServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private KestrelServer(WebApplication app, Uri uri)
    {
        _app = app;
        Uri = uri;
    }

    /// <summary>The ws:// address of the app.</summary>
    public Uri Uri { get; }

    /// <summary>Starts the app; <paramref name="handler"/> runs for each accepted WebSocket, which the app disposes after it.</summary>
    public static Task<KestrelServer> StartAsync(Func<WebSocket, Task> handler, TimeSpan? keepAliveInterval = null, TimeSpan? keepAliveTimeout = null) =>
        StartAsync((webSocket, _) => handler(webSocket), keepAliveInterval, keepAliveTimeout);

    /// <summary>Starts the app; <paramref name="handler"/> runs for each accepted WebSocket with its request's <see cref="HttpContext"/> (for <see cref="HttpContext.RequestAborted"/>).</summary>
    public static async Task<KestrelServer> StartAsync(Func<WebSocket, HttpContext, Task> handler, TimeSpan? keepAliveInterval = null, TimeSpan? keepAliveTimeout = null)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        WebApplication app = builder.Build();
        var options = new WebSocketOptions { KeepAliveInterval = keepAliveInterval ?? TimeSpan.Zero };
        if (keepAliveTimeout.HasValue)
        {
            options.KeepAliveTimeout = keepAliveTimeout.Value;
        }

        app.UseWebSockets(options);
        app.Run(async context =>
        {
            if (!context.WebSockets.IsWebSocketRequest)
            {
                context.Response.StatusCode = StatusCodes.Status400BadRequest;
                return;
            }

            using WebSocket webSocket = await context.WebSockets.AcceptWebSocketAsync();
            await handler(webSocket, context);
        });
        await app.StartAsync();
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new KestrelServer(app, new Uri(address.Replace("http://", "ws://", StringComparison.Ordinal)));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
