using Microsoft.CodeAnalysis;

namespace WebSockets.CloseStatus.Analyzers;

/// <summary>The analyzer's rules; each is documented under its ID in README.md beside this file.</summary>
internal static class Rules
{
    public const string UnsendableSystemNetStatusId = "WSCS001";
    public const string ReasonTooLongId = "WSCS002";
    public const string UnsendableStatusId = "WSCS003";
    public const string UnsendableCastId = "WSCS004";
    public const string CloseWithoutTimeoutId = "WSCS005";

    private const string Category = "Reliability";
    private const string HelpBase = "https://github.com/websockets-closestatus/WebSockets.CloseStatus/blob/main/src/WebSockets.CloseStatus.Analyzers/README.md#";

    public static readonly DiagnosticDescriptor UnsendableSystemNetStatus = new(
        UnsendableSystemNetStatusId,
        "System.Net close with a status that must not be sent",
        "{0} must not be sent in a close frame (RFC 6455 §7.4): {1}",
        Category,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "System.Net's CloseAsync and CloseOutputAsync throw for some codes that must not be sent and put others on the wire, 1005 (Empty) among them.",
        helpLinkUri: HelpBase + "wscs001");

    public static readonly DiagnosticDescriptor ReasonTooLong = new(
        ReasonTooLongId,
        "Close reason over 123 bytes in UTF-8",
        "The close reason is {0} bytes in UTF-8, and a close frame holds at most 123 (RFC 6455 §5.5): {1} throws ArgumentException",
        Category,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "A close frame's payload is at most 125 bytes: the 2-byte code and at most 123 bytes of UTF-8 reason. Shorten the reason, or close with CloseReasonTruncation.",
        helpLinkUri: HelpBase + "wscs002");

    public static readonly DiagnosticDescriptor UnsendableStatus = new(
        UnsendableStatusId,
        "Close written with a status that must not be sent",
        "{0} must not be sent in a close frame (RFC 6455 §7.4): {1} throws ArgumentOutOfRangeException",
        Category,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "This library's writers, its System.Net extensions and CloseHandshake refuse a status that must not be sent, at run time.",
        helpLinkUri: HelpBase + "wscs003");

    public static readonly DiagnosticDescriptor UnsendableCast = new(
        UnsendableCastId,
        "Integer cast to a close status that no one may send",
        "The integer {0} cast to {1} {2}",
        Category,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "A close code is a 16-bit number, and only 1000–1003, 1007–1014 and 3000–4999 may be sent.",
        helpLinkUri: HelpBase + "wscs004");

    public static readonly DiagnosticDescriptor CloseWithoutTimeout = new(
        CloseWithoutTimeoutId,
        "CloseAsync awaited with a token that never cancels",
        "'{0}' waits for the peer's close with a token that never cancels, and a peer that never answers makes it wait forever; close with CloseGracefullyAsync and a timeout",
        Category,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "WebSocket.CloseAsync waits for the peer's close frame as long as its token lets it (dotnet/runtime#51590). CloseGracefullyAsync aborts the connection after a timeout and says how it ended.",
        helpLinkUri: HelpBase + "wscs005");
}
