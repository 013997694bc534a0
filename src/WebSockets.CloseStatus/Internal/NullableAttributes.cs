#if !NETCOREAPP3_0_OR_GREATER
// The flow-analysis attributes that netstandard2.0 lacks; the compiler matches them by name.
namespace System.Diagnostics.CodeAnalysis;

/// <summary>Applied to a method that never returns normally.</summary>
[AttributeUsage(AttributeTargets.Method, Inherited = false)]
internal sealed class DoesNotReturnAttribute : Attribute
{
}

/// <summary>Applied to an out parameter that is not null when the method returns the given value.</summary>
[AttributeUsage(AttributeTargets.Parameter, Inherited = false)]
internal sealed class NotNullWhenAttribute : Attribute
{
    public NotNullWhenAttribute(bool returnValue) => ReturnValue = returnValue;

    public bool ReturnValue { get; }
}
#endif
