using System;
using System.Buffers;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using FluentAssertions;
using WebSockets.CloseStatus.Tests.TestData;
using Xunit;
using SystemNetCloseStatus = System.Net.WebSockets.WebSocketCloseStatus;

namespace WebSockets.CloseStatus.Tests;

/// <summary>CloseFrame against .NET's own WebSocket (WebSocket.CreateFromStream), in both directions and both roles.</summary>
public class CloseFrameInteropTests
{
    private static readonly int[] s_codes = [1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014, 3000, 3456, 3999, 4000, 4321, 4999];

    private static readonly string[] s_reasons =
    [
        "",
        "bye",
        "Grüße, 世界 😀",
        new string('a', 123),
        new string('a', 119) + "😀",
        string.Concat(Enumerable.Repeat("é€", 24)) + "a",
    ];

    public static IEnumerable<object[]> Cases() =>
        from code in s_codes from reason in s_reasons select new object[] { code, reason };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task OurClientFrame_IsReadByDotNetServer(int code, string reason)
    {
        byte[] frame = new byte[CloseFrame.MaxLength];
        CloseFrame.TryWrite(frame, WebSocketRole.Client, (WebSocketCloseStatus)code, reason, out int length).Should().BeTrue();

        SystemNetPeer.Received theirs = await SystemNetPeer.ReceiveAsync(frame[..length], isServer: true);

        theirs.Accepted.Should().BeTrue();
        theirs.Status.Should().Be(code);
        (theirs.Description ?? "").Should().Be(reason);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task OurServerFrame_IsReadByDotNetClient(int code, string reason)
    {
        byte[] frame = new byte[CloseFrame.MaxLength];
        CloseFrame.TryWrite(frame, WebSocketRole.Server, (WebSocketCloseStatus)code, reason, out int length).Should().BeTrue();

        SystemNetPeer.Received theirs = await SystemNetPeer.ReceiveAsync(frame[..length], isServer: false);

        theirs.Accepted.Should().BeTrue();
        theirs.Status.Should().Be(code);
        (theirs.Description ?? "").Should().Be(reason);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task DotNetFrames_AreReadByCloseFrame_InBothRoles(int code, string reason)
    {
        foreach (bool dotNetIsServer in new[] { true, false })
        {
            byte[] frame = await SystemNetPeer.SendCloseAsync((SystemNetCloseStatus)code, reason, dotNetIsServer);
            WebSocketRole us = dotNetIsServer ? WebSocketRole.Client : WebSocketRole.Server;

            byte[] destination = new byte[ClosePayload.MaxLength];
            CloseFrame.Read(frame, us, destination, out CloseFrameReadResult result).Should().Be(OperationStatus.Done);

            ((int)result.Status).Should().Be(code);
            Encoding.UTF8.GetString(result.ReasonIn(destination)).Should().Be(reason);
            result.BytesConsumed.Should().Be(frame.Length);
        }
    }

    [Fact]
    public async Task KnownDifference_DotNetEmptyClose_Puts1005OnTheWire_WhichWeRejectAndNeverWrite()
    {
        // RFC 6455 §7.4.1: 1005 "MUST NOT be set as a status code in a Close control frame". .NET's
        // CloseOutputAsync(Empty) sends it anyway; CloseFrame answers it with 1002 and writes Empty as an empty payload.
        byte[] frame = await SystemNetPeer.SendCloseAsync(SystemNetCloseStatus.Empty, null, isServer: true);

        frame.Should().Equal(0x88, 0x02, 0x03, 0xED);
        CloseFrame.Read(frame, WebSocketRole.Client, default, out CloseFrameReadResult result).Should().Be(OperationStatus.InvalidData);
        result.Error.Should().Be(CloseFrameError.InvalidStatus);

        byte[] ours = new byte[CloseFrame.MaxLength];
        CloseFrame.TryWrite(ours, WebSocketRole.Server, WebSocketCloseStatus.Empty, "", out int length).Should().BeTrue();
        ours[..length].Should().Equal(0x88, 0x00);
        SystemNetPeer.Received theirs = await SystemNetPeer.ReceiveAsync(ours[..length], isServer: false);
        theirs.Accepted.Should().BeTrue();
    }

    [Theory]
    [InlineData(1004)]
    [InlineData(1016)]
    [InlineData(2999)]
    [InlineData(5000)]
    public async Task DotNetSendsCodesItsOwnReaderRejects_WeRejectThemToo(int code)
    {
        // .NET's CloseOutputAsync only refuses 0–999, 1006 and 1015; the RFC forbids these too (§7.4).
        byte[] frame = await SystemNetPeer.SendCloseAsync((SystemNetCloseStatus)code, null, isServer: true);

        CloseFrame.Read(frame, WebSocketRole.Client, default, out CloseFrameReadResult result).Should().Be(OperationStatus.InvalidData);
        result.Error.Should().Be(CloseFrameError.InvalidStatus);

        Action ours = () => CloseFrame.TryWrite(new byte[CloseFrame.MaxLength], WebSocketRole.Server, (WebSocketCloseStatus)code, "", out _);
        ours.Should().Throw<ArgumentOutOfRangeException>();
    }
}
