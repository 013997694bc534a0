using System;
using System.IO;
using System.Text;
using System.Text.Json;

namespace WebSockets.CloseStatus.Tool;

/// <summary>Writes one JSON value per answer, without reflection, so the tool stays trimmable.</summary>
internal static class Json
{
    public static string Object(Action<Utf8JsonWriter> write) => Write(write, array: false);

    public static string Array(Action<Utf8JsonWriter> write) => Write(write, array: true);

    public static void WriteStringOrNull(this Utf8JsonWriter writer, string name, string? value)
    {
        if (value is null)
        {
            writer.WriteNull(name);
        }
        else
        {
            writer.WriteString(name, value);
        }
    }

    private static string Write(Action<Utf8JsonWriter> write, bool array)
    {
        using var stream = new MemoryStream();
        // Relaxed escaping keeps ' and § readable; quotes, backslashes and control characters are still escaped.
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            if (array)
            {
                writer.WriteStartArray();
                write(writer);
                writer.WriteEndArray();
            }
            else
            {
                writer.WriteStartObject();
                write(writer);
                writer.WriteEndObject();
            }
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
