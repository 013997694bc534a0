using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;

namespace WebSockets.CloseStatus.Benchmarks;

/// <summary>
/// Turns a finished run's artifacts into the benchmark README's tables and checks issue #5's targets, so the
/// numbers there come from a run and not from hand copying. Means and allocations come from BenchmarkDotNet's
/// CSV reports; each launch's mean is the average of that launch's WorkloadResult lines in the run's log.
/// </summary>
internal static partial class ReadmeTables
{
    private const string Net10 = "net10.0 build";
    private const string NetStandard = "netstandard2.0 build";
    private static readonly CultureInfo s_invariant = CultureInfo.InvariantCulture;

    public static int Print(string artifacts)
    {
        // BenchmarkDotNet names the log after the suite when a run selects one suite, and "BenchmarkRun" otherwise.
        string? log = Directory.GetFiles(artifacts, "*.log").OrderBy(File.GetLastWriteTimeUtc).LastOrDefault();
        string[] csvs = Directory.Exists(Path.Combine(artifacts, "results"))
            ? Directory.GetFiles(Path.Combine(artifacts, "results"), "*-report.csv")
            : [];
        if (log is null || csvs.Length == 0)
        {
            Console.Error.WriteLine($"No *.log or results/*-report.csv under {artifacts}: run the benchmarks first.");
            return 2;
        }

        Dictionary<Key, Row> rows = csvs.SelectMany(ReadCsv).ToDictionary(r => r.Key);
        Dictionary<Key, double[]> launches = ReadLaunchMeans(log);
        var table = new Tables(rows, launches);
        var output = new StringBuilder();

        output.AppendLine(s_invariant, $"Log: {Path.GetFileName(log)}");
        foreach (string line in RunEnvironment(log))
        {
            output.AppendLine(line);
        }

        AppendTable(output, table, "Read", "ReadBenchmarks", "Ours", "MinimalCorrect",
            Column(table, "Frame, unmasked", "ReadBenchmarks", "OursFrameUnmasked"),
            Column(table, "Frame, masked", "ReadBenchmarks", "OursFrameMasked"),
            Column(table, "NaiveGetString", "ReadBenchmarks", "NaiveGetString"),
            Column(table, ".NET ManagedWebSocket", "ReadBenchmarks", "DotNetManagedWebSocket"),
            ("ManagedWebSocket ÷ Ours", w => Times(table.Mean("ReadBenchmarks", "DotNetManagedWebSocket", Net10, w) / table.Mean("ReadBenchmarks", "Ours", Net10, w))));
        AppendTable(output, table, "Write from chars", "WriteBenchmarks", "OursChars", "MinimalStrict",
            RatioColumn(table, "Truncating ÷ MinimalStrict", "OursCharsTruncating", "MinimalStrict"),
            Column(table, "TwoPassEncoding", "WriteBenchmarks", "TwoPassEncoding"),
            Column(table, ".NET CloseOutputAsync", "WriteBenchmarks", "DotNetCloseOutputAsync"));
        AppendTable(output, table, "Server frame from chars", "WriteBenchmarks", "OursFrameServer", "MinimalStrictFrame",
            RatioColumn(table, "Truncating ÷ MinimalStrictFrame", "OursFrameServerTruncating", "MinimalStrictFrame"),
            RatioColumn(table, "Handshake WriteClose ÷ MinimalStrictFrame", "OursHandshakeWriteClose", "MinimalStrictFrame"));
        AppendTable(output, table, "Client frame from chars (masked)", "WriteBenchmarks", "OursFrameMasked", "MinimalStrictFrameMasked",
            RatioColumn(table, "Truncating ÷ MinimalStrictFrameMasked", "OursFrameMaskedTruncating", "MinimalStrictFrameMasked"));
        AppendTable(output, table, "Write from UTF-8", "WriteBenchmarks", "OursUtf8", "MinimalStrictUtf8");
        AppendTable(output, table, "Closing handshake (server: read the close, write the echo, the result)", "HandshakeBenchmarks", "Handshake", "FrameCalls");

        output.AppendLine().AppendLine("Targets (issues #5, #15, #18 and #28):");
        List<string> missed = Targets(table, rows.Values).ToList();
        foreach (string miss in missed)
        {
            output.AppendLine(s_invariant, $"- missed: {miss}");
        }

        if (missed.Count == 0)
        {
            output.AppendLine("- all met");
        }

        Console.Write(output.ToString());
        return missed.Count == 0 ? 0 : 1;
    }

