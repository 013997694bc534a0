using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using FluentAssertions;
using WebSockets.CloseStatus.Tests.TestData;
using static WebSockets.CloseStatus.Tests.TestData.Connections;
using Xunit;
using NetStatus = System.Net.WebSockets.WebSocketCloseStatus;
using Status = WebSockets.CloseStatus.WebSocketCloseStatus;

namespace WebSockets.CloseStatus.Tests;

/// <summary>
/// The bounded close on System.Net's WebSocket against real peers on 127.0.0.1: ASP.NET Core's Kestrel, .NET's
/// <see cref="ClientWebSocket"/>, and <see cref="RawPeer"/>, a peer written from RFC 6455 that misbehaves on request.
/// Each result is checked against what the peer itself saw (RFC 6455 §7.1.4–§7.1.7).
/// </summary>
public sealed class WebSocketExtensionsGracefulTests
{
    private static readonly TimeSpan s_patience = Connections.Patience;

    // The close timeout of the paths that must time out; the bound asserted on them is generous.
    private static readonly TimeSpan s_shortTimeout = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan s_timeoutBound = TimeSpan.FromSeconds(10);

    // A Kestrel app that answers a client's close with 1000 "ok", System.Net's own way.
    private static Task<KestrelServer> StartReplyingServerAsync() =>
        KestrelServer.StartAsync(async webSocket =>
        {
            await ReceiveCloseAsync(webSocket);
            await webSocket.CloseOutputAsync(NetStatus.NormalClosure, "ok", CancellationToken.None);
        });

    // ---- Kestrel and ClientWebSocket, both roles ----

    [Fact]
    public async Task ClientCloses_KestrelReplies_BothResultsAgreeWithWhatEachSideSent()
    {
        var serverResult = new TaskCompletionSource<WebSocketCloseResult>();
        await using var server = await KestrelServer.StartAsync(async webSocket =>
        {
            WebSocketReceiveResult close = await ReceiveCloseAsync(webSocket);
            close.CloseStatus.Should().Be(NetStatus.EndpointUnavailable);
            serverResult.SetResult(await webSocket.CloseGracefullyAsync(Status.NormalClosure, "server ok", s_patience, CancellationToken.None));
        });
        using ClientWebSocket client = await ConnectAsync(server.Uri);

        WebSocketCloseResult result = await client.CloseGracefullyAsync(Status.EndpointUnavailable, "client leaving", s_patience, CancellationToken.None);
        WebSocketCloseResult seen = await Within(serverResult.Task);

        result.CloseStatus.Should().Be(Status.NormalClosure);
        result.CloseStatusDescription.Should().Be("server ok");
        result.WasClean.Should().BeTrue();
        result.Initiator.Should().Be(CloseInitiator.Local);
        result.SentStatus.Should().Be(Status.EndpointUnavailable);
        result.TimedOut.Should().BeFalse();
        result.Aborted.Should().BeFalse();
        result.Exception.Should().BeNull();
        client.State.Should().Be(WebSocketState.Closed);

        seen.CloseStatus.Should().Be(Status.EndpointUnavailable);
        seen.CloseStatusDescription.Should().Be("client leaving");
        seen.WasClean.Should().BeTrue();
        seen.Initiator.Should().Be(CloseInitiator.Remote);
        seen.SentStatus.Should().Be(Status.NormalClosure);
    }

    [Fact]
    public async Task KestrelCloses_ClientReplies_BothResultsAgreeWithWhatEachSideSent()
    {
        var serverResult = new TaskCompletionSource<WebSocketCloseResult>();
        await using var server = await KestrelServer.StartAsync(async webSocket =>
            serverResult.SetResult(await webSocket.CloseGracefullyAsync(Status.PolicyViolation, "политика", s_patience, CancellationToken.None)));
        using ClientWebSocket client = await ConnectAsync(server.Uri);

        WebSocketReceiveResult close = await ReceiveCloseAsync(client);
        WebSocketCloseResult result = await client.CloseGracefullyAsync(close.CloseStatus!.Value.ToCloseStatus(), close.CloseStatusDescription, s_patience, CancellationToken.None);
        WebSocketCloseResult seen = await Within(serverResult.Task);

        result.CloseStatus.Should().Be(Status.PolicyViolation);
        result.CloseStatusDescription.Should().Be("политика");
        result.WasClean.Should().BeTrue();
        result.Initiator.Should().Be(CloseInitiator.Remote);
        result.SentStatus.Should().Be(Status.PolicyViolation);

        seen.CloseStatus.Should().Be(Status.PolicyViolation, "the client echoed the server's code");
        seen.CloseStatusDescription.Should().Be("политика");
        seen.WasClean.Should().BeTrue();
        seen.Initiator.Should().Be(CloseInitiator.Local);
        seen.SentStatus.Should().Be(Status.PolicyViolation);
        seen.TimedOut.Should().BeFalse();
    }

    [Fact]
    public async Task ReceiveLoopThroughTheCloser_CloseFromAnotherTask_TheLoopTakesThePeersClose()
    {
        await using var server = await KestrelServer.StartAsync(async webSocket =>
        {
            WebSocketReceiveResult close = await ReceiveCloseAsync(webSocket);
            await webSocket.CloseOutputAsync(close.CloseStatus!.Value, "echo", CancellationToken.None);
        });
        using ClientWebSocket client = await ConnectAsync(server.Uri);
        var closer = new WebSocketCloser(client, new WebSocketCloseOptions { Timeout = s_patience });
        Task<WebSocketReceiveResult> loop = closer.ReceiveAsync(new byte[256], CancellationToken.None);
        await Task.Delay(50);

        WebSocketCloseResult result = await Task.Run(() => closer.CloseAsync(Status.ServiceRestart, "restart", CancellationToken.None)).WaitAsync(s_patience);

        (await Within(loop)).CloseStatus.Should().Be((NetStatus)1012, "the loop received the echo");
        result.CloseStatus.Should().Be(Status.ServiceRestart);
        result.CloseStatusDescription.Should().Be("echo");
        result.WasClean.Should().BeTrue();
        result.TimedOut.Should().BeFalse();
    }

