using System.Collections.Generic;
using System.Linq;

namespace WebSockets.CloseStatus.Peers;

/// <summary>One scenario on one connection: both sides' reports and every way they differ from RFC 6455 or each other.</summary>
internal sealed record Row(string Peer, string OurRole, Scenario Scenario, Outcome Ours, Outcome Theirs, IReadOnlyList<string> Failures, bool Checked)
{
    /// <summary>A row reported only, for the README's table (.NET's client and what peers do with a malformed close from us).</summary>
    public static Row Observed(string peer, string ourRole, Scenario scenario, Outcome ours, Outcome theirs) =>
        new(peer, ourRole, scenario, ours, theirs, [], Checked: false);

    public static Row Check(string peer, string ourRole, Scenario scenario, Endpoint endpoint, Outcome ours, Outcome theirs)
    {
        var failures = new List<string>();
        void Expect(bool ok, string what)
        {
            if (!ok)
            {
                failures.Add(what);
            }
        }

        CloseHandshake handshake = endpoint.Handshake;
        int code = scenario.Code ?? 1005;
        switch (scenario.Kind)
        {
            case Kinds.PeerCloses:
                Expect(ours.Code == code, $"we report {ours.Code}; the peer closed with {code} (§7.1.5)");
                Expect(ours.Reason == scenario.Reason, "our reason is not the peer's (§7.1.6)");
                Expect(ours.WasClean == true, "we report an unclean close after a complete handshake (§7.1.4)");
                Expect(handshake.Initiator == CloseInitiator.Remote, $"we report {handshake.Initiator} as the initiator");
                Expect((int?)handshake.SentStatus == code, $"we answered {(int?)handshake.SentStatus}, not the echo of {code} (§5.5.1)");
                Expect(theirs.Code == code, $"the peer reports {theirs.Code}; we echoed {code}");
                Expect(theirs.Reason.Length == 0, "the peer reports a reason; our echo had none");
                Expect(theirs.WasClean == true, "the peer reports an unclean close");
                break;

            case Kinds.WeClose or Kinds.ServerKeepsTcp:
                Expect(theirs.Code == code && theirs.Reason == scenario.Reason, $"the peer reports {theirs}; we sent {code}");
                Expect(theirs.WasClean == true, "the peer reports an unclean close");
                Expect(ours.Code == theirs.Code, $"we report {ours.Code} and the peer {theirs.Code}: both must report the code of our close, echoed (§5.5.1)");
                Expect(ours.WasClean == true, "we report an unclean close after a complete handshake (§7.1.4)");
                Expect(handshake.Initiator == CloseInitiator.Local, $"we report {handshake.Initiator} as the initiator");
                Expect(scenario.Kind != Kinds.ServerKeepsTcp || endpoint.TimedOut, "the server closed TCP, so our timeout path did not run");
                break;

            case Kinds.Simultaneous:
                Expect(ours.Code == scenario.PeerCode && ours.Reason == scenario.PeerReason, $"we report {ours}; the peer sent {scenario.PeerCode} (§7.1.5)");
                Expect(theirs.Code == scenario.Code && theirs.Reason == scenario.Reason, $"the peer reports {theirs}; we sent {scenario.Code}");
                Expect(ours.WasClean == true && theirs.WasClean == true, "a simultaneous close is a complete handshake on both sides");
                Expect(handshake.Initiator == CloseInitiator.Local, $"we report {handshake.Initiator} as the initiator");
                break;

            case Kinds.PeerVanishes or Kinds.WeVanish:
                Expect(ours.Code == 1006 && ours.WasClean == false, $"we report {ours}; no close frame came (§7.1.5: 1006)");
                Expect(handshake.Initiator == CloseInitiator.None, $"we report {handshake.Initiator} as the initiator");
                Expect(theirs.Code == 1006 && theirs.WasClean == false, $"the peer reports {theirs}; no close frame went either way");
                break;

            case Kinds.PeerMalformed:
                int answer = Scenarios.Malformed.Single(m => m.Hex == scenario.Malformed).Answer;
                Expect((int?)handshake.FailureStatus == answer && (int?)handshake.SentStatus == answer, $"we failed with {(int?)handshake.FailureStatus} and sent {(int?)handshake.SentStatus}; §7.1.7 asks for {answer}");
                Expect(ours.Code == 1006 && ours.WasClean == false, $"we report {ours}; a malformed close counts as none (§7.1.7)");
                Expect(theirs.Code == answer, $"the peer reports {theirs.Code}; it received our {answer}");
                break;
        }

        return new Row(peer, ourRole, scenario, ours, theirs, failures, Checked: true);
    }

    public override string ToString()
    {
        string verdict = !Checked ? "SEEN" : Failures.Count == 0 ? "PASS" : "FAIL";
        string line = $"{verdict} {Peer} (we are the {OurRole}) {Scenario.Describe()} | ours: {Ours} | theirs: {Theirs}";
        return Failures.Count == 0 ? line : line + string.Concat(Failures.Select(f => "\n     - " + f));
    }
}
