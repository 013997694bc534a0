using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace WebSockets.CloseStatus.Tool;

/// <summary>Parses what people paste: codes by number or by any of their names, and hex in the common notations.</summary>
internal static class Input
{
    /// <summary>The most characters of the input an error message quotes.</summary>
    public const int MaxQuoted = 40;

    /// <summary>Parses a code with the library's parser (a number 0–65535 or any of its names), explaining a failure.</summary>
    public static bool TryParseCode(string text, out WebSocketCloseStatus status, out string error)
    {
        if (WebSocketCloseStatusExtensions.TryParse(text, out status))
        {
            error = "";
            return true;
        }

        string trimmed = text.Trim();
        error = trimmed.Length == 0 ? "an empty line is not a close code: give a number from 0 to 65535 or a name (try 'wsclose list')."
            : char.IsAsciiDigit(trimmed[0]) || trimmed[0] is '-' or '+' ? $"{Quote(trimmed)} is not a close code: codes are whole numbers from 0 to 65535."
            : $"{Quote(trimmed)} is not a close code or a known name (try 'wsclose list').";
        return false;
    }

    /// <summary>Parses hex bytes: "03 e8", "03:E8", "0x03e8", "0x03 0xE8", "03-e8".</summary>
    public static bool TryParseHex(string text, out byte[] bytes, out string error)
    {
        var digits = new StringBuilder(text.Length);
        foreach (string token in text.Split([' ', '\t', ':', '-', ','], StringSplitOptions.RemoveEmptyEntries))
        {
            string part = token.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? token[2..] : token;
            digits.Append(part);
        }

        string hex = digits.ToString();
        bytes = [];
        if (hex.Length % 2 != 0)
        {
            error = $"{Quote(text.Trim())} has an odd number of hex digits ({hex.Length}).";
            return false;
        }

        var result = new List<byte>(hex.Length / 2);
        for (int i = 0; i < hex.Length; i += 2)
        {
            if (!byte.TryParse(hex.AsSpan(i, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out byte value))
            {
                error = $"{Quote(hex.Substring(i, 2))} at hex digit {i + 1} of {Quote(text.Trim())} is not a hex byte.";
                return false;
            }

            result.Add(value);
        }

        bytes = [.. result];
        error = "";
        return true;
    }

    /// <summary>Parses a masking key of exactly 8 hex digits.</summary>
    public static bool TryParseMask(string text, out uint key, out string error)
    {
        if (TryParseHex(text, out byte[] bytes, out error) && bytes.Length == 4)
        {
            key = (uint)((bytes[0] << 24) | (bytes[1] << 16) | (bytes[2] << 8) | bytes[3]);
            return true;
        }

        key = 0;
        error = $"{Quote(text)} is not a masking key: give exactly 8 hex digits, such as 37fa213d.";
        return false;
    }

    public static string ToHex(ReadOnlySpan<byte> bytes)
    {
        var builder = new StringBuilder(bytes.Length * 3);
        foreach (byte b in bytes)
        {
            if (builder.Length > 0)
            {
                builder.Append(' ');
            }

            builder.Append(b.ToString("X2", CultureInfo.InvariantCulture));
        }

        return builder.ToString();
    }

    /// <summary>Quotes a reason for a terminal: printable text as is, anything else as \u escapes.</summary>
    /// <summary>Quotes what a user typed for an error message: escaped like a reason, and cut to <see cref="MaxQuoted"/> characters.</summary>
    public static string Quote(string text) =>
        text.Length <= MaxQuoted ? Escape(text) : Escape(text[..MaxQuoted]) + $"… ({text.Length} characters)";

    public static string Escape(string text)
    {
        var builder = new StringBuilder(text.Length + 2).Append('"');
        foreach (char c in text)
        {
            if (c is '"' or '\\')
            {
                builder.Append('\\').Append(c);
            }
            else if (char.IsControl(c) || char.GetUnicodeCategory(c) is UnicodeCategory.Format or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator or UnicodeCategory.PrivateUse)
            {
                builder.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.Append('"').ToString();
    }
}