    [Fact]
    public async Task Kestrel_ClientNeverAnswers_TimesOutWithin_AbnormalClosure_NotClean()
    {
        var serverResult = new TaskCompletionSource<WebSocketCloseResult>();
        var elapsed = new TaskCompletionSource<TimeSpan>();
        await using var server = await KestrelServer.StartAsync(async webSocket =>
        {
            var clock = Stopwatch.StartNew();
            WebSocketCloseResult r = await webSocket.CloseGracefullyAsync(Status.TryAgainLater, "busy", s_shortTimeout, CancellationToken.None);
            elapsed.SetResult(clock.Elapsed);
            serverResult.SetResult(r);
        });
        using RawPeer peer = await RawPeer.ConnectAsync(server.Uri, CancellationToken.None);

        RawPeer.Frame? close = await peer.ReadCloseAsync(s_patience);
        WebSocketCloseResult result = await Within(serverResult.Task);

        close!.CloseCode.Should().Be(1013);
        close.CloseReason.Should().Be("busy");
        result.CloseStatus.Should().Be(Status.AbnormalClosure);
        result.WasClean.Should().BeFalse();
        result.TimedOut.Should().BeTrue();
        result.Aborted.Should().BeTrue();
        result.Initiator.Should().Be(CloseInitiator.Local);
        result.SentStatus.Should().Be(Status.TryAgainLater);
        (await elapsed.Task).Should().BeLessThan(s_timeoutBound);
        (await peer.SeesConnectionEndAsync(s_patience)).Should().BeTrue("an aborted server drops TCP");
    }

    [Fact]
    public async Task Kestrel_KeepAliveTimeout_LoopThroughTheCloser_GetsAClose_Aborted_1006()
    {
        // The keep-alive-timeout recognition was removed: the result says Aborted, not TimedOut (only the close's deadline is).
        var serverResult = new TaskCompletionSource<(WebSocketReceiveResult Received, WebSocketCloseResult Result)>();
        await using var server = await KestrelServer.StartAsync(
            async webSocket =>
            {
                var closer = new WebSocketCloser(webSocket);
                WebSocketReceiveResult received = await closer.ReceiveAsync(new byte[256], CancellationToken.None);
                serverResult.SetResult((received, await closer.Completion));
            },
            keepAliveInterval: TimeSpan.FromMilliseconds(100),
            keepAliveTimeout: TimeSpan.FromMilliseconds(300));
        using RawPeer peer = await RawPeer.ConnectAsync(server.Uri, CancellationToken.None);
        Task<RawPeer.Frame?> reading = peer.ReadCloseAsync(s_patience); // reads the pings, answers none

        var (received, result) = await Within(serverResult.Task);

        received.MessageType.Should().Be(WebSocketMessageType.Close, "the closer's receive ends the loop with a Close message instead of throwing");
        received.Count.Should().Be(0);
        result.CloseStatus.Should().Be(Status.AbnormalClosure);
        result.WasClean.Should().BeFalse();
        result.TimedOut.Should().BeFalse();
        result.SentStatus.Should().BeNull();
    }

    [Fact]
    public async Task PeerAnswersAtOnce_Clean_WithThePeersCodeAndReason()
    {
        using RawPair pair = await ToRawPeerAsync();
        var (client, peer) = pair;
        Task<WebSocketCloseResult> closing = client.CloseGracefullyAsync(Status.NormalClosure, "bye", s_patience, CancellationToken.None);

        RawPeer.Frame? close = await peer.ReadCloseAsync(s_patience);
        await peer.SendCloseAsync(4001, "see you");
        peer.DropConnection(); // the server closes TCP after the handshake (§7.1.1)
        WebSocketCloseResult result = await Within(closing);

        close!.CloseCode.Should().Be(1000);
        close.CloseReason.Should().Be("bye");
        result.CloseStatus.Should().Be((Status)4001);
        result.CloseStatusDescription.Should().Be("see you");
        result.WasClean.Should().BeTrue();
        result.Initiator.Should().Be(CloseInitiator.Local);
    }

    [Fact]
    public async Task PeerNeverAnswers_TimesOutWithin_AbnormalClosure_NotClean_Aborted()
    {
        using RawPair pair = await ToRawPeerAsync();
        var (client, peer) = pair;
        var clock = Stopwatch.StartNew();

        WebSocketCloseResult result = await client.CloseGracefullyAsync(Status.EndpointUnavailable, "leaving", s_shortTimeout, CancellationToken.None);
        TimeSpan took = clock.Elapsed;

        took.Should().BeLessThan(s_timeoutBound);
        result.CloseStatus.Should().Be(Status.AbnormalClosure);
        result.CloseStatusDescription.Should().BeEmpty();
        result.WasClean.Should().BeFalse();
        result.TimedOut.Should().BeTrue();
        result.Aborted.Should().BeTrue();
        result.Initiator.Should().Be(CloseInitiator.Local);
        result.SentStatus.Should().Be(Status.EndpointUnavailable);
        result.Exception.Should().BeNull();
        client.State.Should().Be(WebSocketState.Aborted);
        RawPeer.Frame? close = await peer.ReadCloseAsync(s_patience);
        close!.CloseCode.Should().Be(1001, "the close frame went out before the wait");
        (await peer.SeesConnectionEndAsync(s_patience)).Should().BeTrue("the abort closed TCP");
    }

