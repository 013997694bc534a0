using System;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace WebSockets.CloseStatus.Analyzers;

/// <summary>The types of System.Net and of this library that close calls involve, found once per compilation.</summary>
internal sealed class CloseApi
{
    public const int MaxReasonLength = 123;

    private CloseApi(Compilation compilation)
    {
        SystemNetWebSocket = compilation.GetTypeByMetadataName("System.Net.WebSockets.WebSocket");
        SystemNetStatus = compilation.GetTypeByMetadataName("System.Net.WebSockets.WebSocketCloseStatus");
        Status = compilation.GetTypeByMetadataName("WebSockets.CloseStatus.WebSocketCloseStatus");
        Truncation = compilation.GetTypeByMetadataName("WebSockets.CloseStatus.CloseReasonTruncation");
        CancellationToken = compilation.GetTypeByMetadataName("System.Threading.CancellationToken");
        Extensions = compilation.GetTypeByMetadataName("WebSockets.CloseStatus.WebSocketExtensions");
        ClosePayload = compilation.GetTypeByMetadataName("WebSockets.CloseStatus.ClosePayload");
        CloseFrame = compilation.GetTypeByMetadataName("WebSockets.CloseStatus.CloseFrame");
        CloseHandshake = compilation.GetTypeByMetadataName("WebSockets.CloseStatus.CloseHandshake");
        Closer = compilation.GetTypeByMetadataName("WebSockets.CloseStatus.WebSocketCloser");
        CloseOptions = compilation.GetTypeByMetadataName("WebSockets.CloseStatus.WebSocketCloseOptions");
    }

    public INamedTypeSymbol? SystemNetWebSocket { get; }

    public INamedTypeSymbol? SystemNetStatus { get; }

    public INamedTypeSymbol? Status { get; }

    public INamedTypeSymbol? Truncation { get; }

    public INamedTypeSymbol? CancellationToken { get; }

    public INamedTypeSymbol? Extensions { get; }

    public INamedTypeSymbol? ClosePayload { get; }

    public INamedTypeSymbol? CloseFrame { get; }

    public INamedTypeSymbol? CloseHandshake { get; }

    public INamedTypeSymbol? Closer { get; }

    public INamedTypeSymbol? CloseOptions { get; }

    /// <summary>The API of a compilation that has either status enum; <see langword="null"/> when it has neither, and nothing is analyzed.</summary>
    public static CloseApi? From(Compilation compilation)
    {
        var api = new CloseApi(compilation);
        return api.SystemNetStatus is null && api.Status is null ? null : api;
    }

    public bool IsStatusType(ITypeSymbol? type) =>
        type is not null && (SymbolEqualityComparer.Default.Equals(type, Status) || SymbolEqualityComparer.Default.Equals(type, SystemNetStatus));

    public CloseCallKind Classify(IMethodSymbol method)
    {
        INamedTypeSymbol type = method.ContainingType;
        if (method.Name is "CloseAsync" or "CloseOutputAsync" && IsOrOverridesSystemNet(method))
        {
            return CloseCallKind.SystemNet;
        }

        if (Is(type, Closer))
        {
            return method.Name == "CloseAsync" ? CloseCallKind.SystemNetExtension : CloseCallKind.None;
        }

        if (Is(type, Extensions))
        {
            return method.Name is "CloseAsync" or "CloseOutputAsync" or "CloseGracefullyAsync" ? CloseCallKind.SystemNetExtension : CloseCallKind.None;
        }

        // The UTF-8 overloads carry the Utf8 suffix from 2.0 on (TryWriteUtf8, WriteCloseUtf8…); both names are judged.
        if (Is(type, ClosePayload))
        {
            return method.Name is "TryWrite" or "TryWriteUtf8" or "Create" or "GetByteCount" ? CloseCallKind.Writer : CloseCallKind.None;
        }

        if (Is(type, CloseFrame))
        {
            return method.Name is "TryWrite" or "TryWriteUtf8" or "TryWriteMasked" or "TryWriteMaskedUtf8" or "Write" or "WriteUtf8" ? CloseCallKind.Writer : CloseCallKind.None;
        }

        if (Is(type, CloseHandshake))
        {
            return method.Name switch
            {
                "WriteClose" or "WriteCloseUtf8" => CloseCallKind.Writer,
                "Fail" => CloseCallKind.Fail,
                _ => CloseCallKind.None,
            };
        }

        return CloseCallKind.None;
    }

    /// <summary>The argument whose parameter has a type <paramref name="isType"/> accepts, if the call has one.</summary>
    public static IArgumentOperation? Argument(IInvocationOperation invocation, Func<ITypeSymbol, bool> isType) =>
        invocation.Arguments.FirstOrDefault(a => a.Parameter is { } p && isType(p.Type));

    /// <summary>The reason argument: a parameter named as System.Net and this library name it.</summary>
    public static IArgumentOperation? ReasonArgument(IInvocationOperation invocation) =>
        invocation.Arguments.FirstOrDefault(a => a.Parameter?.Name is "statusDescription" or "reason" or "utf8Reason");

    /// <summary>The truncation argument, where the method has a <c>CloseReasonTruncation</c> parameter (an omitted optional one is an implicit argument).</summary>
    public IArgumentOperation? TruncationArgument(IInvocationOperation invocation) =>
        Argument(invocation, t => SymbolEqualityComparer.Default.Equals(t, Truncation));

    /// <summary>The <c>WebSocketCloseOptions</c> argument, where the method has one.</summary>
    public IArgumentOperation? OptionsArgument(IInvocationOperation invocation) =>
        Argument(invocation, t => SymbolEqualityComparer.Default.Equals(t, CloseOptions));

    private static bool Is(INamedTypeSymbol type, INamedTypeSymbol? expected) => SymbolEqualityComparer.Default.Equals(type, expected);

    private bool IsOrOverridesSystemNet(IMethodSymbol method)
    {
        for (IMethodSymbol? m = method; m is not null; m = m.OverriddenMethod)
        {
            if (Is(m.ContainingType, SystemNetWebSocket))
            {
                return true;
            }
        }

        return false;
    }
}
