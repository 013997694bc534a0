using System;
using System.IO;

namespace WebSockets.CloseStatus.Tests.TestData;

/// <summary>The checkout the tests run from, for tests that read its files (README, fuzz corpus).</summary>
public static class RepositoryRoot
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "WebSocketCloseStatus.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("The repository root (WebSocketCloseStatus.sln) is not above " + AppContext.BaseDirectory);
    }
}