    // One table: ours and its baseline with each launch's mean, their ratio, the netstandard2.0 build, then the extra columns.
    private static void AppendTable(StringBuilder output, Tables table, string title, string suite, string ours, string baseline, params (string Header, Func<string, string> Cell)[] extra)
    {
        output.AppendLine().AppendLine(title + ":").AppendLine();
        output.Append(s_invariant, $"| workload | {ours} net10.0 (per launch) | {baseline} net10.0 (per launch) | ratio (best launches) | {ours} netstandard2.0 | ns2.0 ÷ net10.0 |");
        foreach ((string header, _) in extra)
        {
            output.Append(' ').Append(header).Append(" |");
        }

        output.AppendLine().Append("|---|").Append(string.Concat(Enumerable.Repeat("---:|", 5 + extra.Length))).AppendLine();
        foreach (string workload in Workloads(suite))
        {
            double net10 = table.Mean(suite, ours, Net10, workload);
            double netStandard = table.Mean(suite, ours, NetStandard, workload);
            output.Append(s_invariant,
                $"| {workload} | {table.WithLaunches(suite, ours, workload)} | {table.WithLaunches(suite, baseline, workload)} | " +
                $"{table.Ratios(suite, ours, baseline, workload)} | {Time(netStandard)} | {Ratio(netStandard, net10)} |");
            foreach ((_, Func<string, string> cell) in extra)
            {
                output.Append(' ').Append(cell(workload)).Append(" |");
            }

            output.AppendLine();
        }
    }

    private static (string Header, Func<string, string> Cell) Column(Tables table, string header, string suite, string method) =>
        (header, workload => Time(table.Mean(suite, method, Net10, workload)));

    // A case's mean over its baseline's, both of the net10.0 build, for the same workload, and the ratio of their best launches.
    private static (string Header, Func<string, string> Cell) RatioColumn(Tables table, string header, string method, string baseline) =>
        (header + " (best launches)", workload => table.Ratios("WriteBenchmarks", method, baseline, workload));

    // Issue #28: every char writer at most its one-pass floor on every reason (4-123 bytes; the code alone has no reason to
    // transcode), each side at its fastest launch: here a process's code layout alone makes some launches of the same
    // code, ours and the floor's alike, up to 1.8x slower (benchmark README, issue #28's run); and the short reads, on
    // means, at their ratios from before the vector paths (CodeOnly 0.60, Ascii20 0.57) or better.
    private static IEnumerable<string> CharWriterTargets(Tables table)
    {
        (string Ours, string Floor)[] writers =
        [
            ("OursChars", "MinimalStrict"), ("OursCharsTruncating", "MinimalStrict"),
            ("OursFrameServer", "MinimalStrictFrame"), ("OursFrameServerTruncating", "MinimalStrictFrame"), ("OursHandshakeWriteClose", "MinimalStrictFrame"),
            ("OursFrameMasked", "MinimalStrictFrameMasked"), ("OursFrameMaskedTruncating", "MinimalStrictFrameMasked"),
        ];
        foreach ((string ours, string floor) in writers)
        {
            foreach (string workload in Workloads("WriteBenchmarks").Where(w => w != "CodeOnly"))
            {
                double ratio = table.BestLaunch("WriteBenchmarks", ours, workload) / table.BestLaunch("WriteBenchmarks", floor, workload);
                if (!(ratio <= 1.00))
                {
                    yield return $"WriteBenchmarks.{ours} [{workload}]: {Precise(ratio)}× {floor} (best launch of each), the target is at most 1.00× (or not measured)";
                }
            }
        }

        foreach ((string workload, double before) in new[] { ("CodeOnly", 0.60), ("Ascii20", 0.57) })
        {
            double ratio = table.Mean("ReadBenchmarks", "Ours", Net10, workload) / table.Mean("ReadBenchmarks", "MinimalCorrect", Net10, workload);
            if (!(ratio <= before))
            {
                yield return $"ReadBenchmarks.Ours [{workload}]: {Precise(ratio)}× the minimal reader, the target is at most {before:0.00}× (its ratio before the vector paths, or not measured)";
            }
        }
    }