    [Fact]
    public async Task PeerDropsTcpWithoutCloseFrame_AbnormalClosure_NotClean_WithTheException()
    {
        using RawPair pair = await ToRawPeerAsync();
        var (client, peer) = pair;
        Task<WebSocketCloseResult> closing = client.CloseGracefullyAsync(Status.NormalClosure, null, s_patience, CancellationToken.None);

        RawPeer.Frame? close = await peer.ReadCloseAsync(s_patience);
        peer.DropConnection();
        WebSocketCloseResult result = await Within(closing);

        close!.CloseCode.Should().Be(1000);
        close.Payload.Should().HaveCount(2, "no reason was given");
        result.CloseStatus.Should().Be(Status.AbnormalClosure);
        result.WasClean.Should().BeFalse();
        result.TimedOut.Should().BeFalse();
        result.Aborted.Should().BeTrue();
        result.Exception.Should().BeOfType<WebSocketException>();
        result.Initiator.Should().Be(CloseInitiator.Local);
    }

    [Fact]
    public async Task PeerSendsDataAfterOurClose_NoCallback_Discarded_ThenClean()
    {
        using RawPair pair = await ToRawPeerAsync();
        var (client, peer) = pair;
        Task<WebSocketCloseResult> closing = client.CloseGracefullyAsync(Status.NormalClosure, "done", new WebSocketCloseOptions(), CancellationToken.None);

        await peer.ReadCloseAsync(s_patience);
        await peer.SendTextAsync("late");
        await peer.SendCloseAsync(1000, string.Empty);
        peer.DropConnection();
        WebSocketCloseResult result = await Within(closing);

        result.CloseStatus.Should().Be(Status.NormalClosure);
        result.WasClean.Should().BeTrue();
    }

    [Fact]
    public async Task PeerClosesFirstWhileWeSend_BothClosesCross_Clean_WithThePeersCode()
    {
        using RawPair pair = await ToRawPeerAsync();
        var (client, peer) = pair;

        await peer.SendCloseAsync(1001, "server going away");
        await client.SendAsync(new byte[10_000], WebSocketMessageType.Binary, endOfMessage: true, CancellationToken.None);
        WebSocketCloseResult result = await client.CloseGracefullyAsync(Status.NormalClosure, "client done", s_patience, CancellationToken.None);

        result.CloseStatus.Should().Be(Status.EndpointUnavailable);
        result.CloseStatusDescription.Should().Be("server going away");
        result.WasClean.Should().BeTrue();
        result.Initiator.Should().Be(CloseInitiator.Local, "each side's close went out before it read the other's (a simultaneous close)");
        RawPeer.Frame? close = await peer.ReadCloseAsync(s_patience);
        close!.CloseCode.Should().Be(1000);
        close.CloseReason.Should().Be("client done");
    }

    [Fact]
    public async Task PeerClosedFirst_ReceiveLoopSawIt_TheCloseReplies_RemoteStarted()
    {
        using RawPair pair = await ToRawPeerAsync();
        var (client, peer) = pair;

        await peer.SendCloseAsync(4000, "app closing");
        await ReceiveCloseAsync(client);
        client.State.Should().Be(WebSocketState.CloseReceived);
        Task<WebSocketCloseResult> closing = client.CloseGracefullyAsync(Status.NormalClosure, null, s_patience, CancellationToken.None);
        RawPeer.Frame? reply = await peer.ReadCloseAsync(s_patience);
        peer.DropConnection();
        WebSocketCloseResult result = await Within(closing);

        reply!.CloseCode.Should().Be(1000);
        result.CloseStatus.Should().Be((Status)4000);
        result.CloseStatusDescription.Should().Be("app closing");
        result.WasClean.Should().BeTrue();
        result.Initiator.Should().Be(CloseInitiator.Remote);
        result.SentStatus.Should().Be(Status.NormalClosure);
        client.State.Should().Be(WebSocketState.Closed, "disposed once close frames went both ways");
    }

    [Fact]
    public async Task PeerDropsTcp_LoopThroughTheCloser_GetsAClose_AbnormalClosure_NoneStarted()
    {
        using RawPair pair = await ToRawPeerAsync();
        var (client, peer) = pair;
        var closer = new WebSocketCloser(client);
        peer.DropConnection();

        WebSocketReceiveResult received = await Within(closer.ReceiveAsync(new byte[256], CancellationToken.None));
        WebSocketCloseResult result = await Within(closer.Completion);

        received.MessageType.Should().Be(WebSocketMessageType.Close);
        received.Count.Should().Be(0);
        result.Exception.Should().BeOfType<WebSocketException>().Which.Message.Should().Contain("without completing the close handshake", "this is what System.Net throws for it");
        result.CloseStatus.Should().Be(Status.AbnormalClosure);
        result.WasClean.Should().BeFalse();
        result.Initiator.Should().Be(CloseInitiator.None);
        result.Aborted.Should().BeTrue();
        result.TimedOut.Should().BeFalse();
        result.SentStatus.Should().BeNull();
    }

