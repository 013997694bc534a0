namespace WebSockets.CloseStatus.Internal;

/// <summary>What <see cref="RelayCore.Scan"/> asks of the pump: forward the first <see cref="BytesForwarded"/> bytes, then the close frame of <see cref="CloseLength"/> bytes, and drop the rest up to <see cref="BytesConsumed"/>.</summary>
internal readonly struct RelayStep
{
    public RelayStep(int bytesForwarded, int bytesConsumed, int closeLength)
    {
        BytesForwarded = bytesForwarded;
        BytesConsumed = bytesConsumed;
        CloseLength = closeLength;
    }

    /// <summary>Gets how many of the source's first bytes to forward verbatim to the other leg.</summary>
    public int BytesForwarded { get; }

    /// <summary>Gets how many of the source's first bytes were taken; 0 with no close means: read more.</summary>
    public int BytesConsumed { get; }

    /// <summary>Gets the length of the close frame written to the destination, to send after the forwarded bytes; 0 for none.</summary>
    public int CloseLength { get; }
}