    private static IEnumerable<string> Targets(Tables table, IEnumerable<Row> rows)
    {
        foreach (string miss in CharWriterTargets(table))
        {
            yield return miss;
        }

        foreach (Row row in rows.Where(r => r.Key.Method.StartsWith("Ours", StringComparison.Ordinal) && r.AllocatedBytes != 0))
        {
            yield return $"{row.Key}: allocates {row.AllocatedBytes} B, the target is 0 B";
        }

        (string Suite, string Ours, string Baseline)[] pairs =
            [("ReadBenchmarks", "Ours", "MinimalCorrect"), ("WriteBenchmarks", "OursChars", "MinimalStrict"), ("WriteBenchmarks", "OursUtf8", "MinimalStrictUtf8")];

        // Issue #5's targets (at most 1.10× the minimal code, the netstandard2.0 build within 3× of net10.0).
        foreach ((string suite, string ours, string baseline) in pairs)
        {
            foreach (string workload in Workloads(suite))
            {
                double net10 = table.Mean(suite, ours, Net10, workload);
                double ratio = net10 / table.Mean(suite, baseline, Net10, workload);
                double netStandard = table.Mean(suite, ours, NetStandard, workload) / net10;

                // A partial run (a --filter or --net10-only) proves nothing about the cases it left out.
                if (double.IsNaN(ratio) || double.IsNaN(netStandard))
                {
                    yield return $"{suite}.{ours} [{workload}]: not measured in both builds and against its baseline";
                    continue;
                }

                if (ratio > 1.10)
                {
                    yield return $"{suite}.{ours} [{workload}]: {Precise(ratio)}× the minimal baseline, the target is at most 1.10×";
                }

                if (netStandard > 3)
                {
                    yield return $"{suite}.{ours} [{workload}]: the netstandard2.0 build takes {Precise(netStandard)}× the net10.0 build, the target is at most 3×";
                }
            }
        }

        // Issue #18: the 120-byte mixed reason at a quarter of the minimal reader; the netstandard2.0 build's scalar loop no
        // slower than .NET 10's Utf8.IsValid (the minimal reader) on text in a 2- or 3-byte script.
        double mixed = table.Mean("ReadBenchmarks", "Ours", Net10, "Mixed120") / table.Mean("ReadBenchmarks", "MinimalCorrect", Net10, "Mixed120");
        if (!(mixed <= 0.25))
        {
            yield return $"ReadBenchmarks.Ours [Mixed120]: {Precise(mixed)}× the minimal baseline, the target is at most 0.25×";
        }

        // Writing from UTF-8 validates with the same loop, so it has the same target, on the one-script reasons it measures.
        (string Suite, string Ours, string Baseline)[] scalarPairs = [("ReadBenchmarks", "Ours", "MinimalCorrect"), ("WriteBenchmarks", "OursUtf8", "MinimalStrictUtf8")];
        foreach ((string suite, string ours, string baseline) in scalarPairs)
        {
            foreach (string workload in new[] { "Cyrillic25", "Cyrillic122", "Cjk18", "Cjk123" }.Where(w => Workloads(suite).Contains(w)))
            {
                double scalar = table.Mean(suite, ours, NetStandard, workload) / table.Mean(suite, baseline, Net10, workload);
                if (!(scalar <= 1))
                {
                    yield return $"{suite}.{ours} netstandard2.0 [{workload}]: {Precise(scalar)}× the minimal baseline on .NET 10, the target is at most 1×";
                }
            }
        }

        foreach (Row row in rows.Where(r => r.Key.Suite == "HandshakeBenchmarks" && r.Key.Method == "Handshake" && r.AllocatedBytes != 0))
        {
            yield return $"{row.Key}: allocates {row.AllocatedBytes} B per close, the target is 0 B";
        }

        foreach (string workload in new[] { "CodeOnly", "Ascii20", "Ascii123" })
        {
            double speedup = table.Mean("ReadBenchmarks", "DotNetManagedWebSocket", Net10, workload) / table.Mean("ReadBenchmarks", "Ours", Net10, workload);
            if (!(speedup >= 40))
            {
                yield return $"ReadBenchmarks.Ours [{workload}]: {Times(speedup)} faster than ManagedWebSocket, the target is at least 40×";
            }
        }
    }

