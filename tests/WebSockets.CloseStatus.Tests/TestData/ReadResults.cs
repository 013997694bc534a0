using System;

namespace WebSockets.CloseStatus.Tests.TestData;

/// <summary>The reason a frame read located in a buffer: <c>Read</c>'s destination or <c>ReadInPlace</c>'s source.</summary>
public static class ReadResults
{
    public static byte[] ReasonIn(this CloseFrameReadResult result, byte[] buffer) =>
        buffer.AsSpan(result.ReasonOffset, result.ReasonLength).ToArray();
}
