using System;
using System.Diagnostics;
using System.IO;
using FluentAssertions;
using Xunit;

namespace WebSockets.CloseStatus.Tool.Tests;

/// <summary>The built tool, run as a process, as a user runs it.</summary>
public class ProcessTests
{
    [Fact]
    public void Process_Explain_Decode_StdinAndExitCodes()
    {
        (int exit, string stdout, _) = Run(null, "explain", "1006");
        exit.Should().Be(0);
        stdout.Should().StartWith("1006 AbnormalClosure: Abnormal Closure");

        (exit, stdout, _) = Run("03 e8 62 79 65\n03 e8 c0 80\n", "decode");
        exit.Should().Be(1);
        stdout.Should().Contain("1000 NormalClosure \"bye\"").And.Contain("answer with 1007");

        (exit, _, string stderr) = Run(null, "encode", "nope");
        exit.Should().Be(2);
        stderr.Should().Contain("'nope' is not a close code");
    }

    private static (int Exit, string Stdout, string Stderr) Run(string? stdin, params string[] args)
    {
        string tool = Path.Combine(AppContext.BaseDirectory, "wsclose.dll");
        File.Exists(tool).Should().BeTrue();
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(tool);
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using Process process = Process.Start(start)!;
        if (stdin is not null)
        {
            process.StandardInput.Write(stdin);
        }

        process.StandardInput.Close();
        string stdout = process.StandardOutput.ReadToEnd();
        string stderr = process.StandardError.ReadToEnd();
        process.WaitForExit(60_000).Should().BeTrue();
        return (process.ExitCode, stdout, stderr);
    }
}