    [Fact]
    public async Task KeepAliveTimeout_LoopThroughTheCloser_GetsAClose_Aborted_NotTimedOut()
    {
        using RawPair pair = await ToRawPeerAsync(options =>
        {
            options.KeepAliveInterval = TimeSpan.FromMilliseconds(100);
            options.KeepAliveTimeout = TimeSpan.FromMilliseconds(300);
        });
        var (client, peer) = pair;
        var closer = new WebSocketCloser(client);

        // The peer reads the pings and never answers them.
        Task<RawPeer.Frame?> reading = peer.ReadCloseAsync(s_patience);
        WebSocketReceiveResult received = await Within(closer.ReceiveAsync(new byte[256], CancellationToken.None));
        WebSocketCloseResult result = await Within(closer.Completion);

        received.MessageType.Should().Be(WebSocketMessageType.Close);
        client.CloseStatus.Should().BeNull("System.Net reports no close status for a keep-alive timeout");
        result.CloseStatus.Should().Be(Status.AbnormalClosure);
        result.TimedOut.Should().BeFalse("only the close's own deadline is a timeout");
        result.Aborted.Should().BeTrue();
        result.WasClean.Should().BeFalse();
        result.Initiator.Should().Be(CloseInitiator.None);
        result.Exception.Should().NotBeNull();
        peer.Received.Should().Contain(f => f.Opcode == 0x9, "the client pinged");
        await reading;
    }

    [Fact]
    public async Task CancelledBefore_Aborts_NothingSent()
    {
        using RawPair pair = await ToRawPeerAsync();
        var (client, peer) = pair;

        WebSocketCloseResult result = await Within(client.CloseGracefullyAsync(Status.NormalClosure, null, s_patience, new CancellationToken(canceled: true)));

        client.State.Should().Be(WebSocketState.Aborted);
        result.Aborted.Should().BeTrue();
        result.SentStatus.Should().BeNull();
        (await peer.ReadCloseAsync(TimeSpan.FromMilliseconds(300))).Should().BeNull("no close frame was sent");
    }

    [Fact]
    public async Task CancelledDuring_Aborts_TheResultSaysSo_WithTheCallersCancellation()
    {
        // The doc: cancelled while closing, the connection is aborted and the result says so.
        using RawPair pair = await ToRawPeerAsync();
        var (client, peer) = pair;
        using var cancel = new CancellationTokenSource();
        Task<WebSocketCloseResult> closing = client.CloseGracefullyAsync(Status.NormalClosure, "bye", s_patience, cancel.Token);

        RawPeer.Frame? close = await peer.ReadCloseAsync(s_patience);
        cancel.Cancel();
        WebSocketCloseResult result = await Within(closing);

        close!.CloseCode.Should().Be(1000);
        client.State.Should().Be(WebSocketState.Aborted);
        result.CloseStatus.Should().Be(Status.AbnormalClosure);
        result.Aborted.Should().BeTrue();
        result.WasClean.Should().BeFalse();
        result.TimedOut.Should().BeFalse();
        result.Initiator.Should().Be(CloseInitiator.Local);
        result.SentStatus.Should().Be(Status.NormalClosure);
        result.Exception.Should().BeOfType<OperationCanceledException>().Which.CancellationToken.Should().Be(cancel.Token);
        (await peer.SeesConnectionEndAsync(s_patience)).Should().BeTrue();
    }

    [Fact]
    public async Task ReasonTooLong_TruncatedAsAsked_ThePeerSeesTheCut()
    {
        using RawPair pair = await ToRawPeerAsync();
        var (client, peer) = pair;
        string reason = string.Concat(Enumerable.Repeat("ошибка ", 20)); // 260 bytes in UTF-8
        var options = new WebSocketCloseOptions { Timeout = s_shortTimeout, Truncation = CloseReasonTruncation.TruncateWithEllipsis };

        Task<WebSocketCloseResult> closing = client.CloseGracefullyAsync(Status.InternalServerError, reason, options, CancellationToken.None);
        RawPeer.Frame? close = await peer.ReadCloseAsync(s_patience);
        await Within(closing);

        byte[] sent = close!.Payload[2..];
        sent.Length.Should().BeLessThanOrEqualTo(123);
        Encoding.UTF8.GetString(sent).Should().EndWith("…");
        reason.Should().StartWith(Encoding.UTF8.GetString(sent).TrimEnd('…'));
    }

    // ---- every state ----

    [Fact]
    public async Task AlreadyClosed_SecondCallOnTheCloser_TheSameResult_NewCloser_NoIO()
    {
        await using KestrelServer server = await StartReplyingServerAsync();
        using ClientWebSocket client = await ConnectAsync(server.Uri);
        var closer = new WebSocketCloser(client, new WebSocketCloseOptions { Timeout = s_patience });
        WebSocketCloseResult first = await closer.CloseAsync(Status.NormalClosure, "one", CancellationToken.None);

        WebSocketCloseResult again = await closer.CloseAsync(Status.EndpointUnavailable, "two", CancellationToken.None);
        WebSocketCloseResult another = await client.CloseGracefullyAsync(Status.EndpointUnavailable, "three", s_patience, CancellationToken.None);

        again.Should().BeSameAs(first, "a second CloseAsync returns the first's result");
        another.Should().BeSameAs(first, "CloseGracefullyAsync closes through the socket's closer");
        first.SentStatus.Should().Be(Status.NormalClosure);
        FluentActions.Invoking(() => new WebSocketCloser(client)).Should().Throw<InvalidOperationException>().WithMessage("*already has a WebSocketCloser*");
    }

    [Fact]
    public async Task SystemNetsCloseOutputThenTheReply_CloseAfter_NoIO_Clean()
    {
        // dotnet/corefx#9985: CloseOutputAsync, then the reply arrives in a receive loop, then CloseAsync throws.
        await using KestrelServer server = await StartReplyingServerAsync();
        using ClientWebSocket client = await ConnectAsync(server.Uri);
        await client.CloseOutputAsync(NetStatus.NormalClosure, "bye", CancellationToken.None);
        await ReceiveCloseAsync(client);
        client.State.Should().Be(WebSocketState.Closed);

        WebSocketCloseResult result = await client.CloseGracefullyAsync(Status.NormalClosure, "bye", s_patience, CancellationToken.None);

        result.WasClean.Should().BeTrue();
        result.CloseStatus.Should().Be(Status.NormalClosure);
        result.CloseStatusDescription.Should().Be("ok");
        result.Initiator.Should().BeNull("System.Net's own close sent first, and the order is not known here");
        result.SentStatus.Should().BeNull();
        result.ToString().Should().Be("1000 Normal Closure \"ok\", clean, started by unknown");
    }