    // The environment block BenchmarkDotNet prints above its first summary (versions, CPU, runtime).
    private static IEnumerable<string> RunEnvironment(string log) =>
        File.ReadLines(log).SkipWhile(l => !l.StartsWith("BenchmarkDotNet v", StringComparison.Ordinal)).TakeWhile(l => l.Length > 0);

    // Workloads in the order the suite declares them (the CSV lists them sorted by name).
    private static IEnumerable<string> Workloads(string suite) =>
        (suite switch { "ReadBenchmarks" => Workload.ForRead, "HandshakeBenchmarks" => Workload.ForHandshake, _ => Workload.ForWrite }).Select(w => w.Name);

    private static Dictionary<Key, double[]> ReadLaunchMeans(string log)
    {
        var sums = new Dictionary<Key, SortedDictionary<int, (double Sum, int Count)>>();
        Key? current = null;
        int launch = 1;
        foreach (string line in File.ReadLines(log))
        {
            Match match;
            if ((match = BenchmarkLine().Match(line)).Success)
            {
                current = new Key(match.Groups["suite"].Value, MethodName(match.Groups["method"].Value), match.Groups["job"].Value, match.Groups["workload"].Value);
                launch = 1;
            }
            else if ((match = LaunchLine().Match(line)).Success)
            {
                launch = int.Parse(match.Groups["launch"].Value, s_invariant);
            }
            else if (current is not null && (match = ResultLine().Match(line)).Success)
            {
                if (!sums.TryGetValue(current, out SortedDictionary<int, (double Sum, int Count)>? perLaunch))
                {
                    sums[current] = perLaunch = [];
                }

                (double sum, int count) = perLaunch.GetValueOrDefault(launch);
                perLaunch[launch] = (sum + double.Parse(match.Groups["ns"].Value, s_invariant), count + 1);
            }
        }

        return sums.ToDictionary(p => p.Key, p => p.Value.Values.Select(v => v.Sum / v.Count).ToArray());
    }

    private static IEnumerable<Row> ReadCsv(string path)
    {
        string suite = Path.GetFileName(path).Replace("-report.csv", "", StringComparison.Ordinal).Split('.')[^1];
        string[] lines = File.ReadAllLines(path);
        string[] header = SplitCsv(lines[0]);
        int method = Array.IndexOf(header, "Method");
        int job = Array.IndexOf(header, "Job");
        int workload = Array.IndexOf(header, "Workload");
        int mean = Array.IndexOf(header, "Mean");
        int allocated = Array.IndexOf(header, "Allocated");
        foreach (string line in lines.Skip(1).Where(l => l.Length > 0))
        {
            string[] cells = SplitCsv(line);
            yield return new Row(
                new Key(suite, MethodName(cells[method]), cells[job], cells[workload]),
                Nanoseconds(cells[mean]),
                Bytes(cells[allocated]));
        }
    }

    // BenchmarkDotNet quotes a cell that holds its separator ("35,576.1 ns") and doubles quotes inside one.
    private static string[] SplitCsv(string line)
    {
        var cells = new List<string>();
        var cell = new StringBuilder();
        bool quoted = false;
        for (int i = 0; i < line.Length; i++)
        {
            char c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"')
                {
                    cell.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    cell.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                cells.Add(cell.ToString());
                cell.Clear();
            }
            else
            {
                cell.Append(c);
            }
        }

        cells.Add(cell.ToString());
        return [.. cells];
    }

