namespace WebSockets.CloseStatus;

/// <summary>Why a received close payload or close frame is malformed, or <see cref="None"/>.</summary>
/// <remarks>
/// <see cref="ClosePayload"/>'s readers report <see cref="TooShort"/>, <see cref="TooLong"/>, <see cref="InvalidStatus"/> and
/// <see cref="InvalidUtf8"/>; <see cref="CloseFrame"/>'s readers report any member. Answer a malformed close with
/// <see cref="CloseErrorExtensions.ToCloseStatus(CloseFrameError)"/>.
/// </remarks>
public enum CloseFrameError
{
    /// <summary>The payload or frame is well formed.</summary>
    None = 0,

    /// <summary>FIN is not set, but control frames must not be fragmented (RFC 6455 §5.4, §5.5).</summary>
    NotFinal = 1,

    /// <summary>RSV1, RSV2 or RSV3 is set, and no extension was negotiated that defines them (RFC 6455 §5.2).</summary>
    ReservedBitsSet = 2,

    /// <summary>The opcode is not 0x8, close (RFC 6455 §5.5.1).</summary>
    NotCloseFrame = 3,

    /// <summary>
    /// Too long for a control frame (RFC 6455 §5.5): for a payload, over 125 bytes; for a frame, a length in the 16- or
    /// 64-bit form (126 or 127), which a control frame must not use.
    /// </summary>
    TooLong = 4,

    /// <summary>A server received an unmasked frame; a client must mask every frame (RFC 6455 §5.1).</summary>
    MaskMissing = 5,

    /// <summary>A client received a masked frame; a server must not mask (RFC 6455 §5.1).</summary>
    UnexpectedMask = 6,

    /// <summary>The payload is 1 byte: too short for a status code (RFC 6455 §5.5.1).</summary>
    TooShort = 7,

    /// <summary>The status code may not appear in a close frame (RFC 6455 §7.4).</summary>
    InvalidStatus = 8,

    /// <summary>The reason is not well-formed UTF-8 (RFC 6455 §5.5.1, §8.1; RFC 3629).</summary>
    InvalidUtf8 = 9,
}