    [Fact]
    public async Task SystemNetsCloseOutput_ThenTheBoundedClose_OnlyDrains_LocalStarted()
    {
        var serverSaw = new TaskCompletionSource<WebSocketReceiveResult>();
        await using var server = await KestrelServer.StartAsync(async webSocket =>
        {
            WebSocketReceiveResult close = await ReceiveCloseAsync(webSocket);
            serverSaw.SetResult(close);
            await webSocket.CloseOutputAsync(NetStatus.NormalClosure, "ok", CancellationToken.None);
        });
        using ClientWebSocket client = await ConnectAsync(server.Uri);
        await client.CloseOutputAsync(NetStatus.EndpointUnavailable, "first", CancellationToken.None);

        WebSocketCloseResult result = await client.CloseGracefullyAsync(Status.NormalClosure, "second", s_patience, CancellationToken.None);

        (await Within(serverSaw.Task)).CloseStatusDescription.Should().Be("first", "one close frame went out, the first");
        result.WasClean.Should().BeTrue();
        result.Initiator.Should().Be(CloseInitiator.Local);
        result.SentStatus.Should().BeNull("System.Net's own method sent it");
    }

    [Fact]
    public async Task Aborted_NoIO_AbnormalClosure()
    {
        using RawPair pair = await ToRawPeerAsync();
        var (client, peer) = pair;
        client.Abort();

        WebSocketCloseResult result = await client.CloseGracefullyAsync(Status.NormalClosure, null, s_patience, CancellationToken.None);

        result.CloseStatus.Should().Be(Status.AbnormalClosure);
        result.Aborted.Should().BeTrue();
        result.WasClean.Should().BeFalse();
        result.Initiator.Should().Be(CloseInitiator.None);
        (await peer.ReadFrameAsync(TimeSpan.FromMilliseconds(300))).Should().BeNull("no close frame was sent");
    }

    [Fact]
    public async Task NeverConnected_NoIO_EndsTheSocket_AbnormalClosure()
    {
        using var client = new ClientWebSocket();

        WebSocketCloseResult result = await client.CloseGracefullyAsync(Status.NormalClosure, null, s_patience, CancellationToken.None);

        result.CloseStatus.Should().Be(Status.AbnormalClosure);
        result.Aborted.Should().BeFalse("there was no connection to abort");
        result.WasClean.Should().BeFalse();
        result.Initiator.Should().Be(CloseInitiator.None);
        client.State.Should().Be(WebSocketState.Closed, "the socket was ended and cannot connect any more");
    }

    [Fact]
    public async Task DisposedWithoutClose_NoIO_AbnormalClosure_NotClean()
    {
        using RawPair pair = await ToRawPeerAsync();
        var (client, peer) = pair;
        client.Dispose();

        WebSocketCloseResult result = await client.CloseGracefullyAsync(Status.NormalClosure, null, s_patience, CancellationToken.None);

        result.CloseStatus.Should().Be(Status.AbnormalClosure);
        result.WasClean.Should().BeFalse();
        result.SentStatus.Should().BeNull();
        result.Initiator.Should().Be(CloseInitiator.None);
    }

    [Fact]
    public async Task WebSocketStream_DataThenTheBoundedClose_ThePeerSeesBoth()
    {
        var serverSaw = new TaskCompletionSource<(string Data, WebSocketReceiveResult Close)>();
        await using var server = await KestrelServer.StartAsync(async webSocket =>
        {
            byte[] buffer = new byte[256];
            var text = new StringBuilder();
            while (true)
            {
                WebSocketReceiveResult r = await webSocket.ReceiveAsync(buffer, CancellationToken.None);
                if (r.MessageType == WebSocketMessageType.Close)
                {
                    serverSaw.SetResult((text.ToString(), r));
                    await webSocket.CloseOutputAsync(NetStatus.NormalClosure, "got it", CancellationToken.None);
                    return;
                }

                text.Append(Encoding.UTF8.GetString(buffer, 0, r.Count));
            }
        });
        ClientWebSocket client = await ConnectAsync(server.Uri);
        WebSocketCloseResult result;
        using (var stream = WebSocketStream.Create(client, WebSocketMessageType.Text, ownsWebSocket: true))
        {
            await stream.WriteAsync(Encoding.UTF8.GetBytes("streamed"));
            result = await stream.WebSocket.CloseGracefullyAsync(Status.EndpointUnavailable, "stream done", s_patience, CancellationToken.None);
        }

        var (data, close) = await Within(serverSaw.Task);
        data.Should().Be("streamed");
        close.CloseStatus.Should().Be(NetStatus.EndpointUnavailable);
        close.CloseStatusDescription.Should().Be("stream done", "not the 1000 without a reason that WebSocketStream sends on its own");
        result.WasClean.Should().BeTrue();
        result.CloseStatusDescription.Should().Be("got it");
        result.SentStatus.Should().Be(Status.EndpointUnavailable);
    }

    // ---- A WebSocketStream app tracked by a WebSocketDrain (issue #41): the app reads and writes through the stream,
    // not through the closer, whose part is the close ----

