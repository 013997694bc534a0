using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;

namespace WebSockets.CloseStatus.Benchmarks;

/// <summary>
/// Turns a finished run of <see cref="PatternBenchmarks"/> and <see cref="ColdBenchmarks"/> into the README's tables, one
/// per pattern, and checks issue #40's targets: each char writer at most 1.05x its floor and the reader at most 1.10x
/// the minimal reader, in each pattern, with nothing allocated. A case's figure is the median of its fastest launch
/// (each launch is a process), less the harness's overhead: a launch that a neighbour's burst slowed is left out, for
/// ours and the floors alike.
/// </summary>
public static class PatternTables
{
    private const double WriterTarget = 1.05;
    private const double ReadTarget = 1.10;

    // Each floor, then the cases measured against it.
    private static readonly (string Floor, string[] Ours)[] s_groups =
    [
        ("MinimalStrict", ["OursChars", "OursCharsTruncating"]),
        ("MinimalStrictFrame", ["OursFrameServer", "OursFrameServerTruncating", "OursHandshakeWriteClose"]),
        ("MinimalStrictFrameMasked", ["OursFrameMasked", "OursFrameMaskedTruncating"]),
        ("MinimalRead", ["OursRead"]),
    ];

    public static int Print(string artifacts)
    {
        string results = Path.Combine(artifacts, "results");
        Dictionary<(string Pattern, string Workload, string Method), (double Median, string Allocated)> cases = [];
        foreach (string suite in new[] { "PatternBenchmarks", "ColdBenchmarks" })
        {
            string csv = Path.Combine(results, $"WebSockets.CloseStatus.Benchmarks.{suite}-report.csv");
            if (File.Exists(csv))
            {
                string[] lines = File.ReadAllLines(csv);
                string[] header = Split(lines[0]);
                int Column(string name) => Array.IndexOf(header, name);
                foreach (string[] cells in lines.Skip(1).Select(Split))
                {
                    cases[(cells[Column("Pattern")], cells[Column("Workload")], cells[Column("Method")])] =
                        (Nanoseconds(cells[Column("Median")]), cells[Column("Allocated")]);
                }
            }
        }

        // The fastest launch's median replaces BenchmarkDotNet's median over all launches wherever the run's log has them.
        int launches = 0;
        foreach (var (key, median) in FastestLaunches(artifacts))
        {
            if (cases.TryGetValue(key, out var found))
            {
                cases[key] = (median, found.Allocated);
                launches++;
            }
        }

        if (cases.Count == 0)
        {
            Console.Error.WriteLine($"No PatternBenchmarks or ColdBenchmarks report under {results}.");
            return 2;
        }

        var output = new StringBuilder();
        var missed = new List<string>();
        foreach (string pattern in Enum.GetNames<Pattern>())
        {
            string[] workloads = [.. Workload.ForPatterns.Select(w => w.Name).Where(w => s_groups.Any(g => cases.ContainsKey((pattern, w, g.Floor))))];
            if (workloads.Length == 0)
            {
                missed.Add($"{pattern}: not measured");
                continue;
            }

            output.AppendLine(CultureInfo.InvariantCulture, $"{pattern}: each floor's median in ns, each case's median over it").AppendLine();
            output.AppendLine("| workload | " + string.Join(" | ", s_groups.Select(g => $"{g.Floor} (ns) | " + string.Join(" | ", g.Ours))) + " |");
            output.AppendLine("| --- |" + string.Concat(Enumerable.Repeat(" ---: |", s_groups.Sum(g => 1 + g.Ours.Length))));
            foreach (string workload in workloads)
            {
                var row = new List<string> { workload };
                foreach ((string floor, string[] ours) in s_groups)
                {
                    if (!cases.TryGetValue((pattern, workload, floor), out var baseline))
                    {
                        row.AddRange(Enumerable.Repeat("-", 1 + ours.Length));
                        missed.Add($"{pattern} {workload} {floor}: not measured");
                        continue;
                    }

                    row.Add(baseline.Median.ToString("0.0", CultureInfo.InvariantCulture));
                    foreach (string method in ours)
                    {
                        if (!cases.TryGetValue((pattern, workload, method), out var measured))
                        {
                            row.Add("-");
                            missed.Add($"{pattern} {workload} {method}: not measured");
                            continue;
                        }

                        double ratio = measured.Median / baseline.Median;
                        double target = floor == "MinimalRead" ? ReadTarget : WriterTarget;
                        row.Add(ratio.ToString("0.00", CultureInfo.InvariantCulture));
                        if (ratio > target)
                        {
                            missed.Add($"{pattern} {workload} {method}: {ratio:0.00}x its floor (target {target:0.00}x)");
                        }

                        if (measured.Allocated is not ("0 B" or "-"))
                        {
                            missed.Add($"{pattern} {workload} {method}: allocated {measured.Allocated}");
                        }
                    }
                }

                output.AppendLine("| " + string.Join(" | ", row) + " |");
            }

            output.AppendLine();
        }

        output.AppendLine(CultureInfo.InvariantCulture, $"Medians of each case's fastest launch for {launches} of {cases.Count} cases (the others: over all launches).");
        output.AppendLine("Targets (issue #40): " + (missed.Count == 0 ? "all met" : $"{missed.Count} missed"));
        foreach (string miss in missed)
        {
            output.AppendLine("- " + miss);
        }

        Console.Write(output.ToString());
        return missed.Count == 0 ? 0 : 1;
    }

