using System;
using System.Runtime.CompilerServices;
using WebSockets.CloseStatus.Internal;

namespace WebSockets.CloseStatus;

/// <summary>Reads and writes the application data of a close frame: empty, or a 2-byte big-endian status code and a UTF-8 reason (RFC 6455 §5.5.1).</summary>
/// <remarks>
/// Reading never throws and never allocates: untrusted bytes get a <see cref="ClosePayloadError"/> verdict.
/// Writing throws <see cref="ArgumentException"/>-family exceptions for caller mistakes (a status that must not be sent,
/// a reason that is too long or not well formed) and returns <see langword="false"/> only when the destination is too small.
/// </remarks>
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

    private static void ValidateMode(ClosePayloadReadMode mode)
    {
        if ((uint)mode > (uint)ClosePayloadReadMode.Lenient)
        {
            ThrowHelper.ThrowUndefinedEnum(mode, nameof(mode));
        }
    }
}