    // The app: tracks a closer over the accepted socket, echoes through a WebSocketStream until the stream ends (the
    // peer's close), then ends through the closer: it answers the peer's close within its bound, or returns the
    // drain's result if the drain closed. With endThroughCloser false the stream owns the socket and answers instead
    // (WebSocketStream's own dispose: 1000, up to 16 s), so the end goes around the closer.
    private static async Task StreamEchoAsync(WebSocket webSocket, WebSocketDrain drain, bool endThroughCloser, TaskCompletionSource<WebSocketCloser> ended)
    {
        var closer = new WebSocketCloser(webSocket, new WebSocketCloseOptions { Timeout = s_patience });
        drain.Track(closer);
        await using (var stream = WebSocketStream.Create(webSocket, WebSocketMessageType.Text, ownsWebSocket: !endThroughCloser))
        {
            byte[] buffer = new byte[256];
            int read;
            while ((read = await stream.ReadAsync(buffer)) > 0)
            {
                await stream.WriteAsync(buffer.AsMemory(0, read));
            }
        }

        if (endThroughCloser)
        {
            await closer.CloseAsync(Status.NormalClosure, null, CancellationToken.None);
        }

        ended.SetResult(closer);
    }

    [Fact]
    public async Task WebSocketStream_TrackedByADrain_EchoesThenIsDrainedCleanly_AndLeavesTheSet()
    {
        var drain = new WebSocketDrain(new WebSocketDrainOptions { Window = TimeSpan.Zero, StatusDescription = "deploying", KeepResults = true });
        var ended = new TaskCompletionSource<WebSocketCloser>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await KestrelServer.StartAsync(webSocket => StreamEchoAsync(webSocket, drain, endThroughCloser: true, ended));
        using ClientWebSocket client = await ConnectAsync(server.Uri);
        await client.SendAsync(Encoding.UTF8.GetBytes("hello"), WebSocketMessageType.Text, true, CancellationToken.None);
        byte[] buffer = new byte[256];
        WebSocketReceiveResult echo = await Within(client.ReceiveAsync(buffer, CancellationToken.None));
        Encoding.UTF8.GetString(buffer, 0, echo.Count).Should().Be("hello", "the app reads and writes through the stream");
        drain.Count.Should().Be(1);

        // The drain closes while the stream's read is pending: System.Net's CloseAsync, which the closer waits with,
        // shares that receive, and the stream's read returns 0 when the client's answer arrives.
        Task<WebSocketDrainReport> draining = drain.DrainAsync(CancellationToken.None);
        WebSocketReceiveResult close = await Within(client.ReceiveAsync(buffer, CancellationToken.None));
        await client.CloseAsync(close.CloseStatus!.Value, null, CancellationToken.None).WaitAsync(s_patience);
        WebSocketDrainReport report = await Within(draining);
        WebSocketCloser closer = await Within(ended.Task);
        WebSocketCloseResult result = await Within(closer.Completion);

        close.CloseStatus.Should().Be((NetStatus)1012);
        close.CloseStatusDescription.Should().Be("deploying");
        client.State.Should().Be(WebSocketState.Closed);
        report.Clean.Should().Be(1);
        report.Results.Should().ContainSingle().Which.Should().BeSameAs(result);
        result.WasClean.Should().BeTrue();
        result.Initiator.Should().Be(CloseInitiator.Local);
        result.SentStatus.Should().Be(Status.ServiceRestart, "the app's own CloseAsync after the stream ended sent nothing more");
        result.CloseStatus.Should().Be(Status.ServiceRestart, "the client echoed the drain's code");
        closer.WebSocket.State.Should().Be(WebSocketState.Closed);
        drain.Count.Should().Be(0);
    }

    [Fact]
    public async Task WebSocketStream_TrackedByADrain_TheClientClosesFirst_TheAppEndsThroughTheCloser_TheConnectionLeavesTheSet()
    {
        var drain = new WebSocketDrain();
        var ended = new TaskCompletionSource<WebSocketCloser>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await KestrelServer.StartAsync(webSocket => StreamEchoAsync(webSocket, drain, endThroughCloser: true, ended));
        using ClientWebSocket client = await ConnectAsync(server.Uri);
        await WaitUntilAsync(() => drain.Count == 1);

        var clock = Stopwatch.StartNew();
        await client.CloseAsync((NetStatus)4001, "bye", CancellationToken.None).WaitAsync(s_patience);
        TimeSpan elapsed = clock.Elapsed;
        WebSocketCloser closer = await Within(ended.Task);
        WebSocketCloseResult result = await Within(closer.Completion);

        client.State.Should().Be(WebSocketState.Closed);
        client.CloseStatus.Should().Be(NetStatus.NormalClosure, "the closer answered with the app's code");
        elapsed.Should().BeLessThan(TimeSpan.FromSeconds(1), "the server ended TCP at once (§7.1.1)");
        result.WasClean.Should().BeTrue();
        result.Initiator.Should().Be(CloseInitiator.Remote);
        result.CloseStatus.Should().Be((Status)4001);
        drain.Count.Should().Be(0, "the connection ended through its closer, which untracked it");
    }

