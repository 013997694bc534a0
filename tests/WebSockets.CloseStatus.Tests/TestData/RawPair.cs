using System;
using System.Net.WebSockets;

namespace WebSockets.CloseStatus.Tests.TestData;

/// <summary>A <see cref="ClientWebSocket"/> and the <see cref="RawPeer"/> it is connected to; disposing ends both.</summary>
public sealed class RawPair(ClientWebSocket client, RawPeer peer) : IDisposable
{
    public ClientWebSocket Client => client;

    public RawPeer Peer => peer;

    public void Deconstruct(out ClientWebSocket c, out RawPeer p)
    {
        c = client;
        p = peer;
    }

    public void Dispose()
    {
        client.Dispose();
        peer.Dispose();
    }
}
