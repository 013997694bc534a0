using System;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using WebSockets.CloseStatus.Internal;

namespace WebSockets.CloseStatus;

/// <summary>Reads and writes the application data of a close frame: empty, or a 2-byte big-endian status code and a UTF-8 reason (RFC 6455 §5.5.1).</summary>
/// <remarks>
/// Reading never throws on any bytes: untrusted bytes get a <see cref="CloseFrameError"/> verdict, and only
/// <see cref="Read(ReadOnlySpan{byte}, out WebSocketCloseStatus, out string, ClosePayloadReadMode)"/> allocates (the reason string).
/// Writing throws <see cref="ArgumentException"/>-family exceptions for caller mistakes (a status that must not be sent,
/// a reason that is too long or not well formed) and returns <see langword="false"/> only when the destination is too small.
/// </remarks>
[SuppressMessage("ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters", Justification = "One overload set (issue #39): every writer takes its truncation, every reader its read mode, as one optional last parameter, as Utf8.FromUtf16 does. The overloads differ in a required parameter's type (string or ReadOnlySpan<char>; span or sequence), so leaving the option out never changes which one binds.")]
public static partial class ClosePayload
{
    /// <summary>The largest close payload, in bytes: the control-frame limit (RFC 6455 §5.5).</summary>
    public const int MaxLength = 125;

    /// <summary>The longest reason, in UTF-8 bytes: <see cref="MaxLength"/> less the 2-byte status code.</summary>
    public const int MaxReasonLength = MaxLength - StatusLength;

    private const int StatusLength = 2;

    /// <summary>Throws unless <paramref name="status"/> may be written; returns <see langword="false"/> for <see cref="WebSocketCloseStatus.Empty"/> with no reason, which is written as 0 bytes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool ValidateStatus(WebSocketCloseStatus status, bool reasonIsEmpty)
    {
        if (status.IsValidOnWire())
        {
            return true;
        }

        if (status != WebSocketCloseStatus.Empty || !reasonIsEmpty)
        {
            ThrowHelper.ThrowUnsendableStatus(status, nameof(status));
        }

        return false;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ValidateMode(ClosePayloadReadMode mode)
    {
        if ((uint)mode > (uint)ClosePayloadReadMode.Lenient)
        {
            ThrowHelper.ThrowUndefinedEnum(mode, nameof(mode));
        }
    }
}
