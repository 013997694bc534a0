using System.Reflection;
using System.Runtime.Versioning;
using FluentAssertions;
using Xunit;

namespace WebSockets.CloseStatus.Tests;

/// <summary>Proves which build of the library this test assembly runs against.</summary>
public class BuildUnderTestTests
{
#if LIBRARY_NETSTANDARD2_0
    private const string Expected = ".NETStandard,Version=v2.0";
#else
    private const string Expected = ".NETCoreApp,Version=v10.0";
#endif

    [Fact]
    public void LibraryAssembly_TargetFramework_IsTheBuildThisProjectTests()
    {
        string? framework = typeof(WebSocketCloseStatus).Assembly.GetCustomAttribute<TargetFrameworkAttribute>()?.FrameworkName;

        framework.Should().Be(Expected);
    }
}
