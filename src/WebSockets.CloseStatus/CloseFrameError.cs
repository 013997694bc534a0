namespace WebSockets.CloseStatus;

/// <summary>Why a received close frame is malformed, or <see cref="None"/>.</summary>
/// <remarks>Answer a malformed frame with <see cref="CloseErrorExtensions.ToCloseStatus(CloseFrameError)"/>.</remarks>
public enum CloseFrameError
{
    /// <summary>The frame is well formed.</summary>
    None = 0,

    /// <summary>FIN is not set, but control frames must not be fragmented (RFC 6455 §5.4, §5.5).</summary>
    NotFinal,

    /// <summary>RSV1, RSV2 or RSV3 is set, and no extension was negotiated that defines them (RFC 6455 §5.2).</summary>
    ReservedBitsSet,

    /// <summary>The opcode is not 0x8, close (RFC 6455 §5.5.1).</summary>
    NotCloseFrame,

    /// <summary>The length uses the 16- or 64-bit form (126 or 127), but control frames must use the 7-bit form (RFC 6455 §5.5).</summary>
    ExtendedLength,

    /// <summary>A server received an unmasked frame; a client must mask every frame (RFC 6455 §5.1).</summary>
    MaskMissing,

    /// <summary>A client received a masked frame; a server must not mask (RFC 6455 §5.1).</summary>
    UnexpectedMask,

    /// <summary>The payload is 1 byte: too short for a status code (RFC 6455 §5.5.1).</summary>
    TooShort,

    /// <summary>The status code may not appear in a close frame (RFC 6455 §7.4).</summary>
    InvalidStatus,

    /// <summary>The reason is not well-formed UTF-8 (RFC 6455 §5.5.1, §8.1; RFC 3629).</summary>
    InvalidUtf8,
}
