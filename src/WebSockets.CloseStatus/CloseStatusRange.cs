namespace WebSockets.CloseStatus;

/// <summary>The range of the 16-bit close code space a status belongs to (RFC 6455 §7.4.2).</summary>
public enum CloseStatusRange
{
    /// <summary>0–999: not used; never valid in a close frame.</summary>
    Unused = 0,

    /// <summary>1000–2999: defined by RFC 6455, its revisions and extensions.</summary>
    Protocol = 1,

    /// <summary>3000–3999: registered with IANA for libraries, frameworks and applications.</summary>
    Registered = 2,

    /// <summary>4000–4999: for private use by agreement between the endpoints; never registered.</summary>
    PrivateUse = 3,

    /// <summary>5000–65535: outside the ranges RFC 6455 defines; never valid in a close frame.</summary>
    OutOfRange = 4,
}
