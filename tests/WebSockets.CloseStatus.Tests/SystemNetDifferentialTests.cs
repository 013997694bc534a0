using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using FluentAssertions;
using WebSockets.CloseStatus.Tests.TestData;
using Xunit;

namespace WebSockets.CloseStatus.Tests;

/// <summary>
/// ClosePayload.Read against .NET's own close-frame parser (ManagedWebSocket). They agree on every status code;
/// the documented differences are an empty payload (1000 there, 1005 here, RFC 6455 §7.1.5) and the answer to
/// bad UTF-8 (1002 there, 1007 here, RFC 6455 §8.1).
/// </summary>
public class SystemNetDifferentialTests
{
    [Fact]
    public async Task EveryStatusCode_AcceptedAndRejectedAlike()
    {
        foreach (int code in Codes())
        {
            byte[] payload = Hex.Payload(code, "r"u8.ToArray());
            SystemNetPeer.Received theirs = await SystemNetPeer.ReceiveAsync(SystemNetPeer.MaskedCloseFrame(payload), isServer: true);

            CloseFrameError ours = ClosePayload.ReadUtf8(payload, out WebSocketCloseStatus status, out _);

            (ours == CloseFrameError.None).Should().Be(theirs.Accepted, "code {0}", code);
            if (theirs.Accepted)
            {
                theirs.Status.Should().Be((int)status);
                theirs.Description.Should().Be("r");
            }
        }
    }

    // Every code, except in a mutation run (CLOSESTATUS_FUZZ_CASES under a million), which runs this test once per mutant
    // of the reader: there every code up to 5000, where each range of RFC 6455 §7.4 and the IANA registry begins and
    // ends, and every 97th above.
    private static IEnumerable<int> Codes() =>
        TestScale.IsMutationRun
            ? Enumerable.Range(0, ushort.MaxValue + 1).Where(code => code <= 5000 || code % 97 == 0 || code == ushort.MaxValue)
            : Enumerable.Range(0, ushort.MaxValue + 1);

    [Theory]
    [InlineData("")]
    [InlineData("bye")]
    [InlineData("Grüße, 世界 😀")]
    public async Task ValidReasons_ReadTheSame(string reason)
    {
        byte[] payload = Hex.Payload(1001, Encoding.UTF8.GetBytes(reason));
        SystemNetPeer.Received theirs = await SystemNetPeer.ReceiveAsync(SystemNetPeer.MaskedCloseFrame(payload), isServer: true);

        ClosePayload.Read(payload, out WebSocketCloseStatus status, out string ours).Should().Be(CloseFrameError.None);

        theirs.Accepted.Should().BeTrue();
        theirs.Status.Should().Be((int)status);
        (theirs.Description ?? "").Should().Be(ours);
    }

    [Fact]
    public async Task KnownDifference_EmptyPayload_Is1000There_1005Here()
    {
        SystemNetPeer.Received theirs = await SystemNetPeer.ReceiveAsync(SystemNetPeer.MaskedCloseFrame([]), isServer: true);

        ClosePayload.ReadUtf8([], out WebSocketCloseStatus ours, out _).Should().Be(CloseFrameError.None);

        theirs.Status.Should().Be(1000);
        ours.Should().Be(WebSocketCloseStatus.Empty);
    }

    [Theory]
    [MemberData(nameof(Utf8Cases.Invalid), MemberType = typeof(Utf8Cases))]
    public async Task KnownDifference_BadUtf8_BothReject_TheyAnswer1002_WeAnswer1007(string hex, string why)
    {
        byte[] payload = Hex.Payload(1000, Hex.Parse(hex));
        SystemNetPeer.Received theirs = await SystemNetPeer.ReceiveAsync(SystemNetPeer.MaskedCloseFrame(payload), isServer: true);

        CloseFrameError ours = ClosePayload.ReadUtf8(payload, out _, out _);

        theirs.Accepted.Should().BeFalse(why);
        ours.Should().Be(CloseFrameError.InvalidUtf8);
        ours.ToCloseStatus().Should().Be(WebSocketCloseStatus.InvalidPayloadData);
        AnswerCode(theirs.SentBack).Should().Be(1002);
    }

    [Fact]
    public async Task InvalidStatus_BothAnswer1002()
    {
        byte[] payload = Hex.Payload(1006, []);
        SystemNetPeer.Received theirs = await SystemNetPeer.ReceiveAsync(SystemNetPeer.MaskedCloseFrame(payload), isServer: true);

        ClosePayload.ReadUtf8(payload, out _, out _).ToCloseStatus().Should().Be(WebSocketCloseStatus.ProtocolError);
        AnswerCode(theirs.SentBack).Should().Be(1002);
    }

    [Fact]
    public async Task OneBytePayload_BothReject()
    {
        SystemNetPeer.Received theirs = await SystemNetPeer.ReceiveAsync(SystemNetPeer.MaskedCloseFrame([0x03]), isServer: true);

        theirs.Accepted.Should().BeFalse();
        ClosePayload.ReadUtf8([0x03], out _, out _).Should().Be(CloseFrameError.TooShort);
    }

    // The code of the unmasked close frame a .NET server wrote back.
    private static int AnswerCode(byte[] sentBack)
    {
        sentBack.Length.Should().BeGreaterThanOrEqualTo(4);
        sentBack[0].Should().Be(0x88);
        return (sentBack[2] << 8) | sentBack[3];
    }
}
