using System;

namespace WebSockets.CloseStatus.Tool;

internal static class Program
{
    private static int Main(string[] args) =>
        new Cli(Console.OpenStandardInput(), Console.IsInputRedirected, Console.Out, Console.Error).Run(args);
}
