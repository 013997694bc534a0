using System.Linq;
using System.Text;

namespace WebSockets.CloseStatus.Benchmarks;

/// <summary>The payloads every suite measures, the same in each.</summary>
public sealed class Workload
{
    private Workload(string name, string reason, byte[] payload)
    {
        Name = name;
        Reason = reason;
        Utf8Reason = Encoding.UTF8.GetBytes(reason);
        Payload = payload;
    }

    public string Name { get; }

    public string Reason { get; }

    public byte[] Utf8Reason { get; }

    public byte[] Payload { get; }

    public static Workload[] Valid { get; } =
    [
        Of("CodeOnly", ""),
        Of("Ascii20", "server going down now"[..20]),
        Of("Ascii123", new string('a', 123)),
        Of("Mixed120", string.Concat(Enumerable.Repeat("é€😀", 13)) + "abc"), // 2-, 3- and 4-byte chars: 120 bytes
    ];

    // 1000 and 122 ASCII bytes, then 0xFF: only the last byte makes the reason invalid UTF-8.
    public static Workload InvalidLast { get; } =
        new("InvalidLast", "", [0x03, 0xE8, .. Enumerable.Repeat((byte)'a', 122), 0xFF]);

    public static Workload[] ForRead { get; } = [.. Valid, InvalidLast];

    public override string ToString() => Name;

    private static Workload Of(string name, string reason) =>
        new(name, reason, [0x03, 0xE8, .. Encoding.UTF8.GetBytes(reason)]);
}
