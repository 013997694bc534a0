using System.Collections.Immutable;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace WebSockets.CloseStatus.Analyzers;

/// <summary>
/// Finds close mistakes the compiler can see: a constant status that must not be sent, a constant reason over 123
/// UTF-8 bytes, an integer cast to a code no one may send, and <c>CloseAsync</c> awaited with a token that never
/// cancels. Only what the compiler folds to a constant is judged; a value it cannot know is never reported.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class CloseCallAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        Rules.UnsendableSystemNetStatus, Rules.ReasonTooLong, Rules.UnsendableStatus, Rules.UnsendableCast, Rules.CloseWithoutTimeout);

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            if (CloseApi.From(start.Compilation) is { } api)
            {
                start.RegisterOperationAction(c => AnalyzeInvocation(c, api), OperationKind.Invocation);
                start.RegisterOperationAction(c => AnalyzeConversion(c, api), OperationKind.Conversion);
            }
        });
    }

    private static void AnalyzeConversion(OperationAnalysisContext context, CloseApi api)
    {
        // Any integer cast to a close status that cannot be a 16-bit code at all, wherever it stands.
        var conversion = (IConversionOperation)context.Operation;
        if (!conversion.IsImplicit && api.IsStatusType(conversion.Type) && IntegerConstant(conversion.Operand) is long value && !CloseCodes.IsInRange(value))
        {
            context.ReportDiagnostic(Diagnostic.Create(Rules.UnsendableCast, conversion.Syntax.GetLocation(), value, conversion.Type!.Name, "is outside 0–65535, so it is no close code"));
        }
    }

    private static void AnalyzeInvocation(OperationAnalysisContext context, CloseApi api)
    {
        var invocation = (IInvocationOperation)context.Operation;
        CloseCallKind kind = api.Classify(invocation.TargetMethod);
        if (kind == CloseCallKind.None)
        {
            return;
        }

        IArgumentOperation? status = CloseApi.Argument(invocation, api.IsStatusType);
        IArgumentOperation? reason = CloseApi.ReasonArgument(invocation);
        string methodName = invocation.TargetMethod.Name;

        if (status is not null)
        {
            CheckStatus(context, api, kind, status, reason, methodName);
        }

        if (reason is not null && ConstantReasonLength(reason.Value) is int length && length > CloseApi.MaxReasonLength && !AsksForTruncation(invocation, api))
        {
            context.ReportDiagnostic(Diagnostic.Create(Rules.ReasonTooLong, reason.Syntax.GetLocation(), length, methodName));
        }

        // WebSocketCloser.CloseAsync is bounded by its own timeout, whatever its token.
        if (kind is CloseCallKind.SystemNet or CloseCallKind.SystemNetExtension
            && methodName == "CloseAsync"
            && !SymbolEqualityComparer.Default.Equals(invocation.TargetMethod.ContainingType, api.Closer)
            && IsAwaited(invocation)
            && CloseApi.Argument(invocation, t => SymbolEqualityComparer.Default.Equals(t, api.CancellationToken)) is { } token
            && NeverCancels(token.Value, api))
        {
            context.ReportDiagnostic(Diagnostic.Create(Rules.CloseWithoutTimeout, invocation.Syntax.GetLocation(), methodName));
        }
    }

    private static void CheckStatus(OperationAnalysisContext context, CloseApi api, CloseCallKind kind, IArgumentOperation status, IArgumentOperation? reason, string methodName)
    {
        IOperation value = status.Value;
        if (value.ConstantValue is not { HasValue: true, Value: { } constant })
        {
            return;
        }

        long code = System.Convert.ToInt64(constant, System.Globalization.CultureInfo.InvariantCulture);
        if (CloseCodes.IsSendable(code) || !CloseCodes.IsInRange(code))
        {
            return; // out of range: the conversion check reports the cast itself
        }

        // This library's writers and CloseHandshake.WriteClose write Empty as an empty payload when there is no reason.
        // Only a reason the compiler knows to be there makes it a mistake.
        if (code == CloseCodes.Empty && kind == CloseCallKind.Writer && (reason is null || ConstantReasonLength(reason.Value) is not > 0))
        {
            return;
        }

        string why = code == CloseCodes.Empty && kind == CloseCallKind.Writer ? "1005 (Empty) is written as an empty payload, which cannot carry a reason" : CloseCodes.WhyNot(code);
        if (CastFromInteger(value) is { } cast)
        {
            context.ReportDiagnostic(Diagnostic.Create(Rules.UnsendableCast, cast.Syntax.GetLocation(), code, cast.Type!.Name, $"must not be sent in a close frame, and {methodName} sends it: {why}"));
            return;
        }

        string described = CloseCodes.Describe(code, MemberName(value));
        if (kind == CloseCallKind.SystemNet)
        {
            string effect = code is CloseCodes.Empty or 1004 || code > 4999 || code is >= 1016 and < 3000
                ? $"{why}, and {methodName} puts it on the wire as it is"
                : $"{why}, and {methodName} throws ArgumentException for it";
            context.ReportDiagnostic(Diagnostic.Create(Rules.UnsendableSystemNetStatus, status.Syntax.GetLocation(), described, effect));
        }
        else
        {
            context.ReportDiagnostic(Diagnostic.Create(Rules.UnsendableStatus, status.Syntax.GetLocation(), described, $"{why}; {methodName}"));
        }
    }

    private static string? MemberName(IOperation value) =>
        Unwrap(value) is IFieldReferenceOperation { Field: { ContainingType.TypeKind: TypeKind.Enum } field } ? field.Name : null;

    private static IConversionOperation? CastFromInteger(IOperation value) =>
        Unwrap(value) is IConversionOperation { IsImplicit: false } conversion && IntegerConstant(conversion.Operand) is not null ? conversion : null;

    private static IOperation Unwrap(IOperation value)
    {
        while (value is IParenthesizedOperation or IConversionOperation { IsImplicit: true })
        {
            value = value is IParenthesizedOperation p ? p.Operand : ((IConversionOperation)value).Operand;
        }

        return value;
    }

    private static long? IntegerConstant(IOperation operand) =>
        operand.Type?.SpecialType is >= SpecialType.System_SByte and <= SpecialType.System_UInt64
        && operand.ConstantValue is { HasValue: true, Value: { } value }
            ? System.Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture)
            : null;

    /// <summary>The UTF-8 length of a reason the compiler knows: a constant string (null is none) or a <c>u8</c> literal; otherwise null.</summary>
    internal static int? ConstantReasonLength(IOperation value)
    {
        IOperation operand = Unwrap(value);
        if (operand is IUtf8StringOperation utf8)
        {
            return Encoding.UTF8.GetByteCount(utf8.Value);
        }

        if (operand.ConstantValue is { HasValue: true } constant && (operand.Type?.SpecialType == SpecialType.System_String || constant.Value is null))
        {
            return constant.Value is string text ? Encoding.UTF8.GetByteCount(text) : 0;
        }

        return null;
    }

    // A truncation other than a constant None asks for one; so may options, unless they are created on the spot
    // without a Truncation other than None (CloseGracefullyAsync's WebSocketCloseOptions overload).
    private static bool AsksForTruncation(IInvocationOperation invocation, CloseApi api)
    {
        if (api.TruncationArgument(invocation) is { } truncation)
        {
            return !IsNone(truncation.Value);
        }

        return api.OptionsArgument(invocation) is { } options && !OptionsWithoutTruncation(options.Value);
    }

    /// <summary>Whether <paramref name="value"/> is the constant <c>CloseReasonTruncation.None</c>.</summary>
    internal static bool IsNone(IOperation value) => value.ConstantValue is { HasValue: true, Value: 0 };

    /// <summary>Whether options are known not to truncate: <see langword="null"/>, or created here without a Truncation other than None.</summary>
    internal static bool OptionsWithoutTruncation(IOperation value) => Unwrap(value) switch
    {
        IObjectCreationOperation creation => creation.Initializer is null || !creation.Initializer.Initializers.Any(
            i => i is ISimpleAssignmentOperation { Target: IPropertyReferenceOperation { Property.Name: "Truncation" } } assignment && !IsNone(assignment.Value)),
        { ConstantValue: { HasValue: true, Value: null } } => true,
        _ => false,
    };

    private static bool IsAwaited(IOperation operation)
    {
        IOperation? parent = operation.Parent;
        if (parent is IInvocationOperation { TargetMethod.Name: "ConfigureAwait" } configure && ReferenceEquals(configure.Instance, operation))
        {
            parent = configure.Parent;
        }

        return parent is IAwaitOperation;
    }

    // CancellationToken.None, default, new CancellationToken() and new CancellationToken(false) never cancel.
    private static bool NeverCancels(IOperation token, CloseApi api) => Unwrap(token) switch
    {
        IDefaultValueOperation => true,
        IPropertyReferenceOperation { Property.Name: "None" } property => SymbolEqualityComparer.Default.Equals(property.Property.ContainingType, api.CancellationToken),
        IObjectCreationOperation creation => creation.Arguments.All(a => a.Value.ConstantValue is { HasValue: true, Value: false }),
        _ => false,
    };
}
