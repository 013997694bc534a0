using System.Collections.Generic;
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
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Simplification;
using WebSockets.CloseStatus.Analyzers;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace WebSockets.CloseStatus.CodeFixes;

/// <summary>
/// The fixes that are clear: 1005 (Empty) becomes 1000 (NormalClosure), or 1002 (ProtocolError) where a handshake fails; a System.Net close with a long reason becomes
/// this library's close with <c>TruncateWithEllipsis</c>, and this library's call gets that truncation (its parameter, its overload, or its options); an awaited
/// <c>CloseAsync</c> whose token never cancels becomes <c>CloseGracefullyAsync</c> with 5 seconds.
/// </summary>
/// <remarks>
/// A Fix All (the IDE's, <c>dotnet format</c>'s) fixes every diagnostic of the rules it is given, each with its own fix,
/// whatever form that fix takes on its call. No fix leaves a mistake behind under another rule's ID (a System.Net close
/// turned into this library's takes 1000 for 1005, as WSCS001's fix does; a truncation survives the move to
/// <c>CloseGracefullyAsync</c>, and <c>CloseGracefullyAsync</c> takes one through its options), so one <c>dotnet format</c>
/// run, which fixes the rules it found one after the other, fixes them all, in any order.
/// </remarks>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(CloseCallCodeFixProvider))]
[Shared]
public sealed class CloseCallCodeFixProvider : CodeFixProvider
{
    private const string Library = "global::WebSockets.CloseStatus";
    private const string Ellipsis = Library + ".CloseReasonTruncation.TruncateWithEllipsis";

