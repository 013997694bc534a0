// A .NET Framework 4.6.2 program in C# 7.3, run on Mono (the runtime Unity's scripting grew from): the netstandard2.0
// build from the package writes and reads close payloads as .NET's own UTF-8 encoder says, on reasons of every
// script and on long ASCII runs, and
// masks as RFC 6455 §5.3 says. tests/consumer/run.sh builds it against the packed package and runs it with `mono`.
using System;
using System.Text;
using WebSockets.CloseStatus;

public static class MonoCheck
{
    private static int s_failures;

    private static void Check(bool ok, string what)
    {
        if (!ok)
        {
            s_failures++;
            Console.Error.WriteLine("FAIL: " + what);
        }
    }

    private static string Fit(string text)
    {
        while (Encoding.UTF8.GetByteCount(text) > ClosePayload.MaxReasonLength)
        {
            text = text.Substring(0, char.IsLowSurrogate(text[text.Length - 1]) ? text.Length - 2 : text.Length - 1);
        }

        return text;
    }

    public static int Main()
    {
        // Which runtime runs this: Mono has the type Mono.Runtime (RuntimeInformation needs a facade Debian's Mono lacks).
        Console.WriteLine((Type.GetType("Mono.Runtime") != null ? "Mono " : ".NET Framework ") + Environment.Version);
        string[] reasons =
        {
            "", "bye", "server going down no", new string('a', 123), new string('a', 60) + "\u00E9" + new string('b', 60),
            Fit("\u0421\u0435\u0440\u0432\u0435\u0440 \u043F\u0435\u0440\u0435\u0437\u0430\u043F\u0443\u0441\u043A\u0430\u0435\u0442\u0441\u044F, \u043F\u043E\u0434\u043A\u043B\u044E\u0447\u0438\u0442\u0435\u0441\u044C \u0441\u043D\u043E\u0432\u0430 \u0447\u0435\u0440\u0435\u0437 \u043C\u0438\u043D\u0443\u0442\u0443"),
            Fit(string.Concat(System.Linq.Enumerable.Repeat("\u670D\u52A1\u5668\u6B63\u5728\u91CD\u65B0\u542F\u52A8", 6))),
            "\uD83D\uDC4B", Fit(string.Concat(System.Linq.Enumerable.Repeat("\u00E9\u20AC\uD83D\uDE00", 13)) + "abc"),
            "\u041E\u0448\u0438\u0431\u043A\u0430: \u670D\u52A1\u5668 \uD83D\uDE00 bye",
        };

        byte[] payload = new byte[ClosePayload.MaxLength];
        foreach (string reason in reasons)
        {
            byte[] utf8 = Encoding.UTF8.GetBytes(reason);
            int written;
            bool fits = ClosePayload.TryWrite(payload, WebSocketCloseStatus.NormalClosure, reason, out written);
            bool same = fits && written == 2 + utf8.Length && payload[0] == 0x03 && payload[1] == 0xE8;
            for (int i = 0; same && i < utf8.Length; i++)
            {
                same = payload[2 + i] == utf8[i];
            }

            Check(same, "write of a " + utf8.Length + "-byte reason: the code 1000 and .NET's UTF-8");

            WebSocketCloseStatus status;
            ReadOnlySpan<byte> read;
            CloseFrameError error = ClosePayload.ReadUtf8(new ReadOnlySpan<byte>(payload, 0, written), out status, out read);
            Check(error == CloseFrameError.None && status == WebSocketCloseStatus.NormalClosure && read.Length == utf8.Length, "read of a " + utf8.Length + "-byte reason");
            string text;
            error = ClosePayload.Read(new ReadOnlySpan<byte>(payload, 0, written), out status, out text);
            Check(error == CloseFrameError.None && text == reason, "read of a " + utf8.Length + "-byte reason as a string");

            // An invalid byte (FF is never UTF-8) at each position: the reader names the payload malformed.
            for (int at = 0; at < utf8.Length; at++)
            {
                byte saved = payload[2 + at];
                payload[2 + at] = 0xFF;
                error = ClosePayload.ReadUtf8(new ReadOnlySpan<byte>(payload, 0, written), out status, out read);
                Check(error == CloseFrameError.InvalidUtf8, "FF at byte " + at + " of a " + utf8.Length + "-byte reason: " + error);
                error = ClosePayload.Read(new ReadOnlySpan<byte>(payload, 0, written), out status, out text);
                Check(error.ToCloseStatus() == WebSocketCloseStatus.InvalidPayloadData && text.Length == 0, "FF at byte " + at + ": Read answers 1007 (RFC 6455 §8.1)");
                payload[2 + at] = saved;
            }
        }

        // A lone surrogate is a caller's mistake: an ArgumentException that names it, with the index.
        try
        {
            int written;
            ClosePayload.TryWrite(payload, WebSocketCloseStatus.NormalClosure, new string('a', 40) + "\uD800" + new string('a', 40), out written);
            Check(false, "a lone surrogate was written");
        }
        catch (ArgumentException e)
        {
            Check(e.Message.Contains("40"), "the lone surrogate's message names its index: " + e.Message);
        }

        // A client's frame masked with key 0x11223344: each payload byte XOR the key byte at its position modulo 4.
        byte[] frame = new byte[CloseFrame.MaxLength];
        int frameLength;
        string bye = new string('z', 50);
        Check(CloseFrame.TryWriteMasked(frame, 0x11223344, WebSocketCloseStatus.EndpointUnavailable, bye, out frameLength), "masked frame fits");
        byte[] key = { 0x11, 0x22, 0x33, 0x44 };
        byte[] plain = new byte[2 + bye.Length];
        plain[0] = 0x03;
        plain[1] = 0xE9;
        Encoding.ASCII.GetBytes(bye, 0, bye.Length, plain, 2);
        bool masked = frameLength == 6 + plain.Length && frame[0] == 0x88 && frame[1] == (0x80 | plain.Length);
        for (int i = 0; masked && i < plain.Length; i++)
        {
            masked = frame[6 + i] == (byte)(plain[i] ^ key[i % 4]);
        }

        Check(masked, "the masked frame is the header, the key and the payload XOR the key");

        Console.WriteLine(s_failures == 0 ? "Mono consumer: ok" : "Mono consumer: " + s_failures + " failures");
        return s_failures == 0 ? 0 : 1;
    }
}
