using System;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace WebSockets.CloseStatus;

/// <summary>Reads and writes whole close frames (RFC 6455 §5.2, §5.3, §5.5.1) for custom socket stacks.</summary>
/// <remarks>
/// Reading never throws for any bytes and never allocates; frames are checked as their bytes arrive. Writers take their
/// arguments in one order: destination, the role or masking key, status, reason, the <see langword="out"/> count, then an
/// optional truncation; readers take the read mode last. A role is <see cref="WebSocketRole.Client"/> or
/// <see cref="WebSocketRole.Server"/>: any other value, <see langword="default"/> included, throws.
/// </remarks>
[SuppressMessage("ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters", Justification = "One overload set (issue #39): every writer takes its truncation, every reader its read mode, as one optional last parameter, as Utf8.FromUtf16 does. The overloads differ in a required parameter's type (string or ReadOnlySpan<char>; span or sequence), so leaving the option out never changes which one binds.")]
public static partial class CloseFrame
{
    /// <summary>The longest close frame, in bytes: a 2-byte header, a 4-byte masking key and a 125-byte payload.</summary>
    public const int MaxLength = HeaderLength + MaskingKeyLength + ClosePayload.MaxLength;

    private const int HeaderLength = 2;
    private const int MaskingKeyLength = 4;
    private const int StatusLength = 2;
    private const byte FinAndClose = 0x88;   // FIN | opcode 0x8
    private const byte OpcodeMask = 0x0F;
    private const byte CloseOpcode = 0x08;
    private const byte MaskBit = 0x80;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int GetHeaderLength(WebSocketRole role)
    {
        ValidateRole(role);
        return role == WebSocketRole.Client ? HeaderLength + MaskingKeyLength : HeaderLength;
    }

    /// <summary>Throws unless <paramref name="role"/> is <see cref="WebSocketRole.Client"/> or <see cref="WebSocketRole.Server"/>; shared by every API that takes a role.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void ValidateRole(WebSocketRole role)
    {
        // Client is 1 and Server 2: one unsigned compare refuses 0 (an unset role) and everything above 2.
        if ((uint)role - 1 > 1)
        {
            Internal.ThrowHelper.ThrowUndefinedRole(role, nameof(role));
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool IsLenient(ClosePayloadReadMode mode)
    {
        if ((uint)mode > (uint)ClosePayloadReadMode.Lenient)
        {
            Internal.ThrowHelper.ThrowUndefinedEnum(mode, nameof(mode));
        }

        return mode == ClosePayloadReadMode.Lenient;
    }
}
