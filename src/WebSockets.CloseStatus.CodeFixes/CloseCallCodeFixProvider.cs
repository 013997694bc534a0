using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Simplification;
using WebSockets.CloseStatus.Analyzers;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace WebSockets.CloseStatus.CodeFixes;

/// <summary>
/// The fixes that are clear: 1005 (Empty) becomes 1000 (NormalClosure), or 1002 (ProtocolError) where a handshake fails; a System.Net close with a long reason becomes
/// this library's close with <c>TruncateWithEllipsis</c>, as does one of this library's writers that has such an
/// overload; an awaited <c>CloseAsync</c> whose token never cancels becomes <c>CloseGracefullyAsync</c> with 5 seconds.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(CloseCallCodeFixProvider))]
[Shared]
public sealed class CloseCallCodeFixProvider : CodeFixProvider
{
    private const string Library = "global::WebSockets.CloseStatus";

    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } =
        ImmutableArray.Create(Rules.UnsendableSystemNetStatusId, Rules.UnsendableStatusId, Rules.ReasonTooLongId, Rules.CloseWithoutTimeoutId);

    /// <inheritdoc/>
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc/>
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        SyntaxNode? root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        SemanticModel? model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null || model is null)
        {
            return;
        }

        foreach (Diagnostic diagnostic in context.Diagnostics)
        {
            SyntaxNode node = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
            InvocationExpressionSyntax? invocation = node.FirstAncestorOrSelf<InvocationExpressionSyntax>();
            if (invocation is null || model.GetOperation(invocation, context.CancellationToken) is not IInvocationOperation operation
                || CloseApi.From(model.Compilation) is not { } api)
            {
                continue;
            }

            CodeAction? action = diagnostic.Id switch
            {
                Rules.UnsendableSystemNetStatusId or Rules.UnsendableStatusId => EmptyToNormal(context.Document, root, operation, api),
                Rules.ReasonTooLongId => Truncate(context.Document, root, model, operation, api),
                _ => Bounded(context.Document, root, model, operation, api),
            };

            if (action is not null)
            {
                context.RegisterCodeFix(action, diagnostic);
            }
        }
    }

    private static CodeAction? EmptyToNormal(Document document, SyntaxNode root, IInvocationOperation operation, CloseApi api)
    {
        if (CloseApi.Argument(operation, api.IsStatusType) is not { Value.ConstantValue: { HasValue: true, Value: { } code } } status
            || System.Convert.ToInt64(code, System.Globalization.CultureInfo.InvariantCulture) != CloseCodes.Empty
            || status.Syntax is not ArgumentSyntax argument)
        {
            return null;
        }

        string type = SymbolEqualityComparer.Default.Equals(status.Parameter!.Type, api.Status)
            ? Library + ".WebSocketCloseStatus"
            : "global::System.Net.WebSockets.WebSocketCloseStatus";

        // Failing a connection is no normal end: a 1000 there would tell the peer all went well (RFC 6455 §7.1.7).
        bool fails = operation.TargetMethod.Name == "Fail" && SymbolEqualityComparer.Default.Equals(operation.TargetMethod.ContainingType, api.CloseHandshake);
        ExpressionSyntax replacement = Qualified(type + (fails ? ".ProtocolError" : ".NormalClosure"));
        return CodeAction.Create(
            fails ? "Fail with 1002 (ProtocolError)" : "Close with 1000 (NormalClosure)",
            _ => Task.FromResult(document.WithSyntaxRoot(root.ReplaceNode(argument.Expression, replacement.WithTriviaFrom(argument.Expression)))),
            nameof(EmptyToNormal));   // one key: a Fix All gives each call the code that fits it
    }

    private static CodeAction? Truncate(Document document, SyntaxNode root, SemanticModel model, IInvocationOperation operation, CloseApi api)
    {
        var invocation = (InvocationExpressionSyntax)operation.Syntax;
        ExpressionSyntax truncation = Qualified(Library + ".CloseReasonTruncation.TruncateWithEllipsis");
        if (api.Classify(operation.TargetMethod) == CloseCallKind.SystemNet)
        {
            // System.Net has no truncation: this library's extension of the same name has.
            InvocationExpressionSyntax? replaced = ToLibraryExtension(model, operation, api, operation.TargetMethod.Name, (status, reason, token) =>
                new[] { status, reason, Argument(truncation), token });
            return replaced is null ? null : Replace(document, root, invocation, replaced, "Truncate the reason to fit (this library's close)");
        }

        // A truncation parameter the call leaves at None, or at its default: set it.
        if (CloseApi.Argument(operation, t => SymbolEqualityComparer.Default.Equals(t, api.Truncation)) is { } given)
        {
            SyntaxNode replacedCall = given.IsImplicit || given.Syntax is not ArgumentSyntax explicitArgument
                ? invocation.AddArgumentListArguments(Argument(NameColon(given.Parameter!.Name), default, truncation))
                : invocation.ReplaceNode(explicitArgument.Expression, truncation.WithTriviaFrom(explicitArgument.Expression));
            return Replace(document, root, invocation, replacedCall, "Truncate the reason to fit");
        }

        // This library's overload that takes a truncation where this one does not: the same parameters and one more.
        IMethodSymbol method = operation.TargetMethod;
        ImmutableArray<IParameterSymbol> parameters = method.Parameters;
        foreach (IMethodSymbol candidate in method.ContainingType.GetMembers(method.Name).OfType<IMethodSymbol>())
        {
            ImmutableArray<IParameterSymbol> others = candidate.Parameters;
            int inserted = others.IndexOf(others.FirstOrDefault(p => SymbolEqualityComparer.Default.Equals(p.Type, api.Truncation))!);
            if (inserted < 0 || others.Length != parameters.Length + 1
                || !others.RemoveAt(inserted).Select(p => p.Type).SequenceEqual(parameters.Select(p => p.Type), SymbolEqualityComparer.Default)
                || !others.RemoveAt(inserted).Select(p => p.RefKind).SequenceEqual(parameters.Select(p => p.RefKind)))
            {
                continue;
            }

            SeparatedSyntaxList<ArgumentSyntax> arguments = invocation.ArgumentList.Arguments;
            if (arguments.Count != parameters.Length || arguments.Any(a => a.NameColon is not null))
            {
                return null;
            }

            InvocationExpressionSyntax fixedCall = invocation.WithArgumentList(invocation.ArgumentList.WithArguments(arguments.Insert(inserted, Argument(truncation))));
            return Replace(document, root, invocation, fixedCall, "Truncate the reason to fit");
        }

        return null;
    }

    private static CodeAction? Bounded(Document document, SyntaxNode root, SemanticModel model, IInvocationOperation operation, CloseApi api)
    {
        // Only where the awaited result is dropped: CloseGracefullyAsync returns a result where CloseAsync returned none.
        SyntaxNode? awaited = operation.Syntax.Parent is MemberAccessExpressionSyntax { Parent: InvocationExpressionSyntax configure } ? configure : operation.Syntax;
        if (awaited.Parent is not AwaitExpressionSyntax { Parent: ExpressionStatementSyntax })
        {
            return null;
        }

        ExpressionSyntax timeout = InvocationExpression(
            Qualified("global::System.TimeSpan.FromSeconds"),
            ArgumentList(SingletonSeparatedList(Argument(LiteralExpression(SyntaxKind.NumericLiteralExpression, Literal(5))))));
        InvocationExpressionSyntax? replaced = ToLibraryExtension(model, operation, api, "CloseGracefullyAsync", (status, reason, token) =>
            new[] { status, reason, Argument(timeout), token });
        return replaced is null ? null : Replace(document, root, (InvocationExpressionSyntax)operation.Syntax, replaced, "Close with CloseGracefullyAsync and a 5-second timeout");
    }

    // A call of this library's WebSocket extension: as an extension where the namespace is imported, else as a static call.
    private static InvocationExpressionSyntax? ToLibraryExtension(
        SemanticModel model,
        IInvocationOperation operation,
        CloseApi api,
        string name,
        System.Func<ArgumentSyntax, ArgumentSyntax, ArgumentSyntax, ArgumentSyntax[]> arguments)
    {
        var invocation = (InvocationExpressionSyntax)operation.Syntax;
        IArgumentOperation? status = CloseApi.Argument(operation, api.IsStatusType);
        IArgumentOperation? reason = CloseApi.ReasonArgument(operation);
        IArgumentOperation? token = CloseApi.Argument(operation, t => SymbolEqualityComparer.Default.Equals(t, api.CancellationToken));
        ExpressionSyntax? receiver = invocation.Expression is MemberAccessExpressionSyntax access ? access.Expression
            : operation.Instance is not null ? null : invocation.ArgumentList.Arguments.FirstOrDefault()?.Expression;
        if (status?.Syntax is not ArgumentSyntax statusArgument || reason?.Syntax is not ArgumentSyntax reasonArgument
            || token?.Syntax is not ArgumentSyntax tokenArgument || receiver is null || api.Status is null)
        {
            return null;
        }

        bool imported = model.LookupSymbols(invocation.SpanStart, operation.Instance?.Type ?? api.SystemNetWebSocket, name, includeReducedExtensionMethods: true)
            .Any(s => SymbolEqualityComparer.Default.Equals(s.ContainingType, api.Extensions));
        ArgumentSyntax libraryStatus = Argument(LibraryStatus(statusArgument.Expression, status.Value, api, imported));
        ArgumentSyntax[] list = arguments(libraryStatus, reasonArgument.WithNameColon(null), tokenArgument.WithNameColon(null));
        if (imported)
        {
            var member = (MemberAccessExpressionSyntax)invocation.Expression;
            return invocation.WithExpression(member.WithName(IdentifierName(name))).WithArgumentList(ArgumentList(SeparatedList(list)));
        }

        return InvocationExpression(Qualified(Library + ".WebSocketExtensions." + name), ArgumentList(SeparatedList(new[] { Argument(receiver.WithoutTrivia()) }.Concat(list))))
            .WithTriviaFrom(invocation);
    }

    // The same code in this library's enum: its member of the same name, or ToCloseStatus() of anything else.
    private static ExpressionSyntax LibraryStatus(ExpressionSyntax expression, IOperation value, CloseApi api, bool imported)
    {
        IOperation unwrapped = value is IConversionOperation { IsImplicit: true } c ? c.Operand : value;
        if (SymbolEqualityComparer.Default.Equals(unwrapped.Type, api.Status))
        {
            return expression;
        }

        if (unwrapped is IFieldReferenceOperation field && api.Status!.GetMembers(field.Field.Name).OfType<IFieldSymbol>().Any())
        {
            return Qualified(Library + ".WebSocketCloseStatus." + field.Field.Name).WithTriviaFrom(expression);
        }

        if (imported)
        {
            ExpressionSyntax receiver = expression.WithoutTrivia() is var e && e is IdentifierNameSyntax or MemberAccessExpressionSyntax or InvocationExpressionSyntax or ParenthesizedExpressionSyntax
                ? e
                : ParenthesizedExpression(e);
            return InvocationExpression(MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, receiver, IdentifierName("ToCloseStatus")));
        }

        return InvocationExpression(Qualified(Library + ".WebSocketCloseStatusExtensions.ToCloseStatus"), ArgumentList(SingletonSeparatedList(Argument(expression.WithoutTrivia()))));
    }

    private static ExpressionSyntax Qualified(string name) => ParseExpression(name).WithAdditionalAnnotations(Simplifier.Annotation);

    private static CodeAction Replace(Document document, SyntaxNode root, SyntaxNode node, SyntaxNode replacement, string title) =>
        CodeAction.Create(title, (CancellationToken _) => Task.FromResult(document.WithSyntaxRoot(root.ReplaceNode(node, replacement.WithAdditionalAnnotations(Simplifier.Annotation)))), title);
}
