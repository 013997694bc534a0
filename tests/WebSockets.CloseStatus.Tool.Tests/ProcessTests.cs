using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using FluentAssertions;
using Xunit;

namespace WebSockets.CloseStatus.Tool.Tests;

/// <summary>The built tool, run as a process, as a user runs it in a pipeline.</summary>
public class ProcessTests
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(60);

    [Theory]
    [InlineData(0, "explain", "1000")]
    [InlineData(0, "explain", "4001")]
    [InlineData(0, "explain", "1006")]
    [InlineData(0, "explain", "2000")]
    [InlineData(0, "explain", "0")]
    [InlineData(2, "explain", "70000")]
    [InlineData(2, "explain", "-1")]
    [InlineData(2, "explain", "bogus")]
    [InlineData(0, "decode", "03 e8 62 79 65")]
    [InlineData(0, "decode", "")]
    [InlineData(1, "decode", "03 ed")]
    [InlineData(1, "decode", "--frame", "88 02 03")]
    [InlineData(2, "decode", "zz")]
    [InlineData(0, "encode", "1000", "bye")]
    [InlineData(1, "encode", "1006")]
    [InlineData(2, "encode", "nope")]
    [InlineData(2, "encode", "1000", "--mask", "12")]
    [InlineData(0, "list")]
    [InlineData(2, "bogus")]
    [InlineData(2)]
    public void ExitCodes_AreTheDocumentedOnes_InTextAndJson(int expected, params string[] args)
    {
        Run(null, args).Exit.Should().Be(expected);
        if (args.Length > 0 && args[0] != "bogus")
        {
            Run(null, [.. args, "--json"]).Exit.Should().Be(expected, "--json does not change the exit code");
        }
    }

    [Fact]
    public void Bogus_Command_PrintsOneError()
    {
        (_, _, string stderr) = Run(null, "bogus");

        stderr.TrimEnd().Split('\n').Should().ContainSingle().Which.Should().Contain("'bogus'");
    }

    [Fact]
    public void Stdin_OneOutputLinePerInputLine_BlankLinesIncluded_ExitIsTheWorst()
    {
        (int exit, string stdout, _) = Run("1000\n\n1006\n\nbogus\n", "explain");

        Lines(stdout).Should().HaveCount(5);
        Lines(stdout)[1].Should().StartWith("usage error: an empty line is not a close code");
        exit.Should().Be(2);

        (exit, stdout, _) = Run("03 e8\n\n03 ed\n", "decode", "--json");
        Lines(stdout).Should().HaveCount(3);
        Lines(stdout)[1].Should().Contain("\"status\":1005", "a blank line is an empty payload, as decode \"\" is");
        Lines(stdout)[2].Should().Contain("\"status\":1005").And.Contain("\"error\":\"InvalidStatus\"");
        exit.Should().Be(1);
    }

    [Fact]
    public void Stdin_NoInput_IsAUsageError_NotSilentSuccess()
    {
        (int exit, string stdout, string stderr) = Run("", "explain");

        exit.Should().Be(2);
        stdout.Should().BeEmpty();
        stderr.Should().Contain("no input");
    }

    [Fact]
    public async Task Stdin_SlowProducer_EachResultAppearsBeforeTheInputEnds()
    {
        using Process process = Start("explain");

        foreach ((string input, string expected) in new[] { ("1000", "1000 NormalClosure"), ("going away", "1001 EndpointUnavailable"), ("4001", "4001 -") })
        {
            await process.StandardInput.WriteLineAsync(input);
            await process.StandardInput.FlushAsync();
            string? line = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(20));
            line.Should().StartWith(expected, "the answer to {0} comes while stdin is still open", input);
        }

        process.StandardInput.Close();
        process.WaitForExit(60_000).Should().BeTrue();
        process.ExitCode.Should().Be(0);
    }

    [Fact]
    public async Task Stdin_FiftyMegabytes_StreamInBoundedMemory()
    {
        // 125-byte payloads in hex: 375 bytes a line, about 140,000 lines.
        string payload = "03 E8 " + string.Join(' ', Enumerable.Repeat("D0 B6", 61)) + " 61";
        byte[] line = Encoding.ASCII.GetBytes(payload + "\n");
        int lines = (50 * 1024 * 1024) / line.Length;
        using Process process = Start("decode");
        var counter = new LineCounter();
        Task<int> counting = counter.CountAsync(process.StandardOutput);

        Stream stdin = process.StandardInput.BaseStream;
        byte[] chunk = [.. Enumerable.Range(0, 1000).SelectMany(_ => line)];
        int expectedLines = 0;
        for (; expectedLines < lines; expectedLines += 1000)
        {
            await stdin.WriteAsync(chunk);
        }

        await stdin.FlushAsync();

        // Every line is answered while stdin is still open; then the peak is read from the live process.
        var deadline = DateTime.UtcNow + s_timeout;
        while (counter.Lines < expectedLines && DateTime.UtcNow < deadline && !counting.IsCompleted)
        {
            await Task.Delay(50);
        }

        counter.Lines.Should().Be(expectedLines, "each line is answered before the input ends");
        process.Refresh();
        long peak = process.PeakWorkingSet64;
        process.StandardInput.Close();
        (await counting.WaitAsync(s_timeout)).Should().Be(expectedLines);
        process.WaitForExit(60_000).Should().BeTrue();

        process.ExitCode.Should().Be(0);
        peak.Should().BeLessThan(80L * 1024 * 1024, "memory stays flat over {0} MB of input (peak {1} MB)", expectedLines * line.Length / (1024 * 1024), peak / (1024 * 1024));
    }

    [Fact]
    public void Stdin_OverlongLine_GetsAOneLineError_AndTheStreamGoesOn()
    {
        string input = "1000\n" + new string('7', 1024 * 1024) + "\n1001\n";

        (int exit, string stdout, _) = Run(input, "explain");

        string[] output = Lines(stdout);
        output.Should().HaveCount(3);
        output[0].Should().StartWith("1000 ");
        output[1].Should().Be("usage error: line 2 is 1048576 bytes long; lines are at most 4096 bytes.");
        output[2].Should().StartWith("1001 ");
        exit.Should().Be(2);
    }

    [Fact]
    public void Errors_QuoteAShortEscapedExcerpt_NeverRawBytes()
    {
        string input = "\u001b[31mred\u001b[0m\n" + new string('x', 3000) + "\n\u0007\u0000\u00ff\ufffe\n";

        (int exit, string stdout, string stderr) = Run(input, "explain");

        string[] output = Lines(stdout);
        output.Should().HaveCount(3);
        output[0].Should().Contain("\\u001B[31mred\\u001B[0m");
        output[1].Length.Should().BeLessThan(160);
        output[1].Should().Contain("… (3000 characters)");
        (stdout + stderr).Where(c => char.IsControl(c) && c is not '\n' and not '\r').Should().BeEmpty();
        exit.Should().Be(2);

        (_, _, stderr) = Run(null, "decode", new string('z', 5000));
        stderr.Length.Should().BeLessThan(200);
    }

    [Fact]
    public void Stdin_RawBinaryGarbage_OneEscapedErrorLinePerLine()
    {
        // Bytes that are not UTF-8 at all (FF, C0 80, a lone continuation byte), NUL and an escape sequence.
        byte[] input = [0xFF, 0xFE, 0x00, 0x1B, (byte)'[', (byte)'2', (byte)'J', (byte)'\n', 0xC0, 0x80, 0x80, (byte)'\n', (byte)'1', (byte)'0', (byte)'0', (byte)'0', (byte)'\n'];

        (int exit, string stdout, string stderr) = RunBytes(input, "explain");

        string[] output = Lines(stdout);
        output.Should().HaveCount(3);
        output[0].Should().StartWith("usage error: \"\uFFFD\uFFFD\\u0000\\u001B[2J\" is not a close code");
        output[2].Should().StartWith("1000 NormalClosure");
        (stdout + stderr).Where(c => char.IsControl(c) && c is not '\n' and not '\r').Should().BeEmpty();
        exit.Should().Be(2);
    }

    private sealed class LineCounter
    {
        private int _lines;

        public int Lines => Volatile.Read(ref _lines);

        public async Task<int> CountAsync(StreamReader output)
        {
            while (await output.ReadLineAsync() is { } line)
            {
                if (!line.StartsWith("1000 NormalClosure", StringComparison.Ordinal))
                {
                    throw new InvalidOperationException("unexpected output line: " + line);
                }

                Interlocked.Increment(ref _lines);
            }

            return Lines;
        }
    }

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToArray();

    private static Process Start(params string[] args)
    {
        string tool = Path.Combine(AppContext.BaseDirectory, "wsclose.dll");
        File.Exists(tool).Should().BeTrue();
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        start.ArgumentList.Add(tool);
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        return Process.Start(start)!;
    }

    private static (int Exit, string Stdout, string Stderr) Run(string? stdin, params string[] args) =>
        RunBytes(stdin is null ? null : Encoding.UTF8.GetBytes(stdin), args);

    private static (int Exit, string Stdout, string Stderr) RunBytes(byte[]? stdin, params string[] args)
    {
        using Process process = Start(args);
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            process.StandardInput.BaseStream.Write(stdin);
        }

        process.StandardInput.Close();
        process.WaitForExit(60_000).Should().BeTrue();
        return (process.ExitCode, stdout.Result, stderr.Result);
    }
}
