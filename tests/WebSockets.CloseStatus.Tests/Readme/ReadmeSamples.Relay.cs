// The README's relay example, verbatim (see ReadmeSamples.cs).
#pragma warning disable CA1848, CA1873 // the README logs as most apps do, with LogInformation
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using WebSockets.CloseStatus;
using CloseStatus = WebSockets.CloseStatus.WebSocketCloseStatus;

namespace ReadmeSamples;

public static class RelaySamples
{
    public static async Task<WebSocketRelayResult> RelayAsync(Stream clientStream, Stream backendStream, IHostApplicationLifetime lifetime, ILogger logger, CancellationToken ct)
    {
        // After the upgrade request and the 101 response went through as bytes: the rest is frames.
        var relay = new WebSocketStreamRelay(clientStream, backendStream);   // 5 s per close; WebSocketCloseOptions set another
        using var stopping = lifetime.ApplicationStopping.Register(() => relay.CloseAsync(CloseStatus.ServiceRestart, "restarting"));
        WebSocketRelayResult result = await relay.RunAsync(ct);
        logger.LogInformation("{Result}", result);   // client: 1012 Service Restart, clean, started by Local, sent 1012; backend: …
        return result;
    }
}
