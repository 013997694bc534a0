using System;
using System.IO;
using SharpFuzz;
using WebSockets.CloseStatus.Fuzz;

// wsclose-fuzz <payload|frame|write|handshake>       run under afl-fuzz (run.sh starts it)
// wsclose-fuzz <target> --repro FILE...              run the target on saved inputs, as the unit tests do
// wsclose-fuzz utf8-exhaustive                        all 2^32 four-byte sequences against Utf8.IsValid (long-running)
if (args is ["utf8-exhaustive"])
{
    return Utf8Exhaustive.Run();
}

if (args.Length == 0 || !FuzzTargets.TryGet(args[0], out Action<byte[]>? target))
{
    Console.Error.WriteLine($"usage: WebSockets.CloseStatus.Fuzz <{string.Join('|', FuzzTargets.Names)}> [--repro FILE...]");
    return 2;
}

if (args.Length > 1 && args[1] == "--repro")
{
    foreach (string file in args[2..])
    {
        target(File.ReadAllBytes(file));
        Console.WriteLine($"ok: {file}");
    }

    return 0;
}

Fuzzer.OutOfProcess.Run(stream =>
{
    using var buffer = new MemoryStream();
    stream.CopyTo(buffer);
    target(buffer.ToArray());
});
return 0;
