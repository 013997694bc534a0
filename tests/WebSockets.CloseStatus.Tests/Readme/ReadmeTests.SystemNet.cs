using System;
using System.Collections.Generic;
using System.Net.WebSockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using FluentAssertions;
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
    public async Task SystemNetReceiveLoop_PeerClosesFirst_RepliesWithItsCode()
    {
        using RawPair pair = await ToRawPeerAsync();
        var messages = new List<string>();
        Task<WebSocketCloseResult> loop = SystemNetSamples.ReceiveLoopAsync(pair.Client, m => messages.Add(Encoding.UTF8.GetString(m)), CancellationToken.None);

        await pair.Peer.SendTextAsync("hello");
        await pair.Peer.SendCloseAsync(4000, "bye");
        RawPeer.Frame? reply = await pair.Peer.ReadCloseAsync(Patience);
        pair.Peer.DropConnection();
        WebSocketCloseResult result = await Within(loop);

        messages.Should().Equal("hello");
        reply!.CloseCode.Should().Be(4000);
        result.CloseStatus.Should().Be((WebSocketCloseStatus)4000);
        result.WasClean.Should().BeTrue();
        result.Initiator.Should().Be(CloseInitiator.Remote);
    }

    [Fact]
    public async Task SystemNetReceiveLoop_PeerDropsTcp_AbnormalClosure()
    {
        using RawPair pair = await ToRawPeerAsync();
        Task<WebSocketCloseResult> loop = SystemNetSamples.ReceiveLoopAsync(pair.Client, _ => { }, CancellationToken.None);

        pair.Peer.DropConnection();
        WebSocketCloseResult result = await Within(loop);

        result.CloseStatus.Should().Be(WebSocketCloseStatus.AbnormalClosure);
        result.WasClean.Should().BeFalse();
        result.Exception.Should().BeOfType<WebSocketException>();
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
