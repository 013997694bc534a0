using System;
using System.Linq;

namespace WebSockets.CloseStatus.Tests.TestData;

public static class Hex
{
    public static byte[] Parse(string hex) =>
        hex.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(h => Convert.ToByte(h, 16)).ToArray();

    public static byte[] Payload(int code, byte[] reason) =>
        [(byte)(code >> 8), (byte)code, .. reason];
}
