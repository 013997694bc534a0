using System.Linq;

namespace WebSockets.CloseStatus.Peers;

/// <summary>What one side reported when the connection ended.</summary>
internal sealed record Outcome(int? Code, string Reason, bool? WasClean, string Extra = "")
{
    public override string ToString()
    {
        string code = Code?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "no status";
        string reason = Reason.Length == 0 ? "\"\"" : Reason.Length <= 40 && Reason.All(char.IsAscii) ? $"\"{Reason}\"" : $"{System.Text.Encoding.UTF8.GetByteCount(Reason)} B";
        string clean = WasClean switch { true => "clean", false => "not clean", null => "-" };
        return $"{code} {reason} {clean}{(Extra.Length > 0 ? " " + Extra : "")}";
    }
}
