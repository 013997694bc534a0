namespace WebSockets.CloseStatus.Analyzers.Tests;

/// <summary>The file every test's code goes into: a method with a System.Net socket, a buffer, a handshake and a token.</summary>
public static class Sources
{
    public const string Usings = """
        using System;
        using System.Buffers;
        using System.Net.WebSockets;
        using System.Threading;
        using System.Threading.Tasks;
        using WebSockets.CloseStatus;
        using CloseStatus = WebSockets.CloseStatus.WebSocketCloseStatus;
        using NetStatus = System.Net.WebSockets.WebSocketCloseStatus;

        """;

    /// <summary><paramref name="body"/> inside an async method of class <paramref name="type"/> with <c>ws</c>, <c>client</c>, <c>buffer</c>, <c>writer</c>, <c>handshake</c>, <c>reason</c>, <c>status</c> and <c>ct</c>.</summary>
    public static string InMethod(string body, string members = "", string type = "C") => Usings + $$"""
        class {{type}}
        {
        """ + members + """

            async Task M(WebSocket ws, ClientWebSocket client, byte[] buffer, IBufferWriter<byte> writer, CloseHandshake handshake, WebSocketCloser closer, string reason, CloseStatus status, NetStatus netStatus, CancellationToken ct)
            {
        """ + body + """

            }
        }
        """;
}
