namespace WebSockets.CloseStatus;

/// <summary>What a writer does with a reason longer than <see cref="ClosePayload.MaxReasonLength"/> UTF-8 bytes.</summary>
public enum CloseReasonTruncation
{
    /// <summary>Do not truncate: an over-long reason throws <see cref="System.ArgumentException"/>.</summary>
    None = 0,

    /// <summary>Keep the longest prefix that fits, cut at a scalar boundary.</summary>
    Truncate = 1,

    /// <summary>Keep the longest prefix that fits with "…" (U+2026, 3 bytes) after it, cut at a scalar boundary.</summary>
    TruncateWithEllipsis = 2,
}
