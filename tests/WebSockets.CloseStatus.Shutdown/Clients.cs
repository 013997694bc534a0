using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Net.WebSockets;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace WebSockets.CloseStatus.Shutdown;

/// <summary>What a client reported of its connection's end.</summary>
public sealed record ClientReport(string Peer, int? Code, string? Reason, bool Clean, double CloseMs, double TcpWaitMs, string? Error);

/// <summary>.NET's ClientWebSocket as most clients use it: a receive loop that answers the server's close with CloseAsync.</summary>
public static class DotNetClients
{
    public static async Task<ClientWebSocket> ConnectAsync(Uri uri, string peer)
    {
        var socket = new ClientWebSocket();
        socket.Options.KeepAliveInterval = TimeSpan.Zero;
        await socket.ConnectAsync(new Uri(uri, "?peer=" + peer), CancellationToken.None);
        return socket;
    }

    // Reads until the server's close, then replies; the reply's CloseAsync waits up to 1 s for the server to end TCP.
    public static async Task<ClientReport> ReadAsync(ClientWebSocket socket, string peer)
    {
        try
        {
            byte[] buffer = new byte[4096];
            while ((await socket.ReceiveAsync(buffer, CancellationToken.None)).MessageType != WebSocketMessageType.Close)
            {
            }

            long replied = Stopwatch.GetTimestamp();
            await socket.CloseAsync(socket.CloseStatus!.Value, null, CancellationToken.None);
            double tcpWait = Stopwatch.GetElapsedTime(replied).TotalMilliseconds;
            return new ClientReport(peer, (int?)socket.CloseStatus, socket.CloseStatusDescription, socket.State == WebSocketState.Closed, double.NaN, tcpWait, null);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
            return new ClientReport(peer, null, null, false, double.NaN, double.NaN, e.GetType().Name + ": " + e.Message);
        }
        finally
        {
            socket.Dispose();
        }
    }

    // Reads until the server's close, answers it, then reconnects to another server after the delay the policy advises,
    // as a client of a rolling deploy does; returns when the close arrived and when the reconnect was accepted.
    public static async Task<(long ClosedAt, long ArrivedAt, int? Code, bool Clean)> ReadThenReconnectAsync(ClientWebSocket socket, ReconnectPolicy policy, Uri next)
    {
        long closedAt;
        int? code;
        bool clean;
        try
        {
            byte[] buffer = new byte[256];
            while ((await socket.ReceiveAsync(buffer, CancellationToken.None)).MessageType != WebSocketMessageType.Close)
            {
            }

            closedAt = Stopwatch.GetTimestamp();
            await socket.CloseAsync(socket.CloseStatus!.Value, null, CancellationToken.None);
            code = (int?)socket.CloseStatus;
            clean = socket.State == WebSocketState.Closed;
        }
        finally
        {
            socket.Dispose();
        }

        ReconnectAdvice advice = policy.GetAdvice((WebSocketCloseStatus)code!.Value, 0, null);
        if (!advice.ShouldReconnect)
        {
            return (closedAt, 0, code, clean);
        }

        await Task.Delay(advice.Delay);
        using ClientWebSocket again = await ConnectAsync(next, "reconnect");
        long arrivedAt = Stopwatch.GetTimestamp();
        again.Abort();
        return (closedAt, arrivedAt, code, clean);
    }

    // Closes first while the server's loop runs; CloseAsync returns once the server ended TCP (or System.Net gave up after 1 s).
    public static async Task<ClientReport> CloseFirstAsync(ClientWebSocket socket, string peer)
    {
        try
        {
            long started = Stopwatch.GetTimestamp();
            await socket.CloseAsync(System.Net.WebSockets.WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None);
            double closeMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            return new ClientReport(peer, (int?)socket.CloseStatus, socket.CloseStatusDescription, socket.State == WebSocketState.Closed, closeMs, double.NaN, null);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
            return new ClientReport(peer, null, null, false, double.NaN, double.NaN, e.GetType().Name + ": " + e.Message);
        }
        finally
        {
            socket.Dispose();
        }
    }

    // The client role of this library: a receive loop through WebSocketCloser, and the client closes from outside it.
    public static async Task<(WebSocketCloseResult Result, double CloseMs)> CloserClientAsync(ClientWebSocket socket, TimeSpan timeout, Task go)
    {
        var closer = new WebSocketCloser(socket, new WebSocketCloseOptions { Timeout = timeout });
        Task loop = Task.Run(async () =>
        {
            byte[] buffer = new byte[4096];
            while ((await closer.ReceiveAsync(new ArraySegment<byte>(buffer), CancellationToken.None)).MessageType != WebSocketMessageType.Close)
            {
            }
        });
        await go;
        long started = Stopwatch.GetTimestamp();
        WebSocketCloseResult result = await closer.CloseAsync(WebSocketCloseStatus.NormalClosure, "client done", CancellationToken.None);
        double closeMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        await loop;
        return (result, closeMs);
    }
}

/// <summary>Python websockets clients in a child process (python/clients.py).</summary>
public sealed class PythonClients : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _peer;

    private PythonClients(Process process, string peer)
    {
        _process = process;
        _peer = peer;
    }

    public static async Task<PythonClients> StartAsync(string python, string script, Uri uri, int count, string mode)
    {
        string peer = "python-" + mode;
        var start = new ProcessStartInfo(python)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(script);
        start.ArgumentList.Add(new Uri(uri, "?peer=" + peer).ToString());
        start.ArgumentList.Add(count.ToString(System.Globalization.CultureInfo.InvariantCulture));
        start.ArgumentList.Add(mode);
        Process process = Process.Start(start) ?? throw new InvalidOperationException("python did not start");
        var clients = new PythonClients(process, peer);
        string? line = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60));
        if (line != "connected " + count)
        {
            string error = await process.StandardError.ReadToEndAsync();
            throw new InvalidOperationException($"python clients ({mode}) did not connect: {line} {error}");
        }

        return clients;
    }

    /// <summary>Lets the clients go on (read, or stop), then collects their reports.</summary>
    public async Task<List<ClientReport>> FinishAsync(TimeSpan timeout)
    {
        _process.StandardInput.Close();
        var reports = new List<ClientReport>();
        using var cancel = new CancellationTokenSource(timeout);
        while (await _process.StandardOutput.ReadLineAsync(cancel.Token) is { } line)
        {
            using JsonDocument json = JsonDocument.Parse(line);
            JsonElement root = json.RootElement;
            reports.Add(root.TryGetProperty("error", out JsonElement error)
                ? new ClientReport(_peer, null, null, false, double.NaN, double.NaN, error.GetString())
                : new ClientReport(
                    _peer,
                    root.GetProperty("code").GetInt32(),
                    root.GetProperty("reason").GetString(),
                    root.GetProperty("clean").GetBoolean(),
                    root.GetProperty("closeMs").GetDouble(),
                    root.GetProperty("tcpWaitMs").GetDouble(),
                    null));
        }

        await _process.WaitForExitAsync(cancel.Token);
        if (_process.ExitCode != 0)
        {
            throw new InvalidOperationException($"python clients exited with {_process.ExitCode}: {await _process.StandardError.ReadToEndAsync()}");
        }

        return reports;
    }

    public ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
        return ValueTask.CompletedTask;
    }
}
