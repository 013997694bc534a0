namespace WebSockets.CloseStatus.Tests.TestData;

public static class Frames
{
    /// <summary>An unmasked server frame (what a client receives): FIN | close, length, payload (RFC 6455 §5.2).</summary>
    public static byte[] Unmasked(byte[] payload) => [0x88, (byte)payload.Length, .. payload];
}
