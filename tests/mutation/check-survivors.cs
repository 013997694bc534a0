// Holds a Stryker.NET report to tests/mutation/equivalent-mutants.md. Every mutant that survived must be listed there,
// by its exact location (file:line:column of the mutated code), its source line and its replacement, with the reason
// it is equivalent; every entry for a mutated file must still match a mutant. A listed mutant that timed out under load
// counts as the equivalent mutant it is; an unlisted timeout counts as killed, as Stryker counts it. A report that
// tested nothing, or an entry that could match more than one mutant, fails.
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
var duplicates = entries.GroupBy(e => (e.File, e.Line, e.Column, e.Mutant)).Where(g => g.Count() > 1).ToList();
foreach (var group in duplicates)
{
    Console.WriteLine($"AMBIGUOUS   {group.Key.File}:{group.Key.Line}:{group.Key.Column} `{group.Key.Mutant}` is listed {group.Count()} times");
}

var matched = new HashSet<Entry>();
var mutatedFiles = new HashSet<string>(StringComparer.Ordinal);
int killed = 0;
int equivalent = 0;
int unexplained = 0;
int tested = 0;

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
            if (status is not ("Killed" or "Timeout" or "Survived" or "NoCoverage"))
            {
                continue; // Ignored (Debug.Assert, block filter) and CompileError mutants are not part of the score.
            }

            tested++;
            JsonElement start = mutant.GetProperty("location").GetProperty("start");
            int line = start.GetProperty("line").GetInt32();
            int column = start.GetProperty("column").GetInt32();
            string code = Normalize(lines[line - 1]);
            string replacement = Normalize(mutant.GetProperty("replacement").GetString()!);
            List<Entry> candidates = entries.Where(e => e.File == name && e.Line == line && e.Column == column && e.Mutant == replacement).ToList();
            Entry? entry = candidates.Count == 1 && candidates[0].Code == code ? candidates[0] : null;
            if (candidates.Count == 1 && entry is null)
            {
                Console.WriteLine($"MOVED       {name}:{line}:{column}  the entry's code `{candidates[0].Code}` is now `{code}`");
            }

            if (status == "Killed" || (status == "Timeout" && entry is null))
            {
                killed++;
                if (entry is not null)
                {
                    Console.WriteLine($"KILLED      {name}:{line}:{column}  `{replacement}` is listed as equivalent, but a test killed it; remove the entry");
                    matched.Add(entry);
                    unexplained++;
                }

                continue;
            }

            if (entry is null)
            {
                unexplained++;
                Console.WriteLine($"NOT LISTED  {name}:{line}:{column}  `{code}`  ->  `{replacement}`  ({status})");
                continue;
            }

            equivalent++;
            matched.Add(entry);
            Console.WriteLine($"equivalent  {name}:{line}:{column}  `{replacement}` ({status}): {entry.Why}");
        }
    }
}

List<Entry> stale = entries.Where(e => mutatedFiles.Contains(e.File) && !matched.Contains(e)).ToList();
foreach (Entry entry in stale)
{
    Console.WriteLine($"STALE       {entry.File}:{entry.Line}:{entry.Column}  `{entry.Code}`  ->  `{entry.Mutant}`: no such mutant at that place; fix or remove the entry");
}

if (tested == 0)
{
    Console.WriteLine($"{build}: the report holds no tested mutant ({mutatedFiles.Count} files): nothing was measured.");
    return 1;
}

double score = killed + unexplained == 0 ? 100 : 100.0 * killed / (killed + unexplained);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"{build}: {killed} killed (timeouts included), {equivalent} equivalent (listed), {unexplained} not explained; {score:F2} % of the non-equivalent mutants killed."));
return unexplained == 0 && stale.Count == 0 && duplicates.Count == 0 ? 0 : 1;

static string Normalize(string text) => Regex.Replace(text.Trim(), @"\s+", " ");

static IEnumerable<Entry> ReadEntries(string path)
{
    // The table rows: | Build | Location | Code | Mutant | Why |, with '\|' for a '|' inside a cell; Location is File:Line:Column.
    foreach (string row in File.ReadLines(path).Where(l => l.StartsWith("| ", StringComparison.Ordinal)))
    {
        string[] cells = Regex.Split(row.Trim().Trim('|'), @"(?<!\\)\|")
            .Select(c => c.Trim().Replace("\\|", "|", StringComparison.Ordinal))
            .ToArray();
        if (cells.Length != 5 || cells[0] == "Build" || cells[0].StartsWith("---", StringComparison.Ordinal))
        {
            continue;
        }

        Match location = Regex.Match(cells[1], @"^(?<file>[^:]+):(?<line>\d+):(?<column>\d+)$");
        if (!location.Success)
        {
            throw new FormatException($"'{cells[1]}' is not File:Line:Column in: {row}");
        }

        yield return new Entry(cells[0], location.Groups["file"].Value, int.Parse(location.Groups["line"].Value, CultureInfo.InvariantCulture),
            int.Parse(location.Groups["column"].Value, CultureInfo.InvariantCulture), Normalize(cells[2].Trim('`')), Normalize(cells[3].Trim('`')), cells[4]);
    }
}

internal sealed record Entry(string Build, string File, int Line, int Column, string Code, string Mutant, string Why);
