namespace WebSockets.CloseStatus;

/// <summary>Which status codes a close payload reader accepts.</summary>
public enum ClosePayloadReadMode
{
    /// <summary>Only codes that are valid on the wire today: 1000–1003, 1007–1014 and 3000–4999 (RFC 6455 §7.4, IANA registry).</summary>
    Strict = 0,

    /// <summary>Also codes that a future IANA registration may define: any code in 1000–4999 except the local-only 1005, 1006 and 1015.</summary>
    Lenient = 1,
}
