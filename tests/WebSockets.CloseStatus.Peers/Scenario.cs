using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Text.Json.Serialization;

namespace WebSockets.CloseStatus.Peers;

/// <summary>What each side does on one connection; serialized into the URL so that both sides read the same plan.</summary>
/// <param name="Id">Unique per run.</param>
/// <param name="Kind">One of the <see cref="Kinds"/> constants.</param>
/// <param name="Code">The initiator's code (null: a close without a status); for <see cref="Kinds.Simultaneous"/>, ours.</param>
/// <param name="Reason">The initiator's reason; for <see cref="Kinds.Simultaneous"/>, ours.</param>
/// <param name="PeerCode">The peer's code in a simultaneous close.</param>
/// <param name="PeerReason">The peer's reason in a simultaneous close.</param>
/// <param name="Malformed">For <see cref="Kinds.PeerMalformed"/>: the hex payload of the peer's close frame.</param>
internal sealed record Scenario(
    [property: JsonPropertyName("id")] int Id,
    [property: JsonPropertyName("kind")] string Kind,
    [property: JsonPropertyName("code")] int? Code = null,
    [property: JsonPropertyName("reason")] string Reason = "",
    [property: JsonPropertyName("peerCode")] int? PeerCode = null,
    [property: JsonPropertyName("peerReason")] string PeerReason = "",
    [property: JsonPropertyName("malformed")] string? Malformed = null)
{
    public string Describe()
    {
        string reason = Reason.Length == 0 ? "no reason" : Reason.Length <= 8 ? $"\"{Reason}\"" : $"{Encoding.UTF8.GetByteCount(Reason)}-byte reason";
        return Kind switch
        {
            _ when Kind.StartsWith("relay ", StringComparison.Ordinal) => Kind[6..],
            Kinds.Simultaneous => $"{Kind} (ours {Code}, theirs {PeerCode})",
            Kinds.PeerMalformed or Kinds.WeMalformed => $"{Kind} (payload {Malformed})",
            Kinds.WeVanish or Kinds.PeerVanishes => Kind,
            _ => $"{Kind} {(Code is int code ? code.ToString(CultureInfo.InvariantCulture) : "without a code")}, {reason}",
        };
    }
}

internal static class Kinds
{
    public const string PeerCloses = "peer-closes";
    public const string WeClose = "we-close";
    public const string Simultaneous = "simultaneous";
    public const string PeerVanishes = "peer-vanishes";
    public const string WeVanish = "we-vanish";
    public const string PeerMalformed = "peer-malformed";
    public const string ServerKeepsTcp = "server-keeps-tcp";

    /// <summary>Observed, not checked: we send a close whose reason is not UTF-8 and see what the peer reports.</summary>
    public const string WeMalformed = "we-malformed";
}

/// <summary>The scenarios of issue #15, per peer and role.</summary>
internal static class Scenarios
{
    public static readonly int[] Codes = [1000, 1001, 1012, 1013, 1014, 3000, 4999];

    /// <summary>Codes a browser's <c>WebSocket.close(code)</c> accepts (WHATWG WebSockets: 1000 or 3000–4999).</summary>
    public static readonly int[] BrowserCodes = [1000, 3000, 4999];

    /// <summary>Empty, ASCII, and 123 bytes of Cyrillic, CJK, emoji and Latin (11 bytes × 11 + 2).</summary>
    public static readonly string[] Reasons = ["", "bye", string.Concat(Enumerable.Repeat("Ж世😀é", 11)) + "ok"];

    /// <summary>Malformed close payloads a peer sends, with the code we must answer (RFC 6455 §7.1.7, §7.4.1, §8.1).</summary>
    public static readonly (string Hex, int Answer)[] Malformed = [("03", 1002), ("03ED", 1002), ("03E8FF", 1007), ("03E8EDA080", 1007)];

    public static IEnumerable<Scenario> For(string peer, bool weAreServer, Func<int> nextId)
    {
        bool browser = peer == "chromium";
        foreach (string kind in new[] { Kinds.PeerCloses, Kinds.WeClose })
        {
            foreach (int code in kind == Kinds.PeerCloses && browser ? BrowserCodes : Codes)
            {
                foreach (string reason in Reasons)
                {
                    yield return new Scenario(nextId(), kind, code, reason);
                }
            }

            yield return new Scenario(nextId(), kind);
        }

        yield return new Scenario(nextId(), Kinds.Simultaneous, 1001, "ours", 4001, "theirs");
        yield return new Scenario(nextId(), Kinds.WeVanish);
        yield return new Scenario(nextId(), Kinds.WeMalformed, Malformed: "03E8FF");
        if (!browser)
        {
            yield return new Scenario(nextId(), Kinds.PeerVanishes);
            foreach ((string hex, _) in Malformed)
            {
                yield return new Scenario(nextId(), Kinds.PeerMalformed, Malformed: hex);
            }

            if (!weAreServer)
            {
                yield return new Scenario(nextId(), Kinds.ServerKeepsTcp, 1000, "bye");
            }
        }
    }
}