    [Fact]
    public async Task WebSocketStream_TrackedByADrain_AnEndAroundTheCloser_IsDroppedByTheDrain_WithoutIO()
    {
        // The stream that owns the socket answers the client's close and disposes the socket itself: nothing goes
        // through the closer, which learns of an end only through its own calls (System.Net's WebSocket has no event
        // for it), so its Completion does not complete. The drain looks at the socket's state instead: when the set
        // doubles, and when it starts.
        var drain = new WebSocketDrain(new WebSocketDrainOptions { Window = TimeSpan.Zero, KeepResults = true });
        var ended = new TaskCompletionSource<WebSocketCloser>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await KestrelServer.StartAsync(webSocket => StreamEchoAsync(webSocket, drain, endThroughCloser: false, ended));
        using ClientWebSocket client = await ConnectAsync(server.Uri);
        await WaitUntilAsync(() => drain.Count == 1);

        await client.CloseAsync(NetStatus.NormalClosure, "bye", CancellationToken.None).WaitAsync(s_patience);
        WebSocketCloser closer = await Within(ended.Task);

        client.State.Should().Be(WebSocketState.Closed);
        closer.WebSocket.State.Should().Be(WebSocketState.Closed);
        closer.Completion.IsCompleted.Should().BeFalse("the end went around the closer");
        WebSocketDrainReport report = await Within(drain.DrainAsync(CancellationToken.None));
        report.Total.Should().Be(0, "the drain drops a connection whose socket has ended, and sends nothing");
        drain.Count.Should().Be(0);
    }

    private static async Task WaitUntilAsync(Func<bool> condition, TimeSpan? limit = null)
    {
        var clock = Stopwatch.StartNew();
        while (!condition() && clock.Elapsed < (limit ?? s_patience))
        {
            await Task.Delay(10);
        }
    }

    [Fact]
    public async Task ToString_SaysTheCodeTheReasonAndHowItEnded()
    {
        using RawPair pair = await ToRawPeerAsync();
        var (client, peer) = pair;
        Task<WebSocketCloseResult> closing = client.CloseGracefullyAsync(Status.NormalClosure, "bye", s_patience, CancellationToken.None);
        await peer.ReadCloseAsync(s_patience);
        await peer.SendCloseAsync(1001, "going");
        peer.DropConnection();

        (await Within(closing)).ToString().Should().Be("1001 Going Away \"going\", clean, started by Local, sent 1000");

        using var never = new ClientWebSocket();
        (await never.CloseGracefullyAsync(Status.NormalClosure, null, s_patience, default)).ToString()
            .Should().Be("1006 Abnormal Closure, not clean, started by None");
    }

    [Fact]
    public async Task ToString_TimedOut()
    {
        using RawPair pair = await ToRawPeerAsync();
        var (client, peer) = pair;

        (await client.CloseGracefullyAsync(Status.NormalClosure, null, s_shortTimeout, CancellationToken.None)).ToString()
            .Should().Be("1006 Abnormal Closure, not clean, timed out, aborted, started by Local, sent 1000");
    }

    // ---- WebSocketCloser beside a receive loop, against Kestrel and ClientWebSocket (issue #38) ----

    // A receive loop through the closer: receives until the Close message, then returns how the connection ended.
    private static async Task<WebSocketCloseResult> LoopAsync(WebSocketCloser closer, CancellationToken cancellationToken)
    {
        byte[] buffer = new byte[1024];
        while ((await closer.ReceiveAsync(buffer, cancellationToken)).MessageType != WebSocketMessageType.Close)
        {
        }

        return await closer.Completion;
    }

    [Fact]
    public async Task Kestrel_LoopRuns_ServerCloses_WithRequestAborted_ClientLoopReportsTheCode_Clean_WellUnderASecond()
    {
        // §7.1.1: the server ends TCP once the handshake is done, so the client's System.Net does not wait its 1 s for it.
        var serverSide = new TaskCompletionSource<(WebSocketCloseResult Close, WebSocketCloseResult Loop, TimeSpan Elapsed)>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await KestrelServer.StartAsync(async (webSocket, context) =>
        {
            var closer = new WebSocketCloser(webSocket, new WebSocketCloseOptions { Timeout = s_patience });
            Task<WebSocketCloseResult> loop = LoopAsync(closer, context.RequestAborted);
            await Task.Delay(50);
            var clock = Stopwatch.StartNew();
            WebSocketCloseResult close = await closer.CloseAsync(Status.ServiceRestart, "restart", context.RequestAborted);
            serverSide.SetResult((close, await loop, clock.Elapsed));
        });
        using ClientWebSocket client = await ConnectAsync(server.Uri);
        var clientCloser = new WebSocketCloser(client, new WebSocketCloseOptions { Timeout = s_patience });

        var clientClock = Stopwatch.StartNew();
        WebSocketCloseResult seen = await Within(LoopAsync(clientCloser, CancellationToken.None));
        TimeSpan clientElapsed = clientClock.Elapsed;
        var (result, loopResult, elapsed) = await Within(serverSide.Task);

        result.Should().BeSameAs(loopResult);
        result.WasClean.Should().BeTrue();
        result.Exception.Should().BeNull("RequestAborted, cancelled when the connection ended, is not the caller cancelling");
        result.Initiator.Should().Be(CloseInitiator.Local);
        result.SentStatus.Should().Be(Status.ServiceRestart);
        result.CloseStatus.Should().Be(Status.ServiceRestart, "the client echoed the server's code (§5.5.1)");
        elapsed.Should().BeLessThan(TimeSpan.FromSeconds(1));
        seen.CloseStatus.Should().Be(Status.ServiceRestart);
        seen.CloseStatusDescription.Should().Be("restart");
        seen.WasClean.Should().BeTrue();
        seen.Initiator.Should().Be(CloseInitiator.Remote);
        seen.SentStatus.Should().Be(Status.ServiceRestart);
        clientElapsed.Should().BeLessThan(TimeSpan.FromSeconds(1), "the server ended TCP, so the client did not wait its 1 s for it");
    }

