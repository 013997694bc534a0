// Holds a Stryker.NET report to tests/mutation/equivalent-mutants.md: every mutant that survived must be listed
// there with the reason it is equivalent, and every entry for a mutated file must still match a survivor, so the
// list can neither hide a new gap nor outlive the code it describes.
// Usage: dotnet run check-survivors.cs -- <mutation-report.json> <equivalent-mutants.md> <net10.0|netstandard2.0>
using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.RegularExpressions;

if (args.Length != 3)
{
    Console.Error.WriteLine("usage: dotnet run check-survivors.cs -- <mutation-report.json> <equivalent-mutants.md> <build>");
    return 2;
}

string build = args[2];
List<Entry> entries = ReadEntries(args[1]).Where(e => e.Build == "both" || e.Build == build).ToList();
var matched = new HashSet<Entry>();
var mutatedFiles = new HashSet<string>(StringComparer.Ordinal);
int killed = 0;
int equivalent = 0;
int unexplained = 0;

using (JsonDocument report = JsonDocument.Parse(File.ReadAllText(args[0])))
{
    foreach (JsonProperty file in report.RootElement.GetProperty("files").EnumerateObject())
    {
        string name = Path.GetFileName(file.Name);
        mutatedFiles.Add(name);
        string[] lines = file.Value.GetProperty("source").GetString()!.Split('\n');
        foreach (JsonElement mutant in file.Value.GetProperty("mutants").EnumerateArray())
        {
            string status = mutant.GetProperty("status").GetString()!;
            if (status is "Killed" or "Timeout")
            {
                killed++;
                continue;
            }

            if (status is not ("Survived" or "NoCoverage"))
            {
                continue; // Ignored (Debug.Assert) and CompileError mutants are not part of the score.
            }

            int line = mutant.GetProperty("location").GetProperty("start").GetProperty("line").GetInt32();
            string code = Normalize(lines[line - 1]);
            string replacement = Normalize(mutant.GetProperty("replacement").GetString()!);
            Entry? entry = entries.FirstOrDefault(e => e.File == name && e.Code == code && e.Mutant == replacement);
            if (entry is null)
            {
                unexplained++;
                Console.WriteLine($"NOT LISTED  {name}:{line}  `{code}`  ->  `{replacement}`  ({status})");
                continue;
            }

            equivalent++;
            matched.Add(entry);
            Console.WriteLine($"equivalent  {name}:{line}  `{replacement}`: {entry.Why}");
        }
    }
}

List<Entry> stale = entries.Where(e => mutatedFiles.Contains(e.File) && !matched.Contains(e)).ToList();
foreach (Entry entry in stale)
{
    Console.WriteLine($"STALE       {entry.File}  `{entry.Code}`  ->  `{entry.Mutant}`: listed, but no such mutant survived; remove it");
}

double score = killed + unexplained == 0 ? 100 : 100.0 * killed / (killed + unexplained);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"{build}: {killed} killed, {equivalent} equivalent (listed), {unexplained} not explained; {score:F2} % of the non-equivalent mutants killed."));
return unexplained == 0 && stale.Count == 0 ? 0 : 1;

static string Normalize(string text) => Regex.Replace(text.Trim(), @"\s+", " ");

static IEnumerable<Entry> ReadEntries(string path)
{
    // The table rows: | Build | File | Code | Mutant | Why |, with '\|' for a '|' inside a cell.
    foreach (string row in File.ReadLines(path).Where(l => l.StartsWith("| ", StringComparison.Ordinal)))
    {
        string[] cells = Regex.Split(row.Trim().Trim('|'), @"(?<!\\)\|")
            .Select(c => c.Trim().Replace("\\|", "|", StringComparison.Ordinal))
            .ToArray();
        if (cells.Length != 5 || cells[0] == "Build" || cells[0].StartsWith("---", StringComparison.Ordinal))
        {
            continue;
        }

        yield return new Entry(cells[0], cells[1], Normalize(cells[2].Trim('`')), Normalize(cells[3].Trim('`')), cells[4]);
    }
}

internal sealed record Entry(string Build, string File, string Code, string Mutant, string Why);
