namespace WebSockets.CloseStatus.Tool;

/// <summary>One answer of a command: its exit code and how it reads in each output form.</summary>
/// <param name="ExitCode">0 valid, 1 understood but not valid (a malformed payload or frame, a payload that cannot be encoded), 2 usage error.</param>
/// <param name="Text">The full text answer for a single argument.</param>
/// <param name="Line">The one-line answer for a line of standard input.</param>
/// <param name="Json">The answer as one line of JSON.</param>
internal sealed record Result(int ExitCode, string Text, string Line, string Json)
{
    public const int Valid = 0;
    public const int NotValid = 1;
    public const int Usage = 2;

    /// <summary>Gets whether the text answer is an error message that belongs on standard error.</summary>
    public bool IsError => ExitCode != Valid;
}
