using System;
using System.Runtime.CompilerServices;

namespace WebSockets.CloseStatus;

/// <summary>Reads and writes whole close frames (RFC 6455 §5.2, §5.3, §5.5.1) for custom socket stacks.</summary>
/// <remarks>
/// Reading never throws for any input and never allocates; frames are checked as their bytes arrive. Writers take their
/// arguments in one order: destination, the role or masking key, status, reason, truncation, then the <see langword="out"/> counts.
/// </remarks>
public static partial class CloseFrame
{
    /// <summary>The longest close frame, in bytes: a 2-byte header, a 4-byte masking key and a 125-byte payload.</summary>
    public const int MaxLength = HeaderLength + MaskingKeyLength + ClosePayload.MaxLength;

    private const int HeaderLength = 2;
    private const int MaskingKeyLength = 4;
    private const int StatusLength = 2;
    private const byte FinAndClose = 0x88;   // FIN | opcode 0x8
    private const byte MaskBit = 0x80;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int GetHeaderLength(WebSocketRole role)
    {
        if ((uint)role > (uint)WebSocketRole.Client)
        {
            Internal.ThrowHelper.ThrowUndefinedEnum(role, nameof(role));
        }

        return role == WebSocketRole.Client ? HeaderLength + MaskingKeyLength : HeaderLength;
    }

    private static bool IsLenient(ClosePayloadReadMode mode)
    {
        if ((uint)mode > (uint)ClosePayloadReadMode.Lenient)
        {
            Internal.ThrowHelper.ThrowUndefinedEnum(mode, nameof(mode));
        }

        return mode == ClosePayloadReadMode.Lenient;
    }
}
