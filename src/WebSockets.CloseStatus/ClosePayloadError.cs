namespace WebSockets.CloseStatus;

/// <summary>The verdict of reading a close payload: why it is malformed, or <see cref="None"/>.</summary>
/// <remarks>Answer a malformed payload with <see cref="CloseErrorExtensions.ToCloseStatus(ClosePayloadError)"/>.</remarks>
public enum ClosePayloadError
{
    /// <summary>The payload is well formed.</summary>
    None = 0,

    /// <summary>The payload is 1 byte: too short for a status code (RFC 6455 §5.5.1).</summary>
    TooShort,

    /// <summary>The payload is over 125 bytes, the control-frame limit (RFC 6455 §5.5).</summary>
    TooLong,

    /// <summary>The status code may not appear in a close frame (RFC 6455 §7.4).</summary>
    InvalidStatus,

    /// <summary>The reason is not well-formed UTF-8 (RFC 6455 §5.5.1, §8.1; RFC 3629).</summary>
    InvalidUtf8,
}
