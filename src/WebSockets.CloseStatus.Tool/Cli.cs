using System;
using System.CommandLine;
using System.IO;
using System.Linq;

namespace WebSockets.CloseStatus.Tool;

/// <summary>The <c>wsclose</c> command line. In stdin mode it is a filter: one output line per input line, printed as soon as the line is read.</summary>
internal sealed class Cli
{
    private readonly Stream _stdin;
    private readonly bool _stdinRedirected;
    private readonly TextWriter _stdout;
    private readonly TextWriter _stderr;

    public Cli(Stream stdin, bool stdinRedirected, TextWriter stdout, TextWriter stderr)
    {
        _stdin = stdin;
        _stdinRedirected = stdinRedirected;
        _stdout = stdout;
        _stderr = stderr;
    }

    public int Run(string[] args)
    {
        var json = new Option<bool>("--json") { Description = "Print machine-readable JSON (one object per line in stdin mode).", Recursive = true };

        var explainCode = new Argument<string?>("code") { Description = "A code (1006) or a name (AbnormalClosure, abnormal-closure, \"Going Away\"). Omit it, or pass -, to read one per line from stdin.", Arity = ArgumentArity.ZeroOrOne };
        var explain = new Command("explain", "Explain a close code: meaning, range, whether it may be sent, who sends it, what to check.") { explainCode };
        explain.SetAction(parse => Answer(parse.GetValue(json), parse.GetValue(explainCode), "explain needs a code", Commands.Explain));

        var list = new Command("list", "List the codes 1000-1015 and the ranges of the close code space.");
        list.SetAction(parse => PrintOne(parse.GetValue(json), Commands.List()));

        var decodeHex = new Argument<string?>("hex") { Description = "A close payload (or frame, with --frame) as hex: \"03 e8 62 79 65\", \"03:E8\", \"0x03e8\". Omit it, or pass -, to read one per line from stdin.", Arity = ArgumentArity.ZeroOrOne };
        var decodeFrame = new Option<bool>("--frame") { Description = "The hex is a complete close frame (masked or not), not just its payload." };
        var decode = new Command("decode", "Decode a close payload or frame from hex.") { decodeHex, decodeFrame };
        decode.SetAction(parse =>
        {
            bool frame = parse.GetValue(decodeFrame);
            return Answer(parse.GetValue(json), parse.GetValue(decodeHex), "decode needs hex", hex => Commands.Decode(hex, frame));
        });

        var encodeCode = new Argument<string?>("code") { Description = "The status, by number or name. Omit it, or pass -, to read \"code [reason]\" lines from stdin.", Arity = ArgumentArity.ZeroOrOne };
        var encodeReason = new Argument<string?>("reason") { Description = "The closing reason.", Arity = ArgumentArity.ZeroOrOne };
        var encodeFrame = new Option<bool>("--frame") { Description = "Write a complete close frame (a server's, unmasked, unless a mask is given)." };
        var encodeMask = new Option<string?>("--mask") { Description = "Write a client's frame masked with this key: 8 hex digits." };
        var encodeRandomMask = new Option<bool>("--random-mask") { Description = "Write a client's frame masked with a random key." };
        var encodeTruncate = new Option<bool>("--truncate") { Description = "Cut a reason over 123 UTF-8 bytes at a character boundary and end it with \"…\"." };
        var encode = new Command("encode", "Encode a close payload or frame as hex.") { encodeCode, encodeReason, encodeFrame, encodeMask, encodeRandomMask, encodeTruncate };
        encode.SetAction(parse =>
        {
            bool frame = parse.GetValue(encodeFrame);
            string? mask = parse.GetValue(encodeMask);
            bool randomMask = parse.GetValue(encodeRandomMask);
            bool truncate = parse.GetValue(encodeTruncate);
            string? code = parse.GetValue(encodeCode);
            string? reason = parse.GetValue(encodeReason);
            if (code is not null && code != "-")
            {
                return PrintOne(parse.GetValue(json), Commands.Encode(code, reason, frame, mask, randomMask, truncate));
            }

            return Answer(parse.GetValue(json), null, "encode needs a code", line =>
            {
                string trimmed = line.Trim();
                int space = trimmed.IndexOfAny([' ', '\t']);
                return space < 0
                    ? Commands.Encode(trimmed, null, frame, mask, randomMask, truncate)
                    : Commands.Encode(trimmed[..space], trimmed[(space + 1)..], frame, mask, randomMask, truncate);
            });
        });

        var root = new RootCommand("wsclose: explain, decode and encode WebSocket close codes and frames (RFC 6455).")
        {
            explain, list, decode, encode,
        };
        root.Options.Add(json);

        ParseResult parseResult = root.Parse(args);
        if (parseResult.Errors.Count > 0)
        {
            // One message: the parser's first error, or the unknown word, which says more than "no command given".
            System.CommandLine.Parsing.ParseError error = parseResult.Errors.FirstOrDefault(e => e.Message.StartsWith("Unrecognized", StringComparison.Ordinal))
                ?? parseResult.Errors[0];
            _stderr.WriteLine($"wsclose: {error.Message} Run 'wsclose --help' for usage.");
            return Result.Usage;
        }

        if (parseResult.CommandResult.Command == root && !args.Any(a => a is "-h" or "--help" or "-?" or "--version"))
        {
            _stderr.WriteLine("wsclose: name a command: explain, list, decode or encode. Run 'wsclose --help' for usage.");
            return Result.Usage;
        }

        return parseResult.Invoke(new InvocationConfiguration { Output = _stdout, Error = _stderr });
    }

    /// <summary>Answers the argument, or with none, every line of standard input, each as soon as it is read.</summary>
    private int Answer(bool json, string? argument, string missing, Func<string, Result> answer)
    {
        // "-" names standard input, as in most Unix tools.
        if (argument is not null && argument != "-")
        {
            return PrintOne(json, answer(argument));
        }

        string usage = $"wsclose: {missing}, or input on standard input, one per line. Run 'wsclose --help' for usage.";
        if (!_stdinRedirected)
        {
            _stderr.WriteLine(usage);
            return Result.Usage;
        }

        var reader = new LineReader(_stdin);
        int worst = -1;
        long number = 0;
        while (reader.TryReadLine(out string line, out long length))
        {
            number++;
            Result result = length > LineReader.MaxLineBytes
                ? Commands.Usage($"line {number} is {length} bytes long; lines are at most {LineReader.MaxLineBytes} bytes.")
                : answer(line);

            // One line per input line, whatever it says, so that output lines stay aligned with input lines.
            _stdout.WriteLine(json ? result.Json : result.Line);
            _stdout.Flush();
            worst = Math.Max(worst, result.ExitCode);
        }

        if (number == 0)
        {
            _stderr.WriteLine(usage.Replace("wsclose: ", "wsclose: no input: ", StringComparison.Ordinal));
            return Result.Usage;
        }

        return worst;
    }

    private int PrintOne(bool json, Result result)
    {
        if (json)
        {
            _stdout.WriteLine(result.Json);
        }
        else if (result.IsError)
        {
            _stderr.WriteLine("wsclose: " + result.Text);
        }
        else
        {
            _stdout.WriteLine(result.Text);
        }

        return result.ExitCode;
    }
}