    // The equivalence keys: one per fix, whatever form it takes on a call. WSCS001 and WSCS003 share theirs, as their
    // fix is the same and never meets the other's on one call (a close is System.Net's or this library's).
    private const string EmptyToNormalKey = "EmptyToNormal";
    private const string TruncateKey = "TruncateReason";
    private const string BoundedKey = "CloseGracefully";

    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } =
        ImmutableArray.Create(Rules.UnsendableSystemNetStatusId, Rules.UnsendableStatusId, Rules.ReasonTooLongId, Rules.CloseWithoutTimeoutId);

    // Every diagnostic of a Fix All gets its own fix, whatever equivalence key the host passes. BatchFixer keeps only the
    // fixes whose key is the one passed, and dotnet format passes the key of the first fix offered for the first diagnostic
    // of all the rules it was asked for: another rule's, or none when that diagnostic has no fix (WSCS004), and then it
    // fixed nothing. Within a document, a fix that would overlap an earlier one waits for the next Fix All.
    private static readonly FixAllProvider s_fixAll = FixAllProvider.Create(FixDocumentAsync);

    /// <inheritdoc/>
    public override FixAllProvider GetFixAllProvider() => s_fixAll;

    /// <inheritdoc/>
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        Document document = context.Document;
        SyntaxNode? root = await document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        SemanticModel? model = await document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null || model is null || CloseApi.From(model.Compilation) is not { } api)
        {
            return;
        }

        foreach (Diagnostic diagnostic in context.Diagnostics)
        {
            if (FixOf(diagnostic, root, model, api, context.CancellationToken) is { } change)
            {
                context.RegisterCodeFix(
                    CodeAction.Create(change.Title, _ => Task.FromResult(document.WithSyntaxRoot(root.ReplaceNode(change.Node, change.Replacement))), change.Key),
                    diagnostic);
            }
        }
    }

    private static async Task<Document?> FixDocumentAsync(FixAllContext context, Document document, ImmutableArray<Diagnostic> diagnostics)
    {
        SyntaxNode? root = await document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        SemanticModel? model = await document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null || model is null || CloseApi.From(model.Compilation) is not { } api)
        {
            return null;
        }

        var changes = new Dictionary<SyntaxNode, SyntaxNode>();
        foreach (Diagnostic diagnostic in diagnostics.OrderBy(d => d.Location.SourceSpan.Start))
        {
            if (FixOf(diagnostic, root, model, api, context.CancellationToken) is { } change && !changes.Keys.Any(node => node.Span.OverlapsWith(change.Node.Span)))
            {
                changes.Add(change.Node, change.Replacement);
            }
        }

        return changes.Count == 0 ? null : document.WithSyntaxRoot(root.ReplaceNodes(changes.Keys, (original, _) => changes[original]));
    }

    // The fix of one diagnostic: the call's node to replace, and its replacement.
    private static Change? FixOf(Diagnostic diagnostic, SyntaxNode root, SemanticModel model, CloseApi api, CancellationToken cancellationToken)
    {
        // WSCS005 reports the call; the others an argument of it (whose value may be a call itself, as nameof).
        SyntaxNode node = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
        SyntaxNode? invocation = diagnostic.Id == Rules.CloseWithoutTimeoutId
            ? node.FirstAncestorOrSelf<InvocationExpressionSyntax>()
            : node.FirstAncestorOrSelf<ArgumentSyntax>()?.Parent?.Parent;
        if (invocation is not InvocationExpressionSyntax || model.GetOperation(invocation, cancellationToken) is not IInvocationOperation operation)
        {
            return null;
        }

        var fix = new Fix(model, operation, api);
        return diagnostic.Id switch
        {
            Rules.UnsendableSystemNetStatusId or Rules.UnsendableStatusId => EmptyToNormal(fix),
            Rules.ReasonTooLongId => Truncate(fix),
            Rules.CloseWithoutTimeoutId => Bounded(fix),
            _ => null,
        };
    }

    private static Change? EmptyToNormal(Fix fix)
    {
        if (CloseApi.Argument(fix.Operation, fix.Api.IsStatusType) is not { } status || !IsEmpty(status.Value) || status.Syntax is not ArgumentSyntax argument)
        {
            return null;
        }

        string type = SymbolEqualityComparer.Default.Equals(status.Parameter!.Type, fix.Api.Status)
            ? Library + ".WebSocketCloseStatus"
            : "global::System.Net.WebSockets.WebSocketCloseStatus";

        // Failing a connection is no normal end: a 1000 there would tell the peer all went well (RFC 6455 §7.1.7). Fail is
        // known by its name and type, so this holds whatever parameters follow the status (2.0 adds a reason).
        bool fails = fix.Operation.TargetMethod.Name == "Fail" && SymbolEqualityComparer.Default.Equals(fix.Operation.TargetMethod.ContainingType, fix.Api.CloseHandshake);
        ExpressionSyntax replacement = Qualified(type + (fails ? ".ProtocolError" : ".NormalClosure")).WithTriviaFrom(argument.Expression);
        return new Change(argument.Expression, replacement, fails ? "Fail with 1002 (ProtocolError)" : "Close with 1000 (NormalClosure)", EmptyToNormalKey);
    }

    private static Change? Truncate(Fix fix)
    {
        IInvocationOperation operation = fix.Operation;
        CloseApi api = fix.Api;
        var invocation = (InvocationExpressionSyntax)operation.Syntax;
        const string Title = "Truncate the reason to fit";
        if (api.Classify(operation.TargetMethod) == CloseCallKind.SystemNet)
        {
            // System.Net has no truncation: this library's extension of the same name has, before the token.
            InvocationExpressionSyntax? replaced = ToLibraryExtension(fix, operation.TargetMethod.Name, (status, reason, _, token) =>
                new[] { status, reason, Argument(Qualified(Ellipsis)), token });
            return replaced is null ? null : new Change(invocation, replaced, Title + " (this library's close)", TruncateKey);
        }

        // A truncation parameter the call leaves at None: set it. An omitted optional one (2.0's trailing
        // `CloseReasonTruncation truncation = None`, after the out parameters) is added by name, after the others.
        if (api.TruncationArgument(operation) is { } given)
        {
            SyntaxNode fixedCall = given.IsImplicit || given.Syntax is not ArgumentSyntax explicitArgument
                ? invocation.AddArgumentListArguments(Argument(NameColon(given.Parameter!.Name), default, Qualified(Ellipsis)))
                : invocation.ReplaceNode(explicitArgument.Expression, Qualified(Ellipsis).WithTriviaFrom(explicitArgument.Expression));
            return new Change(invocation, fixedCall, Title, TruncateKey);
        }

        // Options created on the spot (CloseGracefullyAsync): set their Truncation.
        if (api.OptionsArgument(operation) is { } options && Unwrap(options.Value) is IObjectCreationOperation { Syntax: BaseObjectCreationExpressionSyntax creation })
        {
            return new Change(creation, WithTruncation(creation), Title, TruncateKey);
        }

        return ToOptionsOverload(fix) is { } withOptions
            ? new Change(invocation, withOptions, Title, TruncateKey)
            : ToTruncatingOverload(fix) is { } overload ? new Change(invocation, overload, Title, TruncateKey) : null;
    }

    // Sets Truncation in an object creation's initializer, adding the initializer if there is none.
    private static BaseObjectCreationExpressionSyntax WithTruncation(BaseObjectCreationExpressionSyntax creation)
    {
        AssignmentExpressionSyntax assignment = AssignmentExpression(SyntaxKind.SimpleAssignmentExpression, IdentifierName("Truncation"), Qualified(Ellipsis));
        InitializerExpressionSyntax? initializer = creation.Initializer;
        AssignmentExpressionSyntax? existing = initializer?.Expressions.OfType<AssignmentExpressionSyntax>()
            .FirstOrDefault(a => a.Left is IdentifierNameSyntax { Identifier.ValueText: "Truncation" });
        InitializerExpressionSyntax updated = existing is not null
            ? initializer!.ReplaceNode(existing.Right, Qualified(Ellipsis).WithTriviaFrom(existing.Right))
            : initializer is not null
                ? initializer.AddExpressions(assignment)
                : InitializerExpression(SyntaxKind.ObjectInitializerExpression, SingletonSeparatedList<ExpressionSyntax>(assignment));
        return creation.WithInitializer(updated.WithAdditionalAnnotations(Formatter.Annotation));
    }

    // CloseGracefullyAsync(…, TimeSpan timeout, …) has an overload with WebSocketCloseOptions in the timeout's place,
    // which carries the timeout and a truncation.
    private static InvocationExpressionSyntax? ToOptionsOverload(Fix fix)
    {
        IInvocationOperation operation = fix.Operation;
        if (fix.Api.CloseOptions is null
            || operation.Arguments.FirstOrDefault(a => a.Parameter?.Type.Name == "TimeSpan" && a.Parameter.Type.ContainingNamespace?.Name == "System") is not { Syntax: ArgumentSyntax timeout } timeoutArgument
            || OverloadWith(operation.TargetMethod, timeoutArgument.Parameter!.Ordinal, fix.Api.CloseOptions) is not { } optionsParameter)
        {
            return null;
        }

        ArgumentSyntax options = timeout
            .WithNameColon(timeout.NameColon?.WithName(IdentifierName(optionsParameter.Name)))
            .WithExpression(CloseOptions(timeout.Expression.WithoutTrivia(), Qualified(Ellipsis)).WithTriviaFrom(timeout.Expression));
        return ((InvocationExpressionSyntax)operation.Syntax).ReplaceNode(timeout, options);
    }

    // This library's overload that takes a truncation where this one does not (the System.Net extensions take it
    // before the token): the same parameters and one more. Kept only if the compiler binds the call to it.
    private static InvocationExpressionSyntax? ToTruncatingOverload(Fix fix)
    {
        IInvocationOperation operation = fix.Operation;
        var invocation = (InvocationExpressionSyntax)operation.Syntax;
        IMethodSymbol method = operation.TargetMethod;
        ImmutableArray<IParameterSymbol> parameters = method.Parameters;
        SeparatedSyntaxList<ArgumentSyntax> arguments = invocation.ArgumentList.Arguments;

        // An extension method called on its receiver: the receiver is the first parameter's argument, outside the list.
        int receiver = method.IsExtensionMethod && operation.Arguments.FirstOrDefault() is { Parameter.Ordinal: 0 } self && self.Syntax is not ArgumentSyntax ? 1 : 0;
        foreach (IMethodSymbol candidate in method.ContainingType.GetMembers(method.Name).OfType<IMethodSymbol>())
        {
            ImmutableArray<IParameterSymbol> others = candidate.Parameters;
            IParameterSymbol? truncation = others.FirstOrDefault(p => SymbolEqualityComparer.Default.Equals(p.Type, fix.Api.Truncation));
            if (truncation is null || others.Length != parameters.Length + 1
                || !others.RemoveAt(truncation.Ordinal).Select(p => p.Type).SequenceEqual(parameters.Select(p => p.Type), SymbolEqualityComparer.Default)
                || !others.RemoveAt(truncation.Ordinal).Select(p => p.RefKind).SequenceEqual(parameters.Select(p => p.RefKind)))
            {
                continue;
            }

            // In place where every argument before it is positional, else by name after the others.
            int position = truncation.Ordinal - receiver;
            bool positional = position <= arguments.Count && arguments.Take(position).All(a => a.NameColon is null);
            ArgumentSyntax added = positional ? Argument(Qualified(Ellipsis)) : Argument(NameColon(truncation.Name), default, Qualified(Ellipsis));
            InvocationExpressionSyntax fixedCall = invocation.WithArgumentList(invocation.ArgumentList.WithArguments(
                positional ? arguments.Insert(position, added) : arguments.Add(added)));
            if (fix.Model.GetSpeculativeSymbolInfo(invocation.SpanStart, fixedCall, SpeculativeBindingOption.BindAsExpression).Symbol is IMethodSymbol bound
                && SymbolEqualityComparer.Default.Equals((bound.ReducedFrom ?? bound).OriginalDefinition, candidate.OriginalDefinition))
            {
                return fixedCall;
            }
        }

        return null;
    }

    private static Change? Bounded(Fix fix)
    {
        IInvocationOperation operation = fix.Operation;

        // Only where the awaited result is dropped: CloseGracefullyAsync returns a result where CloseAsync returned none.
        SyntaxNode? awaited = operation.Syntax.Parent is MemberAccessExpressionSyntax { Parent: InvocationExpressionSyntax configure } ? configure : operation.Syntax;
        if (awaited.Parent is not AwaitExpressionSyntax { Parent: ExpressionStatementSyntax })
        {
            return null;
        }

        // A truncation the close asked for goes into the options, with the timeout.
        InvocationExpressionSyntax? replaced = ToLibraryExtension(fix, "CloseGracefullyAsync", (status, reason, truncation, token) =>
            new[] { status, reason, Argument(truncation is null ? FiveSeconds() : CloseOptions(FiveSeconds(), truncation)), token });
        return replaced is null ? null : new Change(operation.Syntax, replaced, "Close with CloseGracefullyAsync and a 5-second timeout", BoundedKey);
    }

    private static InvocationExpressionSyntax FiveSeconds() =>
        InvocationExpression(
            Qualified("global::System.TimeSpan.FromSeconds"),
            ArgumentList(SingletonSeparatedList(Argument(LiteralExpression(SyntaxKind.NumericLiteralExpression, Literal(5))))));

    // `new WebSocketCloseOptions { Timeout = …, Truncation = … }`.
    private static ObjectCreationExpressionSyntax CloseOptions(ExpressionSyntax timeout, ExpressionSyntax truncation)
    {
        var options = (ObjectCreationExpressionSyntax)ParseExpression("new OPTIONS { Timeout = TIMEOUT, Truncation = TRUNCATION }");
        return options.ReplaceNodes(
            options.DescendantNodes().OfType<IdentifierNameSyntax>(),
            (original, _) => original.Identifier.ValueText switch
            {
                "OPTIONS" => ParseTypeName(Library + ".WebSocketCloseOptions").WithTriviaFrom(original).WithAdditionalAnnotations(Simplifier.Annotation),
                "TIMEOUT" => timeout.WithoutTrivia().WithTriviaFrom(original),
                "TRUNCATION" => truncation.WithoutTrivia().WithTriviaFrom(original),
                _ => original,
            });
    }

    /// <summary>
    /// A call of this library's WebSocket extension <paramref name="name"/> with the call's receiver, status, reason and token: as
    /// an extension where the namespace is imported, else as a static call. <paramref name="arguments"/> gets the truncation
    /// expression the call asks for (one other than a constant None), or <see langword="null"/>.
    /// </summary>
    private static InvocationExpressionSyntax? ToLibraryExtension(
        Fix fix,
        string name,
        System.Func<ArgumentSyntax, ArgumentSyntax, ExpressionSyntax?, ArgumentSyntax, ArgumentSyntax[]> arguments)
    {
        IInvocationOperation operation = fix.Operation;
        CloseApi api = fix.Api;
        var invocation = (InvocationExpressionSyntax)operation.Syntax;
        IArgumentOperation? status = CloseApi.Argument(operation, api.IsStatusType);
        IArgumentOperation? reason = CloseApi.ReasonArgument(operation);
        IArgumentOperation? token = CloseApi.Argument(operation, t => SymbolEqualityComparer.Default.Equals(t, api.CancellationToken));
        IArgumentOperation? truncation = api.TruncationArgument(operation);

        // The socket: the instance of System.Net's method, or the first argument of an extension, in either form.
        ExpressionSyntax? receiver = null;
        bool asExtension = invocation.Expression is MemberAccessExpressionSyntax;
        if (operation.Instance is not null)
        {
            receiver = (invocation.Expression as MemberAccessExpressionSyntax)?.Expression;
        }
        else if (operation.TargetMethod.IsExtensionMethod && operation.Arguments.FirstOrDefault() is { Parameter.Ordinal: 0 } self)
        {
            receiver = self.Syntax is ArgumentSyntax staticReceiver ? staticReceiver.Expression : (invocation.Expression as MemberAccessExpressionSyntax)?.Expression;
            asExtension &= self.Syntax is not ArgumentSyntax;
        }

        if (status?.Syntax is not ArgumentSyntax statusArgument || reason?.Syntax is not ArgumentSyntax reasonArgument
            || token?.Syntax is not ArgumentSyntax tokenArgument || receiver is null || api.Status is null
            || (truncation is not null && truncation.Syntax is not ArgumentSyntax && !truncation.IsImplicit))
        {
            return null;
        }

        ExpressionSyntax? asked = truncation is { Syntax: ArgumentSyntax t } && !CloseCallAnalyzer.IsNone(truncation.Value) ? t.Expression.WithoutTrivia() : null;
        asExtension &= fix.Model.LookupSymbols(invocation.SpanStart, operation.Instance?.Type ?? api.SystemNetWebSocket, name, includeReducedExtensionMethods: true)
            .Any(s => SymbolEqualityComparer.Default.Equals(s.ContainingType, api.Extensions));
        ArgumentSyntax libraryStatus = Argument(LibraryStatus(statusArgument.Expression, status.Value, api, asExtension));
        ArgumentSyntax[] list = arguments(libraryStatus, reasonArgument.WithNameColon(null), asked, tokenArgument.WithNameColon(null));
        if (asExtension)
        {
            var member = (MemberAccessExpressionSyntax)invocation.Expression;
            return invocation.WithExpression(member.WithName(IdentifierName(name))).WithArgumentList(ArgumentList(SeparatedList(list)));
        }

        return InvocationExpression(Qualified(Library + ".WebSocketExtensions." + name), ArgumentList(SeparatedList(new[] { Argument(receiver.WithoutTrivia()) }.Concat(list))))
            .WithTriviaFrom(invocation);
    }

    // The same code in this library's enum: its member of the same name, or ToCloseStatus() of anything else. 1005 (Empty)
    // becomes 1000, as WSCS001's fix makes it: System.Net put it on the wire, and this library's close refuses it.
    private static ExpressionSyntax LibraryStatus(ExpressionSyntax expression, IOperation value, CloseApi api, bool asExtension)
    {
        IOperation unwrapped = value is IConversionOperation { IsImplicit: true } c ? c.Operand : value;
        if (SymbolEqualityComparer.Default.Equals(unwrapped.Type, api.Status))
        {
            return expression;
        }

        if (IsEmpty(unwrapped))
        {
            return Qualified(Library + ".WebSocketCloseStatus.NormalClosure").WithTriviaFrom(expression);
        }

        if (unwrapped is IFieldReferenceOperation field && api.Status!.GetMembers(field.Field.Name).OfType<IFieldSymbol>().Any())
        {
            return Qualified(Library + ".WebSocketCloseStatus." + field.Field.Name).WithTriviaFrom(expression);
        }

        if (asExtension)
        {
            ExpressionSyntax receiver = expression.WithoutTrivia() is var e && e is IdentifierNameSyntax or MemberAccessExpressionSyntax or InvocationExpressionSyntax or ParenthesizedExpressionSyntax
                ? e
                : ParenthesizedExpression(e);
            return InvocationExpression(MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, receiver, IdentifierName("ToCloseStatus")));
        }

        return InvocationExpression(Qualified(Library + ".WebSocketCloseStatusExtensions.ToCloseStatus"), ArgumentList(SingletonSeparatedList(Argument(expression.WithoutTrivia()))));
    }

    private static bool IsEmpty(IOperation value) =>
        value.ConstantValue is { HasValue: true, Value: { } code } && System.Convert.ToInt64(code, System.Globalization.CultureInfo.InvariantCulture) == CloseCodes.Empty;

    // The parameter of type `type` at `ordinal` in an overload that is `method` with that parameter's type changed.
    private static IParameterSymbol? OverloadWith(IMethodSymbol method, int ordinal, INamedTypeSymbol type)
    {
        foreach (IMethodSymbol candidate in method.ContainingType.GetMembers(method.Name).OfType<IMethodSymbol>())
        {
            if (candidate.Parameters.Length == method.Parameters.Length
                && SymbolEqualityComparer.Default.Equals(candidate.Parameters[ordinal].Type, type)
                && candidate.Parameters.Where(p => p.Ordinal != ordinal).Select(p => p.Type)
                    .SequenceEqual(method.Parameters.Where(p => p.Ordinal != ordinal).Select(p => p.Type), SymbolEqualityComparer.Default))
            {
                return candidate.Parameters[ordinal];
            }
        }

        return null;
    }

    private static IOperation Unwrap(IOperation value)
    {
        while (value is IParenthesizedOperation or IConversionOperation { IsImplicit: true })
        {
            value = value is IParenthesizedOperation p ? p.Operand : ((IConversionOperation)value).Operand;
        }

        return value;
    }

    private static ExpressionSyntax Qualified(string name) => ParseExpression(name).WithAdditionalAnnotations(Simplifier.Annotation);

    /// <summary>One diagnostic's call, and what its fix needs.</summary>
    private sealed class Fix(SemanticModel model, IInvocationOperation operation, CloseApi api)
    {
        public SemanticModel Model { get; } = model;

        public IInvocationOperation Operation { get; } = operation;

        public CloseApi Api { get; } = api;
    }

    /// <summary>A fix: <see cref="Node"/> becomes <see cref="Replacement"/>; <see cref="Key"/> is its equivalence key, one per kind of fix.</summary>
    private sealed class Change(SyntaxNode node, SyntaxNode replacement, string title, string key)
    {
        public SyntaxNode Node { get; } = node;

        public SyntaxNode Replacement { get; } = replacement;

        public string Title { get; } = title;

        public string Key { get; } = key;
    }
}
