namespace WebSockets.CloseStatus.Analyzers.Tests;

/// <summary>
/// The 2.0 API's writers, as source (issue #39, docs/api2): truncation is one optional trailing parameter after the out
/// parameters, UTF-8 overloads carry the Utf8 suffix, <c>CloseHandshake.Fail</c> takes an optional reason. Tests compile
/// against it instead of the library, so that the fixes are proven on the 2.0 shape before the library has it.
/// </summary>
public static class Api2Stub
{
    public const string Source = """
        #nullable enable
        using System;
        using System.Buffers;
        using System.Net.WebSockets;
        using System.Threading;
        using System.Threading.Tasks;

        namespace WebSockets.CloseStatus
        {
            public enum WebSocketCloseStatus : ushort
            {
                NormalClosure = 1000, EndpointUnavailable = 1001, ProtocolError = 1002, InvalidMessageType = 1003, Reserved = 1004, Empty = 1005,
                AbnormalClosure = 1006, InvalidPayloadData = 1007, PolicyViolation = 1008, MessageTooBig = 1009, MandatoryExtension = 1010,
                InternalServerError = 1011, ServiceRestart = 1012, TryAgainLater = 1013, BadGateway = 1014, TlsHandshakeFailure = 1015,
            }

            public enum CloseReasonTruncation { None, Truncate, TruncateWithEllipsis }

            public enum WebSocketRole { Client = 1, Server = 2 }

            public enum CloseHandshakeAction { None, SendClose, AwaitClose, CloseTransport, AwaitTransportClose }

            public static class ClosePayload
            {
                public static bool TryWrite(Span<byte> destination, WebSocketCloseStatus status, string? reason, out int bytesWritten, CloseReasonTruncation truncation = CloseReasonTruncation.None) => throw new NotImplementedException();
                public static bool TryWrite(Span<byte> destination, WebSocketCloseStatus status, ReadOnlySpan<char> reason, out int bytesWritten, CloseReasonTruncation truncation = CloseReasonTruncation.None) => throw new NotImplementedException();
                public static bool TryWriteUtf8(Span<byte> destination, WebSocketCloseStatus status, ReadOnlySpan<byte> utf8Reason, out int bytesWritten, CloseReasonTruncation truncation = CloseReasonTruncation.None) => throw new NotImplementedException();
                public static byte[] Create(WebSocketCloseStatus status, string? reason = null, CloseReasonTruncation truncation = CloseReasonTruncation.None) => throw new NotImplementedException();
            }

            public static class CloseFrame
            {
                public static bool TryWrite(Span<byte> destination, WebSocketRole role, WebSocketCloseStatus status, string? reason, out int bytesWritten, CloseReasonTruncation truncation = CloseReasonTruncation.None) => throw new NotImplementedException();
                public static bool TryWriteMaskedUtf8(Span<byte> destination, uint maskingKey, WebSocketCloseStatus status, ReadOnlySpan<byte> utf8Reason, out int bytesWritten, CloseReasonTruncation truncation = CloseReasonTruncation.None) => throw new NotImplementedException();
                public static int Write(IBufferWriter<byte> destination, WebSocketRole role, WebSocketCloseStatus status, string? reason, CloseReasonTruncation truncation = CloseReasonTruncation.None) => throw new NotImplementedException();
                public static int WriteUtf8(IBufferWriter<byte> destination, WebSocketRole role, WebSocketCloseStatus status, ReadOnlySpan<byte> utf8Reason, CloseReasonTruncation truncation = CloseReasonTruncation.None) => throw new NotImplementedException();
            }

            public sealed class CloseHandshake
            {
                public CloseHandshakeAction WriteClose(Span<byte> destination, out int bytesWritten) => throw new NotImplementedException();
                public CloseHandshakeAction WriteClose(Span<byte> destination, WebSocketCloseStatus status, string? reason, out int bytesWritten, CloseReasonTruncation truncation = CloseReasonTruncation.None) => throw new NotImplementedException();
                public CloseHandshakeAction WriteCloseUtf8(Span<byte> destination, WebSocketCloseStatus status, ReadOnlySpan<byte> utf8Reason, out int bytesWritten, CloseReasonTruncation truncation = CloseReasonTruncation.None) => throw new NotImplementedException();
                public CloseHandshakeAction Fail(WebSocketCloseStatus status, string? reason = null) => throw new NotImplementedException();
            }

            public sealed class WebSocketCloseOptions
            {
                public TimeSpan Timeout { get; set; }
                public CloseReasonTruncation Truncation { get; set; }
            }

            public sealed class WebSocketCloser
            {
            }

            public static class WebSocketCloseStatusExtensions
            {
                public static WebSocketCloseStatus ToCloseStatus(this System.Net.WebSockets.WebSocketCloseStatus status) => (WebSocketCloseStatus)status;
            }

            public static class WebSocketExtensions
            {
                public static Task CloseAsync(this WebSocket webSocket, WebSocketCloseStatus closeStatus, string? statusDescription, CancellationToken cancellationToken) => throw new NotImplementedException();
                public static Task CloseAsync(this WebSocket webSocket, WebSocketCloseStatus closeStatus, string? statusDescription, CloseReasonTruncation truncation, CancellationToken cancellationToken) => throw new NotImplementedException();
                public static Task CloseOutputAsync(this WebSocket webSocket, WebSocketCloseStatus closeStatus, string? statusDescription, CancellationToken cancellationToken) => throw new NotImplementedException();
                public static Task CloseOutputAsync(this WebSocket webSocket, WebSocketCloseStatus closeStatus, string? statusDescription, CloseReasonTruncation truncation, CancellationToken cancellationToken) => throw new NotImplementedException();
                public static Task<object> CloseGracefullyAsync(this WebSocket webSocket, WebSocketCloseStatus closeStatus, string? statusDescription, TimeSpan timeout, CancellationToken cancellationToken) => throw new NotImplementedException();
                public static Task<object> CloseGracefullyAsync(this WebSocket webSocket, WebSocketCloseStatus closeStatus, string? statusDescription, WebSocketCloseOptions options, CancellationToken cancellationToken) => throw new NotImplementedException();
            }
        }
        """;
}