    [Fact]
    public async Task Kestrel_LoopRuns_ClientClosesFirst_TheServerLoopEchoes_BothClean_Fast()
    {
        var serverSide = new TaskCompletionSource<WebSocketCloseResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await KestrelServer.StartAsync(async (webSocket, context) =>
        {
            var closer = new WebSocketCloser(webSocket, new WebSocketCloseOptions { Timeout = s_patience });
            serverSide.SetResult(await LoopAsync(closer, context.RequestAborted));
        });
        using ClientWebSocket client = await ConnectAsync(server.Uri);

        var clock = Stopwatch.StartNew();
        await client.CloseAsync((NetStatus)4001, "client done", CancellationToken.None).WaitAsync(s_patience);
        TimeSpan elapsed = clock.Elapsed;
        WebSocketCloseResult result = await Within(serverSide.Task);

        client.CloseStatus.Should().Be((NetStatus)4001, "the server echoed the client's code");
        result.Initiator.Should().Be(CloseInitiator.Remote);
        result.SentStatus.Should().Be((Status)4001);
        result.CloseStatus.Should().Be((Status)4001);
        result.CloseStatusDescription.Should().Be("client done");
        result.WasClean.Should().BeTrue();
        result.Exception.Should().BeNull();
        elapsed.Should().BeLessThan(TimeSpan.FromSeconds(1), "the server ended TCP at once (§7.1.1): had it not, the client would have waited 1 s for it");
    }

    [Fact]
    public async Task Kestrel_LoopRuns_ClientStopsReading_DeadlineAborts_TimedOut_NotACancellation()
    {
        var serverSide = new TaskCompletionSource<(WebSocketCloseResult Close, WebSocketCloseResult Loop, TimeSpan Elapsed)>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await KestrelServer.StartAsync(async (webSocket, context) =>
        {
            var closer = new WebSocketCloser(webSocket, new WebSocketCloseOptions { Timeout = s_shortTimeout });
            Task<WebSocketCloseResult> loop = LoopAsync(closer, context.RequestAborted);
            var clock = Stopwatch.StartNew();
            WebSocketCloseResult close = await closer.CloseAsync(Status.TryAgainLater, "busy", context.RequestAborted);
            serverSide.SetResult((close, await loop, clock.Elapsed));
        });
        using RawPeer peer = await RawPeer.ConnectAsync(server.Uri, CancellationToken.None); // reads nothing, answers nothing

        var (result, loopResult, elapsed) = await Within(serverSide.Task);

        result.Should().BeSameAs(loopResult);
        result.TimedOut.Should().BeTrue();
        result.Aborted.Should().BeTrue();
        result.WasClean.Should().BeFalse();
        result.CloseStatus.Should().Be(Status.AbnormalClosure);
        result.Exception.Should().BeNull("the deadline's abort cancels RequestAborted, which is not the caller cancelling");
        result.SentStatus.Should().Be(Status.TryAgainLater);
        elapsed.Should().BeGreaterThanOrEqualTo(s_shortTimeout - TimeSpan.FromMilliseconds(20)).And.BeLessThan(s_timeoutBound);
        (await peer.SeesConnectionEndAsync(s_patience)).Should().BeTrue("an aborted server drops TCP");
    }

    [Fact]
    public async Task ClientSideCloser_LoopRuns_AgainstKestrel_LocalStarted_Clean_Disposed()
    {
        await using KestrelServer server = await StartReplyingServerAsync();
        using ClientWebSocket client = await ConnectAsync(server.Uri);
        var closer = new WebSocketCloser(client, new WebSocketCloseOptions { Timeout = s_patience });
        Task<WebSocketCloseResult> loop = LoopAsync(closer, CancellationToken.None);

        WebSocketCloseResult result = await Within(closer.CloseAsync(Status.EndpointUnavailable, "client leaving", CancellationToken.None));

        (await Within(loop)).Should().BeSameAs(result);
        result.WasClean.Should().BeTrue();
        result.Initiator.Should().Be(CloseInitiator.Local);
        result.SentStatus.Should().Be(Status.EndpointUnavailable);
        result.CloseStatusDescription.Should().Be("ok");
        client.State.Should().Be(WebSocketState.Closed);
    }

    [Fact]
    public async Task SimultaneousClose_LoopRuns_Repeated_OneFrameSent_SentStatusAndInitiatorAgreeWithThePeer()
    {
        // §7.1.3 / issue #38: under a concurrent loop, SentStatus is the frame the peer got and Initiator never contradicts it.
        for (int i = 0; i < 15; i++)
        {
            using RawPair pair = await ToRawPeerAsync();
            var (client, peer) = pair;
            var closer = new WebSocketCloser(client, new WebSocketCloseOptions { Timeout = s_patience });
            Task<WebSocketCloseResult> loop = LoopAsync(closer, CancellationToken.None);

            Task peerCloses = peer.SendCloseAsync(1001, "server going away");
            Task<WebSocketCloseResult> closing = Task.Run(() => closer.CloseAsync(Status.NormalClosure, "client done", CancellationToken.None));
            await peerCloses;
            RawPeer.Frame? ours = await peer.ReadCloseAsync(s_patience);
            peer.DropConnection();
            WebSocketCloseResult result = await Within(closing);

            (await Within(loop)).Should().BeSameAs(result);
            result.WasClean.Should().BeTrue();
            result.CloseStatus.Should().Be(Status.EndpointUnavailable);
            ((int?)result.SentStatus).Should().Be(ours!.CloseCode, "SentStatus is the frame that went out");
            if (result.Initiator == CloseInitiator.Local)
            {
                result.SentStatus.Should().Be(Status.NormalClosure, "only our own close can have gone first");
            }

            if (result.SentStatus == Status.EndpointUnavailable)
            {
                result.Initiator.Should().Be(CloseInitiator.Remote, "an echo answers the peer's close");
            }

            peer.Received.Count(f => f.Opcode == 0x8).Should().Be(1, "one close frame per connection");
        }
    }
}