    // Each case's median per launch, from the run's logs ("// Benchmark: Type.Method: job [Pattern=Hot, Workload=Ascii20]",
    // "// Launch: 1 / 3", then "WorkloadActual   1: 1024 op, 5120.00 ns, 5.0000 ns/op" and the same for OverheadActual),
    // less the overhead, and the fastest of them. The overhead (the harness's call of an empty method) is the same code
    // in every case of a pattern, so its median over all of them is taken off each: one launch's own 20 overhead
    // iterations, as BenchmarkDotNet subtracts them, vary by about 100 ns from launch to launch in the cold pattern,
    // where each iteration is one call. A later log's case replaces an earlier one's.
    internal static IEnumerable<((string Pattern, string Workload, string Method) Case, double Median)> FastestLaunches(string artifacts)
    {
        if (!Directory.Exists(artifacts))
        {
            yield break;
        }

        // Each case's launches and its overhead measurements, so that a case a later log measured again replaces both.
        var runs = new Dictionary<(string Pattern, string Workload, string Method), (List<List<double>> Launches, List<double> Overhead)>();
        foreach (string log in Directory.GetFiles(artifacts, "*.log").OrderBy(File.GetLastWriteTimeUtc))
        {
            (List<List<double>> Launches, List<double> Overhead)? current = null;
            foreach (string line in File.ReadLines(log))
            {
                if (line.StartsWith("// Benchmark: ", StringComparison.Ordinal))
                {
                    current = null;
                    if (ParseCase(line) is { } key)
                    {
                        current = runs[key] = ([], []);
                    }
                }
                else if (current is not { } run)
                {
                    continue;
                }
                else if (line.StartsWith("// Launch: ", StringComparison.Ordinal))
                {
                    run.Launches.Add([]);
                }
                else if (run.Launches.Count > 0 && line.StartsWith("WorkloadActual ", StringComparison.Ordinal))
                {
                    run.Launches[^1].Add(PerOperation(line));
                }
                else if (line.StartsWith("OverheadActual ", StringComparison.Ordinal))
                {
                    run.Overhead.Add(PerOperation(line));
                }
            }
        }

        Dictionary<string, double> overheads = runs.GroupBy(r => r.Key.Pattern)
            .ToDictionary(g => g.Key, g => Median([.. g.SelectMany(r => r.Value.Overhead)]));
        foreach (var (key, run) in runs)
        {
            List<double>[] measured = [.. run.Launches.Where(l => l.Count > 0)];
            if (measured.Length > 0)
            {
                yield return (key, measured.Min(Median) - overheads[key.Pattern]);
            }
        }
    }

    // "WorkloadActual  12: 1024 op, 5120.00 ns, 5.0000 ns/op": nanoseconds over operations.
    private static double PerOperation(string line)
    {
        string[] parts = line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Split(',', StringSplitOptions.TrimEntries);
        double operations = double.Parse(parts[0].Split(' ')[0], NumberStyles.Number, CultureInfo.InvariantCulture);
        double nanoseconds = double.Parse(parts[1].Split(' ')[0], NumberStyles.Number, CultureInfo.InvariantCulture);
        return nanoseconds / operations;
    }

    // "// Benchmark: ColdBenchmarks.OursRead: net10.0 build(...) [Pattern=Cold, Workload=Ascii20]"
    private static (string Pattern, string Workload, string Method)? ParseCase(string line)
    {
        string rest = line["// Benchmark: ".Length..];
        int dot = rest.IndexOf('.', StringComparison.Ordinal);
        int colon = rest.IndexOf(':', StringComparison.Ordinal);
        int open = rest.LastIndexOf('[');
        if (dot < 0 || colon < dot || open < 0 || !rest.EndsWith(']'))
        {
            return null;
        }

        string method = rest[(dot + 1)..colon];
        Dictionary<string, string> parameters = rest[(open + 1)..^1].Split(", ")
            .Select(p => p.Split('=', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1]);
        return parameters.TryGetValue("Pattern", out string? pattern) && parameters.TryGetValue("Workload", out string? workload)
            ? (pattern, workload, method)
            : null;
    }

    // The middle value; 0 for none (a log without overhead measurements takes nothing off).
    private static double Median(List<double> values)
    {
        if (values.Count == 0)
        {
            return 0;
        }

        double[] sorted = [.. values.Order()];
        int middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    // BenchmarkDotNet's times: "1,234.5 ns", "5.817 ns", "1.2 μs".
    private static double Nanoseconds(string cell)
    {
        string[] parts = cell.Split(' ');
        double value = double.Parse(parts[0], NumberStyles.Number, CultureInfo.InvariantCulture);
        return parts.Length < 2 ? value : parts[1] switch
        {
            "μs" or "us" => value * 1e3,
            "ms" => value * 1e6,
            "s" => value * 1e9,
            _ => value,
        };
    }

    // A CSV line whose fields may be quoted (with "" for a quote inside).
    private static string[] Split(string line)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        bool quoted = false;
        for (int i = 0; i < line.Length; i++)
        {
            char c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                fields.Add(field.ToString());
                field.Clear();
            }
            else
            {
                field.Append(c);
            }
        }

        fields.Add(field.ToString());
        return [.. fields];
    }
}
