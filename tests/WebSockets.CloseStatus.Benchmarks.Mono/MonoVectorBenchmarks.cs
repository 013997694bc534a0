using System;
using System.Reflection;
using System.Text;
using BenchmarkDotNet.Attributes;

namespace WebSockets.CloseStatus.Benchmarks.Mono;

/// <summary>
/// Reading a payload and writing one from chars with the netstandard2.0 build's <c>Vector&lt;T&gt;</c> steps (the
/// validator's ASCII skip, the transcoder's <c>Vector.Narrow</c>) on and off, on reasons of every script.
/// </summary>
/// <remarks>
/// The library keeps Mono off those steps (<c>PortableVectors.AreFast</c>). Set up once, before any of its methods is
/// compiled, that switch is turned on here; the tests' path switches, read on every call, then choose the steps per case.
/// </remarks>
[MemoryDiagnoser]
public class MonoVectorBenchmarks
{
    private static readonly Assembly s_library = typeof(ClosePayload).Assembly;

    private readonly byte[] _destination = new byte[ClosePayload.MaxLength];
    private byte[] _payload = [];
    private char[] _reason = [];

    /// <summary>Whether the <c>Vector&lt;T&gt;</c> steps run.</summary>
    [Params(false, true)]
    public bool Vectors { get; set; }

    /// <summary>The close reason: its script and its UTF-8 length.</summary>
    [Params("Ascii20", "Ascii123", "Cyrillic122", "Cjk123", "Emoji4", "Mixed32")]
    public string Workload { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        FieldInfo areFast = Internal("PortableVectors").GetField("AreFast", BindingFlags.Static | BindingFlags.NonPublic);
        areFast.SetValue(null, true);
        Internal("Utf8Validation").GetProperty("MaxVectorBits", BindingFlags.Static | BindingFlags.NonPublic).SetValue(null, Vectors ? 512 : 0);
        Internal("Utf16Transcoding").GetProperty("MaxVectorBits", BindingFlags.Static | BindingFlags.NonPublic).SetValue(null, Vectors ? 128 : 0);

        string text = Workload switch
        {
            "Ascii20" => "server going down no",
            "Ascii123" => new string('a', 123),
            "Cyrillic122" => Fit("\u0421\u0435\u0440\u0432\u0435\u0440 \u043F\u0435\u0440\u0435\u0437\u0430\u043F\u0443\u0441\u043A\u0430\u0435\u0442\u0441\u044F \u0434\u043B\u044F \u043E\u0431\u043D\u043E\u0432\u043B\u0435\u043D\u0438\u044F, \u043F\u043E\u0434\u043A\u043B\u044E\u0447\u0438\u0442\u0435\u0441\u044C \u0441\u043D\u043E\u0432\u0430 \u0447\u0435\u0440\u0435\u0437 \u043C\u0438\u043D\u0443\u0442\u0443"),
            "Cjk123" => Fit(string.Concat(System.Linq.Enumerable.Repeat("\u670D\u52A1\u5668\u6B63\u5728\u91CD\u65B0\u542F\u52A8\u8BF7\u7A0D\u540E", 4))),
            "Emoji4" => "\uD83D\uDC4B",
            _ => "\u041E\u0448\u0438\u0431\u043A\u0430: \u670D\u52A1\u5668 \uD83D\uDE00 bye",
        };
        _reason = text.ToCharArray();
        _payload = new byte[2 + Encoding.UTF8.GetByteCount(text)];
        _payload[0] = 0x03;
        _payload[1] = 0xE8;
        Encoding.UTF8.GetBytes(text, 0, text.Length, _payload, 2);

        // Both cases must do the work they claim: the payload reads back whole, and the write gives .NET's bytes.
        if (Read() != 1000 + _payload.Length - 2 || WriteChars() != _payload.Length || !_destination.AsSpan(0, _payload.Length).SequenceEqual(_payload))
        {
            throw new InvalidOperationException($"{Workload}: the library did not read or write the reason as .NET's encoder does");
        }
    }

    [Benchmark]
    public int Read() =>
        ClosePayload.Read(_payload, out WebSocketCloseStatus status, out ReadOnlySpan<byte> reason) == ClosePayloadError.None ? (int)status + reason.Length : -1;

    [Benchmark]
    public int WriteChars() =>
        ClosePayload.TryWrite(_destination, WebSocketCloseStatus.NormalClosure, _reason, out int written) ? written : -1;

    private static Type Internal(string name) =>
        s_library.GetType("WebSockets.CloseStatus.Internal." + name, throwOnError: true)!;

    private static string Fit(string text)
    {
        while (Encoding.UTF8.GetByteCount(text) > ClosePayload.MaxReasonLength)
        {
            text = text.Substring(0, text.Length - 1);
        }

        return text;
    }
}
