global using CloseStatus = WebSockets.CloseStatus.WebSocketCloseStatus;
using System.Diagnostics;
using System.Net.WebSockets;
using OpenTelemetry.Metrics;
using WebSockets.CloseStatus;

// An ASP.NET Core app as its author writes it against the packed package: the README's endpoint (a receive loop through
// WebSocketCloser, RequestAborted, 1012 when the app stops), a ClientWebSocket that closes first, one that stays until
// the app stops, and the C# 7.3 netstandard2.0 library's close and drain. Each side's report is checked against the other's,
// and against the library's metrics, exported with OpenTelemetry as the README shows (and to memory, to be read here).
var builder = WebApplication.CreateSlimBuilder(args);
builder.WebHost.UseUrls("http://127.0.0.1:0");
builder.Services.AddOpenTelemetry()
    .WithMetrics(metrics => metrics.AddMeter(WebSocketCloseMetrics.MeterName).AddOtlpExporter());
var exported = new List<MetricSnapshot>();
builder.Services.ConfigureOpenTelemetryMeterProvider(metrics => metrics.AddInMemoryExporter(exported));
var app = builder.Build();
app.UseWebSockets();

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
    Results.Add(result.ToString());
});

await app.StartAsync();
var uri = new Uri(app.Urls.Single().Replace("http://", "ws://") + "/ws");
bool ok = true;
using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(30));   // a client's own bound on its closes
void Check(bool condition, string what)
{
    Console.WriteLine((condition ? "ok: " : "FAILED: ") + what);
    ok &= condition;
}

// A client that closes first while the server's loop runs: the loop answers with its code and ends TCP at once.
using var leaving = new ClientWebSocket();
await leaving.ConnectAsync(uri, CancellationToken.None);
var timer = Stopwatch.StartNew();
await leaving.CloseAsync(System.Net.WebSockets.WebSocketCloseStatus.EndpointUnavailable, "client leaving", patience.Token);
Check(leaving.CloseStatus == System.Net.WebSockets.WebSocketCloseStatus.EndpointUnavailable && timer.ElapsedMilliseconds < 900, $"a client's close is answered with its code in {timer.ElapsedMilliseconds} ms");

// The C# 7.3 library closes its own ClientWebSocket with plain strings.
using var legacyClient = new ClientWebSocket();
await legacyClient.ConnectAsync(uri, CancellationToken.None);
string legacy = await LegacyCloser.CloseGracefullyAsync(legacyClient, "legacy leaving", CancellationToken.None);
Check(legacy == "EndpointUnavailable  True Local EndpointUnavailable False False True", "the C# 7.3 library's close: " + legacy);

// The C# 7.3 library drains its own three connections on shutdown: each closes with 1001 at its moment in the window.
var legacyDrain = new LegacyDrain();
var drained = new List<ClientWebSocket>();
for (int i = 0; i < 3; i++)
{
    var socket = new ClientWebSocket();
    await socket.ConnectAsync(uri, CancellationToken.None);
    legacyDrain.Track(socket, CancellationToken.None);
    drained.Add(socket);
}

Check(legacyDrain.Count == 3, "the C# 7.3 library tracks its connections");
string drainReport = await legacyDrain.DrainAsync(patience.Token);
Check(drainReport == "3 3 0 0 True True" + string.Concat(Enumerable.Repeat(" EndpointUnavailable/True/Local", 3)), "the C# 7.3 library's drain: " + drainReport);
Check(legacyDrain.Count == 0, "a drained connection leaves the set");
string handshakeDrain = await legacyDrain.DrainHandshakeAsync(patience.Token);
Check(handshakeDrain == "1 1 EndpointUnavailable/True/Local 0", "the C# 7.3 library's drain of a custom stack: " + handshakeDrain);
drained.ForEach(socket => socket.Dispose());

// A client that stays: the app's shutdown closes it with 1012, and the client's reply completes the handshake.
using var staying = new ClientWebSocket();
await staying.ConnectAsync(uri, CancellationToken.None);
await staying.SendAsync("hello"u8.ToArray(), WebSocketMessageType.Text, true, CancellationToken.None);
byte[] reply = new byte[16];
WebSocketReceiveResult echo = await staying.ReceiveAsync(reply, CancellationToken.None);
Check(echo.Count == 5, "the endpoint echoes data");
Task stoppingApp = app.StopAsync();
WebSocketReceiveResult close = await staying.ReceiveAsync(reply, CancellationToken.None);
await staying.CloseAsync(close.CloseStatus!.Value, null, patience.Token);
await stoppingApp;
Check(close.CloseStatus == (System.Net.WebSockets.WebSocketCloseStatus)1012 && close.CloseStatusDescription == "restarting", "the app's shutdown closes with 1012 \"restarting\"");

string[] seen = [.. Results.All.Order()];
Console.WriteLine("server: " + string.Join(" | ", seen));
Check(seen.SequenceEqual(new[]
{
    "1001 Going Away \"client leaving\", clean, started by Remote, sent 1001",
    "1001 Going Away \"client shutting down\", clean, started by Remote, sent 1001",
    "1001 Going Away \"client shutting down\", clean, started by Remote, sent 1001",
    "1001 Going Away \"client shutting down\", clean, started by Remote, sent 1001",
    "1001 Going Away \"legacy leaving\", clean, started by Remote, sent 1001",
    "1012 Service Restart, clean, started by Local, sent 1012",
}), "the server's results match what each client did");

// The metrics: each connection counted once, by role (the server's six endpoints; the C# 7.3 library's four closes).
app.Services.GetRequiredService<MeterProvider>().ForceFlush();
MetricSnapshot? closes = exported.LastOrDefault(metric => metric.Name == WebSocketCloseMetrics.ClosesCounterName);
long Closes(string role) => closes is null ? 0 : closes.MetricPoints
    .Where(point => Tags(point).Contains($"{WebSocketCloseMetrics.RoleTagName}={role}"))
    .Sum(point => point.GetSumLong());
static List<string> Tags(MetricPoint point)
{
    var tags = new List<string>();
    foreach (KeyValuePair<string, object?> tag in point.Tags)
    {
        tags.Add($"{tag.Key}={tag.Value}");
    }

    return tags;
}

// Client closes: the C# 7.3 library's close, its three drained closers and its drained custom-stack handshake.
Check(Closes("server") == 6 && Closes("client") == 5, $"OpenTelemetry exported {Closes("server")} server and {Closes("client")} client closes of {WebSocketCloseMetrics.MeterName}");
Console.WriteLine(ok ? "web consumer: all checks passed" : "web consumer: FAILED");
return ok ? 0 : 1;

internal static class Results
{
    private static readonly List<string> s_all = [];

    public static string[] All
    {
        get
        {
            lock (s_all)
            {
                return [.. s_all];
            }
        }
    }

    public static void Add(string result)
    {
        lock (s_all)
        {
            s_all.Add(result);
        }
    }
}
