using System;
using System.Linq;
using System.Runtime.InteropServices;
using System.Text;

namespace WebSockets.CloseStatus.Benchmarks;

/// <summary>The payloads every suite measures, the same in each.</summary>
public sealed class Workload
{
    private const int Page = 4096;

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

    /// <summary>
    /// Copies <paramref name="source"/> into pinned memory so that element <paramref name="alignedIndex"/> sits
    /// <paramref name="pageOffset"/> bytes into a 4 KiB page (a multiple of 64: the start of a cache line). Every
    /// benchmark process then reads and writes at the same addresses modulo the page, so cases differ by their
    /// code, not by where the GC put an array: vector loads that cross a cache line cost more, and a load whose
    /// address matches an earlier store's modulo 4 KiB waits for it. Inputs and outputs get different offsets.
    /// </summary>
    public static ArraySegment<T> Aligned<T>(ReadOnlySpan<T> source, int alignedIndex, int pageOffset)
        where T : unmanaged
    {
        int size = Marshal.SizeOf<T>();
        T[] buffer = GC.AllocateArray<T>(source.Length + ((2 * Page) / size), pinned: true);
        long address = Marshal.UnsafeAddrOfPinnedArrayElement(buffer, alignedIndex).ToInt64();
        int offset = (int)((((pageOffset - address) % Page) + Page) % Page) / size;
        source.CopyTo(buffer.AsSpan(offset));
        return new ArraySegment<T>(buffer, offset, source.Length);
    }

    public override string ToString() => Name;

    private static Workload Of(string name, string reason) =>
        new(name, reason, [0x03, 0xE8, .. Encoding.UTF8.GetBytes(reason)]);
}
