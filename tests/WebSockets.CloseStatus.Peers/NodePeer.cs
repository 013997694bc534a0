using System;
using System.Diagnostics;
using System.IO;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace WebSockets.CloseStatus.Peers;

/// <summary>A Node process speaking JSON lines: requests on stdin, one result line per connection on stdout.</summary>
internal sealed class NodePeer : IDisposable
{
    private readonly Process _process;

    private NodePeer(Process process) => _process = process;

    public static NodePeer Start(string nodeDirectory, string script, params string[] arguments) =>
        Launch("node", nodeDirectory, script, arguments);

    /// <summary>Another interpreter speaking the same JSON lines (the relay's Python backend).</summary>
    public static NodePeer Launch(string executable, string directory, string script, params string[] arguments)
    {
        var start = new ProcessStartInfo(executable)
        {
            WorkingDirectory = directory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = false,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(script);
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return new NodePeer(Process.Start(start) ?? throw new InvalidOperationException("node did not start"));
    }

    public Task SendAsync(object message) => _process.StandardInput.WriteLineAsync(JsonSerializer.Serialize(message)).WaitAsync(TimeSpan.FromSeconds(5));

    /// <summary>The next line, within <paramref name="timeout"/>.</summary>
    public async Task<JsonElement> ReadAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        string line = await _process.StandardOutput.ReadLineAsync(cancel.Token)
            ?? throw new EndOfStreamException($"the peer ({_process.StartInfo.ArgumentList[0]}) exited with {(_process.WaitForExit(2000) ? _process.ExitCode : -1)}");
        return JsonDocument.Parse(line).RootElement.Clone();
    }

    public void Dispose()
    {
        try
        {
            _process.StandardInput.Close();
            if (!_process.WaitForExit(5000))
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }

        _process.Dispose();
    }
}
