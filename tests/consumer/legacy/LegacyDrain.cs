// A netstandard2.0 client library in C# 7.3, as a Unity game or a .NET Framework service holds several connections:
// it tracks each one, drains them all when it shuts down, and asks the reconnect policy when to come back.
// Plain calls only: options set one by one, no target-typed new, no tuples, no pattern matching.
using System;
using System.Collections.Generic;
using System.Net.WebSockets;
using System.Threading;
using System.Threading.Tasks;
using WebSockets.CloseStatus;
using CloseStatus = WebSockets.CloseStatus.WebSocketCloseStatus;

public sealed class LegacyDrain
{
    private readonly WebSocketDrain _drain;
    private readonly List<Task> _loops = new List<Task>();

    public LegacyDrain()
    {
        WebSocketDrainOptions options = new WebSocketDrainOptions();
        options.CloseStatus = CloseStatus.EndpointUnavailable;
        options.StatusDescription = "client shutting down";
        options.Window = TimeSpan.FromMilliseconds(300);
        options.Deadline = TimeSpan.FromSeconds(10);
        options.KeepResults = true;
        _drain = new WebSocketDrain(options);
    }

    public int Count
    {
        get { return _drain.Count; }
    }

    // Each connection's receive loop goes through its closer, which the drain closes when the time comes.
    public void Track(WebSocket socket, CancellationToken cancellationToken)
    {
        WebSocketCloser closer = new WebSocketCloser(socket);
        _drain.Track(closer);
        _loops.Add(ReceiveUntilClosedAsync(closer, cancellationToken));
    }

    public async Task<string> DrainAsync(CancellationToken cancellationToken)
    {
        WebSocketDrainReport report = await _drain.DrainAsync(cancellationToken);
        await Task.WhenAll(_loops);

        string results = "";
        foreach (WebSocketCloseResult result in report.Results)
        {
            results += " " + result.SentStatus + "/" + result.WasClean + "/" + result.Initiator;
        }

        // Had the server drained instead, its 1012 would tell the client to come back in 5-30 s, spread at random.
        ReconnectPolicy policy = new ReconnectPolicy();
        ReconnectAdvice restart = policy.GetAdvice(CloseStatus.ServiceRestart, 0, new Random(7));
        bool spread = restart.Action == ReconnectAction.Retry && restart.Delay >= TimeSpan.FromSeconds(5) && restart.Delay <= TimeSpan.FromSeconds(30);
        return report.Total + " " + report.Clean + " " + report.TimedOut + " " + report.Aborted + " " + _drain.IsDraining + " " + spread + results;
    }

    // A custom stack's connection, tracked through its handshake: at its turn the drain cancels CloseRequested, and the
    // stack closes through the handshake (here the server's answer and its end of TCP come at once) and disposes.
    public async Task<string> DrainHandshakeAsync(CancellationToken cancellationToken)
    {
        WebSocketDrainOptions options = new WebSocketDrainOptions();
        options.CloseStatus = CloseStatus.EndpointUnavailable;
        options.Window = TimeSpan.Zero;
        options.KeepResults = true;
        WebSocketDrain drain = new WebSocketDrain(options);
        CloseHandshake handshake = new CloseHandshake(WebSocketRole.Client);
        WebSocketDrainRegistration registration = drain.Track(handshake);
        byte[] frame = new byte[CloseFrame.MaxLength];
        registration.CloseRequested.Register(delegate
        {
            int written;
            handshake.WriteClose(frame, registration.CloseStatus, registration.StatusDescription, out written);
            handshake.ReceiveClose(ClosePayload.Create(registration.CloseStatus, null));
            handshake.ReportTransportClosed();
            registration.Dispose();
        });

        WebSocketDrainReport report = await drain.DrainAsync(cancellationToken);
        WebSocketCloseResult result = report.Results[0];
        return report.Total + " " + report.Clean + " " + result.SentStatus + "/" + result.WasClean + "/" + result.Initiator + " " + drain.Count;
    }

    private static async Task ReceiveUntilClosedAsync(WebSocketCloser closer, CancellationToken cancellationToken)
    {
        byte[] buffer = new byte[1024];
        while ((await closer.ReceiveAsync(new ArraySegment<byte>(buffer), cancellationToken)).MessageType != WebSocketMessageType.Close)
        {
        }
    }
}
