using System;
using System.Reflection;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;
using System.Runtime.Versioning;

namespace WebSockets.CloseStatus.Fuzz;

/// <summary>Which UTF-8 validator path the library under test takes in this process, for the utf8-* modes' output.</summary>
internal static class ValidatorPath
{
    /// <summary>The path's name, as the library's own dispatch chooses it (the runtime's switches narrow it).</summary>
    public static string Describe()
    {
        // The netstandard2.0 build (-p:LibraryTargetFramework=netstandard2.0) has the scalar loop only.
        string? framework = typeof(ClosePayload).Assembly.GetCustomAttribute<TargetFrameworkAttribute>()?.FrameworkName;
        return framework?.StartsWith(".NETStandard", StringComparison.Ordinal) == true ? "scalar (netstandard2.0 build)"
            : Vector512.IsHardwareAccelerated && Avx512BW.IsSupported ? "512-bit"
            : Avx2.IsSupported ? "256-bit"
            : Ssse3.IsSupported ? "128-bit (SSSE3)"
            : AdvSimd.Arm64.IsSupported ? "128-bit (Arm64 AdvSimd)"
            : "scalar";
    }
}
