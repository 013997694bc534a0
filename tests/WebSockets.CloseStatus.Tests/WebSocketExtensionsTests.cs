using System;
using System.Net.WebSockets;
using System.Threading;
using System.Threading.Tasks;
using FluentAssertions;
using WebSockets.CloseStatus.Tests.TestData;
using Xunit;

namespace WebSockets.CloseStatus.Tests;

/// <summary>The System.Net bridge against .NET's own WebSocket over real TCP connections.</summary>
public class WebSocketExtensionsTests
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(10);

    [Theory]
    [InlineData(1000, "bye")]
    [InlineData(1012, "restarting")]
    [InlineData(1013, "")]
    [InlineData(1014, "upstream")]
    [InlineData(4999, "app")]
    public async Task CloseAsync_SendsTheStatusByNumber_IncludingCodesSystemNetDoesNotName(int code, string reason)
    {
        using SocketPair pair = await SocketPair.ConnectAsync();
        var status = (WebSocketCloseStatus)code;

        Task<WebSocketReceiveResult> received = pair.Client.ReceiveAsync(new byte[256], CancellationToken.None);
        Task closing = pair.Server.CloseAsync(status, reason, CancellationToken.None);
        WebSocketReceiveResult result = await received.WaitAsync(s_timeout);
        await pair.Client.CloseOutputAsync(status, null, CancellationToken.None);
        await closing.WaitAsync(s_timeout);

        ((int?)result.CloseStatus).Should().Be(code);
        result.CloseStatusDescription.Should().Be(reason);
        pair.Server.GetCloseStatus().Should().Be(status, "the server received the client's echo of the code (RFC 6455 §7.1.5)");
        pair.Client.GetCloseStatus().Should().Be(status);
    }

    [Theory]
    [InlineData(CloseReasonTruncation.Truncate)]
    [InlineData(CloseReasonTruncation.TruncateWithEllipsis)]
    public async Task CloseOutputAsync_CutsALongReason_AsTruncateReasonDoes(CloseReasonTruncation truncation)
    {
        using SocketPair pair = await SocketPair.ConnectAsync();
        string reason = string.Concat(System.Linq.Enumerable.Repeat("Привет, мир 😀 ", 20));

        Task<WebSocketReceiveResult> received = pair.Client.ReceiveAsync(new byte[256], CancellationToken.None);
        await pair.Server.CloseOutputAsync(WebSocketCloseStatus.InternalServerError, reason, truncation, CancellationToken.None);
        WebSocketReceiveResult result = await received.WaitAsync(s_timeout);

        result.CloseStatusDescription.Should().Be(ClosePayload.TruncateReason(reason, truncation));
        System.Text.Encoding.UTF8.GetByteCount(result.CloseStatusDescription!).Should().BeLessThanOrEqualTo(ClosePayload.MaxReasonLength);
    }

    [Theory]
    [InlineData(1004)]
    [InlineData(1006)]
    [InlineData(1015)]
    [InlineData(999)]
    [InlineData(2000)]
    [InlineData(5000)]
    public async Task CloseAsync_RefusesCodesThatMustNotBeSent_BeforeSendingAnything(int code)
    {
        using SocketPair pair = await SocketPair.ConnectAsync();

        Func<Task> close = () => pair.Server.CloseAsync((WebSocketCloseStatus)code, "x", CancellationToken.None);
        Func<Task> closeOutput = () => pair.Server.CloseOutputAsync((WebSocketCloseStatus)code, "x", CloseReasonTruncation.Truncate, CancellationToken.None);

        (await close.Should().ThrowAsync<ArgumentOutOfRangeException>()).Which.Message.Should().Contain(code.ToString(System.Globalization.CultureInfo.InvariantCulture));
        (await closeOutput.Should().ThrowAsync<ArgumentOutOfRangeException>()).Which.ParamName.Should().Be("closeStatus");
        pair.Server.State.Should().Be(WebSocketState.Open, "nothing was sent");
    }

    [Fact]
    public async Task CloseAsync_RefusesEmpty_WhichSystemNetWouldSendAs1005()
    {
        using SocketPair pair = await SocketPair.ConnectAsync();

        Func<Task> close = () => pair.Server.CloseAsync(WebSocketCloseStatus.Empty, null, CancellationToken.None);

        (await close.Should().ThrowAsync<ArgumentOutOfRangeException>()).Which.Message.Should().Contain("1005").And.Contain("1000");
        pair.Server.State.Should().Be(WebSocketState.Open);
    }

    [Fact]
    public async Task CloseAsync_ReasonMistakes_Throw_NamingTheParameter()
    {
        using SocketPair pair = await SocketPair.ConnectAsync();

        Func<Task> tooLong = () => pair.Server.CloseAsync(WebSocketCloseStatus.NormalClosure, new string('a', 124), CancellationToken.None);
        Func<Task> lone = () => pair.Server.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "a\uD800", CancellationToken.None);
        Func<Task> badMode = () => pair.Server.CloseAsync(WebSocketCloseStatus.NormalClosure, "a", (CloseReasonTruncation)9, CancellationToken.None);

        (await tooLong.Should().ThrowAsync<ArgumentException>()).Which.Message.Should().Contain("124 bytes");
        (await lone.Should().ThrowAsync<ArgumentException>()).Which.ParamName.Should().Be("statusDescription");
        (await badMode.Should().ThrowAsync<ArgumentOutOfRangeException>()).Which.ParamName.Should().Be("truncation");
        pair.Server.State.Should().Be(WebSocketState.Open);
    }

    [Fact]
    public async Task NullSocket_Throws()
    {
        WebSocket? none = null;
        Func<Task> close = () => none!.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
        Func<Task> closeOutput = () => none!.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
        Action status = () => none!.GetCloseStatus();

        (await close.Should().ThrowAsync<ArgumentNullException>()).Which.ParamName.Should().Be("webSocket");
        (await closeOutput.Should().ThrowAsync<ArgumentNullException>()).Which.ParamName.Should().Be("webSocket");
        status.Should().Throw<ArgumentNullException>().Which.ParamName.Should().Be("webSocket");
    }

    [Fact]
    public async Task GetCloseStatus_IsNull_WhileNoCloseFrameArrived_EvenAfterWeSentOurs()
    {
        using SocketPair pair = await SocketPair.ConnectAsync();
        pair.Server.GetCloseStatus().Should().BeNull();

        Task<WebSocketReceiveResult> received = pair.Client.ReceiveAsync(new byte[256], CancellationToken.None);
        await pair.Server.CloseOutputAsync(WebSocketCloseStatus.TryAgainLater, "busy", CancellationToken.None);
        await received.WaitAsync(s_timeout);

        pair.Server.State.Should().Be(WebSocketState.CloseSent);
        pair.Server.GetCloseStatus().Should().BeNull("RFC 6455 §7.1.5: the close code is the one received, and none was");
        pair.Client.GetCloseStatus().Should().Be(WebSocketCloseStatus.TryAgainLater);
    }

    [Fact]
    public async Task GetCloseStatus_IsAbnormalClosure_WhenTheConnectionDropsWithoutACloseFrame()
    {
        using SocketPair pair = await SocketPair.ConnectAsync();

        Task<WebSocketReceiveResult> received = pair.Server.ReceiveAsync(new byte[256], CancellationToken.None);
        pair.DropClientConnection();
        Func<Task> receive = () => received.WaitAsync(s_timeout);
        await receive.Should().ThrowAsync<WebSocketException>();

        pair.Server.State.Should().BeOneOf(WebSocketState.Aborted, WebSocketState.Closed);
        pair.Server.GetCloseStatus().Should().Be(WebSocketCloseStatus.AbnormalClosure, "RFC 6455 §7.1.5: closed with no close frame received is 1006");
    }

    [Fact]
    public async Task GetCloseStatus_IsAbnormalClosure_AfterAbort()
    {
        using SocketPair pair = await SocketPair.ConnectAsync();

        pair.Client.Abort();

        pair.Client.State.Should().Be(WebSocketState.Aborted);
        pair.Client.GetCloseStatus().Should().Be(WebSocketCloseStatus.AbnormalClosure);
    }

    [Fact]
    public async Task GetCloseStatus_KnownLimit_SystemNetReportsAnEmptyCloseAs1000()
    {
        using SocketPair pair = await SocketPair.ConnectAsync();

        // A raw empty close frame from the "client" side would need our own framing; .NET's client cannot send one
        // (it writes 1005 for Empty). So feed the server an empty masked close through the frame writer instead.
        byte[] frame = new byte[CloseFrame.MaxLength];
        CloseFrame.TryWrite(frame, WebSocketRole.Client, WebSocketCloseStatus.Empty, "", out int length).Should().BeTrue();
        SystemNetPeer.Received received = await SystemNetPeer.ReceiveAsync(frame[..length], isServer: true);

        received.Accepted.Should().BeTrue();
        received.Status.Should().Be(1000, "System.Net hides 1005: GetCloseStatus documents this");
    }

    [Fact]
    public void ToCloseStatus_Nullable_KeepsNullAndNumbers()
    {
        System.Net.WebSockets.WebSocketCloseStatus? none = null;
        System.Net.WebSockets.WebSocketCloseStatus? some = (System.Net.WebSockets.WebSocketCloseStatus)1013;
        System.Net.WebSockets.WebSocketCloseStatus? tooBig = (System.Net.WebSockets.WebSocketCloseStatus)70000;

        none.ToCloseStatus().Should().BeNull();
        some.ToCloseStatus().Should().Be(WebSocketCloseStatus.TryAgainLater);
        Action convert = () => tooBig.ToCloseStatus();
        convert.Should().Throw<ArgumentOutOfRangeException>().Which.Message.Should().Contain("70000");
    }
}
