#if !NETCOREAPP3_0_OR_GREATER
// The flow-analysis attribute that netstandard2.0 lacks; the compiler matches it by name.
namespace System.Diagnostics.CodeAnalysis;

/// <summary>Applied to a method that never returns normally.</summary>
[AttributeUsage(AttributeTargets.Method, Inherited = false)]
internal sealed class DoesNotReturnAttribute : Attribute
{
}
#endif
