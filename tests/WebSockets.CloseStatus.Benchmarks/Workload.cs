using System;
using System.Collections.Generic;
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

        // Reasons as people write them, wholly in one script (issue #18): 2-byte Cyrillic and Arabic, 3-byte CJK,
        // 4-byte emoji, short and as long as a close frame allows, and a short mix.
        Of("Cyrillic25", "Сервер закрыт"),
        Of("Cyrillic122", Fit("Сервер перезапускается для обновления, подключитесь снова через минуту, пожалуйста")),
        Of("Cjk18", "服务器已关闭"),
        Of("Cjk123", Fit("服务器正在重新启动以进行更新请在一分钟后重新连接谢谢您的耐心等待我们将尽快恢复服务感谢理解与支持再见")),
        Of("Emoji4", "👋"),
        Of("Emoji120", string.Concat(Enumerable.Repeat("👋🔌", 15))),
        Of("Mixed32", "Ошибка: 服务器 😀 bye"),
    ];

    // 1000 and 122 ASCII bytes, then 0xFF: only the last byte makes the reason invalid UTF-8.
    public static Workload InvalidLast { get; } =
        new("InvalidLast", "", [0x03, 0xE8, .. Enumerable.Repeat((byte)'a', 122), 0xFF]);

    public static Workload[] ForRead { get; } = [.. Valid, InvalidLast];

    /// <summary>The writers' workloads: all of them, since a char writer's cost depends on each script and length (issue #28).</summary>
    public static Workload[] ForWrite { get; } = Valid;

    /// <summary>The patterns' workloads (issue #40): every reason of 4-123 bytes, in each script.</summary>
    public static Workload[] ForPatterns { get; } = [.. Valid.Where(w => w.Name != "CodeOnly")];

    /// <summary>The closing handshake's workloads: its cost beside the frame calls, not the validator's again.</summary>
    public static Workload[] ForHandshake { get; } = [.. Valid.Where(w => w.Name is "CodeOnly" or "Ascii20" or "Mixed120" or "Cyrillic122" or "Cjk18")];

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

    /// <summary>
    /// A copy of <paramref name="text"/>, pinned, whose char <paramref name="alignedIndex"/> sits <paramref name="pageOffset"/>
    /// bytes into a 4 KiB page: as <see cref="Aligned{T}"/> does for arrays, so that the reason's place relative to the
    /// output is the same in every process. A transcoder that reads 4 bytes of emoji for each 4 it writes keeps the
    /// same distance between its loads and its stores through the whole reason, so where the GC put the string decided
    /// whether every load waited on a store (4 KiB aliasing), and a case measured 70 ns in one process and 130 in the next.
    /// </summary>
    public static string AlignedString(string text, int alignedIndex, int pageOffset)
    {
        // Objects are allocated one after the other: a filler array sized to the distance puts the next copy in place
        // (each object has an 8-byte header and an 8-byte type; then a string's 4-byte length and chars with a terminator,
        // an array's 8-byte length and elements; all rounded up to 8 bytes).
        int size = (8 + 8 + 4 + (2 * (text.Length + 1)) + 7) & ~7;
        for (int attempt = 0; attempt < 100; attempt++)
        {
            string copy = new(text.AsSpan());
            GCHandle handle = GCHandle.Alloc(copy, GCHandleType.Pinned);
            long address = handle.AddrOfPinnedObject().ToInt64() + (alignedIndex * sizeof(char));
            if (address % Page == pageOffset)
            {
                s_pinned.Add(handle);
                return copy;
            }

            handle.Free();
            int filler = (int)((((pageOffset - address - size) % Page) + Page) % Page);
            GC.KeepAlive(new byte[(filler < 24 ? filler + Page : filler) - 24]);
        }

        throw new InvalidOperationException($"No copy of the {text.Length}-char reason landed at {pageOffset} bytes into a page.");
    }

    private static readonly List<GCHandle> s_pinned = [];

    public override string ToString() => Name;

    /// <summary>Throws unless the library this process loaded is the build the job is for, so a column can never measure the wrong one.</summary>
    public static void CheckLibraryBuild()
    {
#if LIBRARY_NETSTANDARD2_0
        const string expected = ".NETStandard,Version=v2.0";
#else
        const string expected = ".NETCoreApp,Version=v10.0";
#endif
        string loaded = ((System.Runtime.Versioning.TargetFrameworkAttribute)Attribute.GetCustomAttribute(
            typeof(ClosePayload).Assembly, typeof(System.Runtime.Versioning.TargetFrameworkAttribute))!).FrameworkName;
        if (loaded != expected)
        {
            throw new InvalidOperationException($"This job is for the {expected} library build, but {loaded} is loaded.");
        }
    }

    /// <summary>The longest prefix of <paramref name="text"/>, cut between scalars, that fits in a close frame's 123 reason bytes.</summary>
    private static string Fit(string text)
    {
        int chars = text.Length;
        while (Encoding.UTF8.GetByteCount(text.AsSpan(0, chars)) > ClosePayload.MaxReasonLength || char.IsHighSurrogate(text[chars - 1]))
        {
            chars--;
        }

        return text[..chars];
    }

    private static Workload Of(string name, string reason) =>
        new(name, reason, [0x03, 0xE8, .. Encoding.UTF8.GetBytes(reason)]);
}