    // "'DotNetManagedWebSocket (incl. frame handling)'" names the method DotNetManagedWebSocket.
    private static string MethodName(string cell) => cell.Trim('\'').Split(' ')[0];

    private static double Nanoseconds(string cell)
    {
        string[] parts = cell.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        double value = double.Parse(parts[0], NumberStyles.Float | NumberStyles.AllowThousands, s_invariant);
        return value * parts[1] switch
        {
            "ns" => 1,
            "μs" or "us" => 1e3,
            "ms" => 1e6,
            "s" => 1e9,
            _ => throw new FormatException($"Unknown time unit in '{cell}'."),
        };
    }

    private static long Bytes(string cell)
    {
        if (cell is "-" or "")
        {
            return 0;
        }

        string[] parts = cell.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        double value = double.Parse(parts[0], NumberStyles.Float | NumberStyles.AllowThousands, s_invariant);
        return (long)(value * parts[1] switch
        {
            "B" => 1,
            "KB" => 1024,
            "MB" => 1024 * 1024,
            _ => throw new FormatException($"Unknown size unit in '{cell}'."),
        });
    }

    // Three significant figures at most, and no decimals past 100 ns: the launches do not agree more closely.
    private static string Time(double nanoseconds) => nanoseconds switch
    {
        double.NaN => "n/a",
        < 100 => nanoseconds.ToString("0.0", s_invariant),
        _ => nanoseconds.ToString("#,0", s_invariant),
    };

    private static string Ratio(double value, double baseline) => (value / baseline).ToString("0.00", s_invariant);

    // Three decimals, so that a miss by less than 0.005 does not print as the target itself.
    private static string Precise(double value) => value.ToString("0.000", s_invariant);

    private static string Times(double value) => value.ToString("#,0", s_invariant) + "×";

    [GeneratedRegex(@"^// Benchmark: (?<suite>\w+)\.(?<method>.+?): (?<job>[\w.]+ build)\(.*\) \[Workload=(?<workload>\w+)\]$")]
    private static partial Regex BenchmarkLine();

    [GeneratedRegex(@"^// Launch: (?<launch>\d+) / \d+")]
    private static partial Regex LaunchLine();

    [GeneratedRegex(@"^WorkloadResult\s+\d+: \d+ op, [\d.]+ ns, (?<ns>[\d.]+) ns/op")]
    private static partial Regex ResultLine();

    private sealed record Key(string Suite, string Method, string Job, string Workload)
    {
        public override string ToString() => $"{Suite}.{Method} ({Job}) [{Workload}]";
    }

    private sealed record Row(Key Key, double Nanoseconds, long AllocatedBytes);

    private sealed class Tables(Dictionary<Key, Row> rows, Dictionary<Key, double[]> launches)
    {
        public double Mean(string suite, string method, string job, string workload) =>
            rows.TryGetValue(new Key(suite, method, job, workload), out Row? row) ? row.Nanoseconds : double.NaN;

        // The fastest launch's mean: the run's estimate of the code's speed with the process's address layout left out.
        public double BestLaunch(string suite, string method, string workload) =>
            launches.TryGetValue(new Key(suite, method, Net10, workload), out double[]? perLaunch) && perLaunch.Length > 0 ? perLaunch.Min() : double.NaN;

        // "0.88 (0.95)": the means' ratio, then the best launches' ratio.
        public string Ratios(string suite, string method, string baseline, string workload) =>
            $"{Ratio(Mean(suite, method, Net10, workload), Mean(suite, baseline, Net10, workload))} " +
            $"({Ratio(BestLaunch(suite, method, workload), BestLaunch(suite, baseline, workload))})";

        public string WithLaunches(string suite, string method, string workload)
        {
            string mean = Time(Mean(suite, method, Net10, workload));
            return launches.TryGetValue(new Key(suite, method, Net10, workload), out double[]? perLaunch)
                ? $"{mean} ({string.Join(" / ", perLaunch.Select(Time))})"
                : mean;
        }
    }
}
