using System.IO;

namespace WebSockets.CloseStatus.Tool.Tests;

/// <summary>Runs wsclose in-process with captured output.</summary>
internal static class CliRunner
{
    public sealed record Output(int ExitCode, string Stdout, string Stderr);

    public static Output Run(params string[] args) => Run(stdin: null, args);

    public static Output RunWithStdin(string stdin, params string[] args) => Run(stdin, args);

    private static Output Run(string? stdin, string[] args)
    {
        using var input = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(stdin ?? ""));
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        int exit = new Cli(input, stdinRedirected: stdin is not null, stdout, stderr).Run(args);
        return new Output(exit, stdout.ToString(), stderr.ToString());
    }
}
