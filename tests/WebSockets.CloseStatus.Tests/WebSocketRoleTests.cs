using System;
using System.Buffers;
using System.Collections.Generic;
using System.Linq;
using FluentAssertions;
using Xunit;

namespace WebSockets.CloseStatus.Tests;

/// <summary>
/// The role decides masking (RFC 6455 §5.1, §5.3): a client masks what it sends, a server does not. It has no default: a
/// role left at 0 would read a client's frames as a server's or the other way round, so every API that takes one refuses it.
/// </summary>
public class WebSocketRoleTests
{
    private static readonly Dictionary<string, Action<WebSocketRole>> s_apis = new()
    {
        ["CloseFrame.TryWrite(string)"] = role => CloseFrame.TryWrite(new byte[CloseFrame.MaxLength], role, WebSocketCloseStatus.NormalClosure, "bye", out _),
        ["CloseFrame.TryWrite(chars)"] = role => CloseFrame.TryWrite(new byte[CloseFrame.MaxLength], role, WebSocketCloseStatus.NormalClosure, "bye".AsSpan(), out _, CloseReasonTruncation.Truncate),
        ["CloseFrame.TryWriteUtf8"] = role => CloseFrame.TryWriteUtf8(new byte[CloseFrame.MaxLength], role, WebSocketCloseStatus.NormalClosure, "bye"u8, out _),
        ["CloseFrame.TryWrite into nothing"] = role => CloseFrame.TryWrite([], role, WebSocketCloseStatus.NormalClosure, "", out _),
        ["CloseFrame.Write(string)"] = role => CloseFrame.Write(new ArrayBufferWriter<byte>(), role, WebSocketCloseStatus.NormalClosure, "bye"),
        ["CloseFrame.Write(chars)"] = role => CloseFrame.Write(new ArrayBufferWriter<byte>(), role, WebSocketCloseStatus.NormalClosure, "bye".AsSpan()),
        ["CloseFrame.WriteUtf8"] = role => CloseFrame.WriteUtf8(new ArrayBufferWriter<byte>(), role, WebSocketCloseStatus.NormalClosure, "bye"u8),
        ["CloseFrame.Read(span)"] = role => CloseFrame.Read([0x88, 0x00], role, new byte[ClosePayload.MaxReasonLength], out _),
        ["CloseFrame.Read(empty span)"] = role => CloseFrame.Read([], role, default, out _, ClosePayloadReadMode.Lenient),
        ["CloseFrame.Read(sequence)"] = role => CloseFrame.Read(new ReadOnlySequence<byte>([0x88, 0x00]), role, new byte[ClosePayload.MaxReasonLength], out _),
        ["CloseFrame.Read(empty sequence)"] = role => CloseFrame.Read(ReadOnlySequence<byte>.Empty, role, default, out _),
        ["CloseFrame.ReadInPlace"] = role => CloseFrame.ReadInPlace(new byte[] { 0x88, 0x00 }, role, out _),
        ["CloseFrame.ReadInPlace(empty)"] = role => CloseFrame.ReadInPlace([], role, out _),
        ["new CloseHandshake"] = role => _ = new CloseHandshake(role),
    };

    public static TheoryData<string, int> ApisAndUndefinedRoles()
    {
        var data = new TheoryData<string, int>();
        foreach (string api in s_apis.Keys)
        {
            foreach (int value in new[] { 0, 3, -1, 255, int.MaxValue })
            {
                data.Add(api, value);
            }
        }

        return data;
    }

    public static TheoryData<string> Apis() => [.. s_apis.Keys];

    [Fact]
    public void Members_AreClient1AndServer2_AndNoZero()
    {
        Enum.GetValues<WebSocketRole>().Select(role => ((int)role, role.ToString())).Should().Equal((1, "Client"), (2, "Server"));
        Enum.IsDefined(default(WebSocketRole)).Should().BeFalse();
    }

    [Theory]
    [MemberData(nameof(ApisAndUndefinedRoles))]
    public void UndefinedRole_Throws_NamingTheNumber_OnEveryApiThatTakesARole(string api, int value)
    {
        // Bytes never throw; a role that is neither side is the caller's mistake, found before anything is read or written.
        Action call = () => s_apis[api]((WebSocketRole)value);

        call.Should().Throw<ArgumentOutOfRangeException>()
            .WithParameterName("role")
            .WithMessage($"{value} is not a WebSocketRole*; pass WebSocketRole.Client (1) or WebSocketRole.Server (2).*")
            .Which.ActualValue.Should().Be((WebSocketRole)value);
    }

    [Theory]
    [MemberData(nameof(Apis))]
    public void DefaultRole_Throws_SayingItIsUnset(string api)
    {
        Action call = () => s_apis[api](default);

        call.Should().Throw<ArgumentOutOfRangeException>().WithMessage("0 is not a WebSocketRole (the value of default(WebSocketRole): a role left unset)*");
    }

    [Theory]
    [MemberData(nameof(Apis))]
    public void DefinedRoles_DoNotThrow(string api)
    {
        // The control: each call above is valid but for the role.
        foreach (WebSocketRole role in Enum.GetValues<WebSocketRole>())
        {
            Action call = () => s_apis[api](role);
            call.Should().NotThrow("{0} is a role", role);
        }
    }

    [Fact]
    public void Writers_MaskAsTheRoleSays_Rfc6455_5_1()
    {
        // §5.1: a client masks every frame it sends (MASK bit and a 4-byte key), a server masks none.
        byte[] frame = new byte[CloseFrame.MaxLength];

        CloseFrame.TryWrite(frame, WebSocketRole.Server, WebSocketCloseStatus.NormalClosure, "", out int written).Should().BeTrue();
        frame[..written].Should().Equal(0x88, 0x02, 0x03, 0xE8);
        CloseFrame.TryWrite(frame, WebSocketRole.Client, WebSocketCloseStatus.NormalClosure, "", out written).Should().BeTrue();
        written.Should().Be(8);
        frame[1].Should().Be(0x82);
    }
}
