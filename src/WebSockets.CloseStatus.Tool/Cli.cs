using System;
using System.Collections.Generic;
using System.CommandLine;
using System.IO;
using System.Linq;
using System.Text;

namespace WebSockets.CloseStatus.Tool;

/// <summary>The <c>wsclose</c> command line. Every answer is computed first and printed at the end, so nothing is printed half-way.</summary>
internal sealed class Cli
{
    private readonly TextReader _stdin;
    private readonly bool _stdinRedirected;
    private readonly TextWriter _stdout;
    private readonly TextWriter _stderr;

    public Cli(TextReader stdin, bool stdinRedirected, TextWriter stdout, TextWriter stderr)
    {
        _stdin = stdin;
        _stdinRedirected = stdinRedirected;
        _stdout = stdout;
        _stderr = stderr;
    }

    public int Run(string[] args)
    {
        var json = new Option<bool>("--json") { Description = "Print machine-readable JSON (one object per line in stdin mode).", Recursive = true };

        var explainCode = new Argument<string?>("code") { Description = "A code (1006) or a name (AbnormalClosure, abnormal-closure, \"Going Away\"). Omit it to read one per line from stdin.", Arity = ArgumentArity.ZeroOrOne };
        var explain = new Command("explain", "Explain a close code: meaning, range, whether it may be sent, who sends it, what to check.") { explainCode };
        explain.SetAction(parse => Answer(parse.GetValue(json), parse.GetValue(explainCode), "explain needs a code", Commands.Explain));

        var list = new Command("list", "List the codes 1000-1015 and the ranges of the close code space.");
        list.SetAction(parse => Print(parse.GetValue(json), [Commands.List()], stdinMode: false));

        var decodeHex = new Argument<string?>("hex") { Description = "A close payload (or frame, with --frame) as hex: \"03 e8 62 79 65\", \"03:E8\", \"0x03e8\". Omit it to read one per line from stdin.", Arity = ArgumentArity.ZeroOrOne };
        var decodeFrame = new Option<bool>("--frame") { Description = "The hex is a complete close frame (masked or not), not just its payload." };
        var decode = new Command("decode", "Decode a close payload or frame from hex.") { decodeHex, decodeFrame };
        decode.SetAction(parse =>
        {
            bool frame = parse.GetValue(decodeFrame);
            return Answer(parse.GetValue(json), parse.GetValue(decodeHex), "decode needs hex", hex => Commands.Decode(hex, frame));
        });

        var encodeCode = new Argument<string?>("code") { Description = "The status, by number or name. Omit it to read \"code [reason]\" lines from stdin.", Arity = ArgumentArity.ZeroOrOne };
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
            if (code is not null)
            {
                return Print(parse.GetValue(json), [Commands.Encode(code, reason, frame, mask, randomMask, truncate)], stdinMode: false);
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
            var message = new StringBuilder();
            foreach (System.CommandLine.Parsing.ParseError error in parseResult.Errors)
            {
                message.Append("wsclose: ").AppendLine(error.Message);
            }

            message.Append("Run 'wsclose --help' for usage.");
            _stderr.WriteLine(message.ToString());
            return Result.Usage;
        }

        if (parseResult.CommandResult.Command == root && !args.Any(a => a is "-h" or "--help" or "-?" or "--version"))
        {
            _stderr.WriteLine("wsclose: name a command: explain, list, decode or encode. Run 'wsclose --help' for usage.");
            return Result.Usage;
        }

        return parseResult.Invoke(new InvocationConfiguration { Output = _stdout, Error = _stderr });
    }

    /// <summary>Answers the argument, or with none and stdin redirected, every non-empty line of stdin.</summary>
    private int Answer(bool json, string? argument, string missing, Func<string, Result> answer)
    {
        if (argument is not null)
        {
            return Print(json, [answer(argument)], stdinMode: false);
        }

        if (!_stdinRedirected)
        {
            _stderr.WriteLine($"wsclose: {missing}, or input on standard input, one per line. Run 'wsclose --help' for usage.");
            return Result.Usage;
        }

        var results = new List<Result>();
        string? line;
        while ((line = _stdin.ReadLine()) is not null)
        {
            if (!string.IsNullOrWhiteSpace(line))
            {
                results.Add(answer(line));
            }
        }

        return Print(json, results, stdinMode: true);
    }

    private int Print(bool json, List<Result> results, bool stdinMode)
    {
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        foreach (Result result in results)
        {
            if (json)
            {
                stdout.AppendLine(result.Json);
            }
            else if (stdinMode)
            {
                // One result per line keeps the output aligned with the input.
                stdout.AppendLine(result.Line);
            }
            else if (result.IsError)
            {
                stderr.Append("wsclose: ").AppendLine(result.Text);
            }
            else
            {
                stdout.AppendLine(result.Text);
            }
        }

        _stdout.Write(stdout.ToString());
        _stderr.Write(stderr.ToString());
        return results.Count == 0 ? Result.Valid : results.Max(r => r.ExitCode);
    }
}
