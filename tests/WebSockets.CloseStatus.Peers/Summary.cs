using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace WebSockets.CloseStatus.Peers;

/// <summary>The README's table: each endpoint's report in the same situation, as that endpoint sees it.</summary>
internal static class Summary
{
    public static string Markdown(IReadOnlyList<Row> rows)
    {
        string Ours(string kind, int? code = null, string? reason = null, string peer = "Node ws") =>
            Cell(rows.FirstOrDefault(r => r.Peer == peer && r.OurRole == "server" && Matches(r.Scenario, kind, code, reason))?.Ours);

        string Theirs(string peer, string kind, int? code = null, string? reason = null) =>
            Cell(rows.FirstOrDefault(r => r.Peer == peer && r.OurRole == "server" && Matches(r.Scenario, kind, code, reason))?.Theirs);

        string Line(string situation, string ours, string kindForPeers, int? code = null, string? reason = null) =>
            $"| {situation} | {ours} | {Theirs("Chromium", kindForPeers, code, reason)} | {Theirs("Node ws", kindForPeers, code, reason)} | {Theirs(".NET ClientWebSocket", kindForPeers, code, reason)} |";

        var text = new StringBuilder();
        text.AppendLine("| the endpoint's situation | this library (`CloseHandshake`) | Chromium `CloseEvent` | Node `ws` `close` event | .NET `ClientWebSocket` |");
        text.AppendLine("|---|---|---|---|---|");
        text.AppendLine(Line("the other side closes with 1000 \"bye\"", Ours(Kinds.PeerCloses, 1000, "bye"), Kinds.WeClose, 1000, "bye"));
        text.AppendLine(Line("the other side closes without a code", Ours(Kinds.PeerCloses), Kinds.WeClose));
        text.AppendLine(Line("it closes with 1000 \"bye\" and the other side echoes", Ours(Kinds.WeClose, 1000, "bye", "Chromium"), Kinds.PeerCloses, 1000, "bye"));
        text.AppendLine(Line("both close at once (1001 \"ours\" and 4001 \"theirs\")", Ours(Kinds.Simultaneous), Kinds.Simultaneous));
        text.AppendLine(Line("the other side drops TCP without a close", Ours(Kinds.PeerVanishes), Kinds.WeVanish));
        text.AppendLine(Line("the other side's close has a reason that is not UTF-8", Ours(Kinds.PeerMalformed, reason: "03E8FF"), Kinds.WeMalformed));
        string Sent(string peer) =>
            Cell(rows.FirstOrDefault(r => r.Peer == peer && r.OurRole == "server" && r.Scenario.Kind == Kinds.WeMalformed)?.Ours is { } o ? o with { WasClean = null, Extra = "" } : null);
        string oursSent = rows.FirstOrDefault(r => r.Peer == "Node ws" && r.Scenario.Kind == Kinds.PeerMalformed && r.Scenario.Malformed == "03E8FF")?.Ours.Extra ?? "—";
        text.AppendLine(CultureInfo.InvariantCulture, $"| what it sends back for that close | {oursSent} | {Sent("Chromium")} | {Sent("Node ws")} | {Sent(".NET ClientWebSocket")} |");
        string keeps = Cell(rows.FirstOrDefault(r => r.Scenario.Kind == Kinds.ServerKeepsTcp)?.Ours);
        text.AppendLine(CultureInfo.InvariantCulture, $"| as a client, the server never closes TCP after the handshake | {keeps} | — | — | — |");
        return text.ToString();
    }

    private static bool Matches(Scenario scenario, string kind, int? code, string? reasonOrPayload) =>
        scenario.Kind == kind
        && (kind is Kinds.PeerMalformed or Kinds.WeMalformed
            ? scenario.Malformed == (reasonOrPayload ?? "03E8FF")
            : kind is Kinds.Simultaneous or Kinds.PeerVanishes or Kinds.WeVanish || (scenario.Code == code && scenario.Reason == (reasonOrPayload ?? "")));

    private static string Cell(Outcome? outcome) => outcome is null ? "—" : outcome.ToString().Replace("|", "\\|", StringComparison.Ordinal);
}
