using System.Globalization;
using System.Text.Json;

namespace PatchGen.Macro.InProcess;

/// <summary>
/// The <c>libs</c> command: Newtonsoft.Json, Markdig and ShopService, plain vs instrumented (and patched for
/// ShopService) in one process, interleaved, with an A/A control; repeated in several processes (launches), since
/// one process's code layout can favour one copy over an identical other for its whole life; prints markdown tables.
/// </summary>
internal static class InProcessBenchmark
{
    public static RunSettings Settings(HarnessOptions options)
    {
        var settings = options.Quick ? RunSettings.Quick : RunSettings.Full;
        return options.Rounds is int rounds ? settings with { Rounds = rounds } : settings;
    }

    public static int Run(HarnessOptions options, string workDirectory, TextWriter output)
    {
        // Prepared once (copies, instrumentation, ShopService builds and patch), measured by every launch.
        if (options.Includes(NewtonsoftJsonWorkload.Name))
            NewtonsoftJsonWorkload.Prepare(workDirectory, options.Variant);
        if (options.Includes(MarkdigWorkload.Name))
            MarkdigWorkload.Prepare(workDirectory, options.Variant);
        if (options.Includes(ShopServiceWorkload.Name))
            ShopServiceWorkload.Prepare(workDirectory, options.Fix, output);

        int launches = options.Launches ?? (options.Quick ? 1 : 3);
        var seeds = new Random(options.Seed);
        var results = new List<LaunchResult>();
        for (int launch = 0; launch < launches; launch++)
        {
            int seed = seeds.Next();
            var resultFile = Path.Combine(workDirectory, $"libs-launch-{launch}.json");
            var args = new List<string> { typeof(InProcessBenchmark).Assembly.Location, "libs-launch", resultFile, "--work", workDirectory, "--seed", seed.ToString(CultureInfo.InvariantCulture), "--fix", options.Fix };
            if (options.Quick) args.Add("--quick");
            if (options.Rounds is int rounds) args.AddRange(["--rounds", rounds.ToString(CultureInfo.InvariantCulture)]);
            if (options.Only.Count > 0) args.AddRange(["--only", string.Join(',', options.Only)]);
            if (options.Variant is not null) args.AddRange(["--variant", options.Variant]);
            var run = ProcessRunner.Run("dotnet", args, timeout: TimeSpan.FromMinutes(15));
            foreach (var line in run.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                output.WriteLine($"  [process {launch + 1}] {line}");
            if (run.ExitCode != 0)
                throw new InvalidOperationException($"libs-launch {launch + 1} failed ({run.ExitCode}):\n{run.StandardError}");
            results.Add(JsonSerializer.Deserialize<LaunchResult>(File.ReadAllText(resultFile))!);
        }
        Report(options, Settings(options), results, output);
        return 0;
    }

    private static void Report(HarnessOptions options, RunSettings settings, List<LaunchResult> launches, TextWriter output)
    {
        var random = new Random(options.Seed);
        string[] compared = [LibraryCopies.Plain2Name, LibraryCopies.InstrumentedName, ShopServiceWorkload.PatchedName, LibraryCopies.VariantName];
        var names = launches[0].Workloads.Select(w => w.Name).ToList();
        output.WriteLine();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"In-process workloads: CPU time of the measuring thread per operation. {launches.Count} process(es) × {settings.Rounds} rounds, variants in random order each round, each variant warmed {settings.WarmupSecondsPerVariant} s of CPU first. Ratio = median of per-round ratios to plain #1 [95% interval, bootstrap over processes and rounds]."));
        output.WriteLine();
        output.WriteLine("| workload | plain #1 CPU/op | plain #2 / plain #1 (A/A) | instrumented / plain #1 | patched / plain #1 | variant / plain #1 |");
        output.WriteLine("|---|---:|---:|---:|---:|---:|");
        foreach (var name in names)
        {
            var measured = launches.Select(l => l.Workloads.Single(w => w.Name == name)).ToList();
            var cells = compared.Select(variant =>
            {
                var groups = measured.Select(m => m.RatiosToBaseline(variant)).ToList();
                return groups.Any(g => g is null) ? "–" : RatioEstimate.FromGroups(groups!, random).ToString();
            });
            var baseline = Statistics.Median(measured.SelectMany(m => m.Baseline.CpuNanosecondsPerOp));
            output.WriteLine($"| {name} | {Microseconds(baseline)} | {string.Join(" | ", cells)} |");
        }
        output.WriteLine();
        output.WriteLine("Per process (median of its rounds; the spread of the A/A column is the process-to-process noise):");
        output.WriteLine();
        output.WriteLine("| workload | process | ops/batch | A/A | instrumented | patched | variant | methods jitted while measuring | gen2 GCs | CPU/wall | load average start → end |");
        output.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|");
        foreach (var name in names)
        {
            for (int i = 0; i < launches.Count; i++)
            {
                var m = launches[i].Workloads.Single(w => w.Name == name);
                var cells = compared.Select(v => m.RatiosToBaseline(v) is { } r ? Statistics.Median(r).ToString("0.000", CultureInfo.InvariantCulture) : "–");
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {name} | {i + 1} | {m.OpsPerBatch} | {string.Join(" | ", cells)} | {m.MethodsJittedWhileMeasuring} | {m.Gen2CollectionsWhileMeasuring} | {m.CpuShareOfWall:0.00} | {launches[i].LoadAverageAtStart} → {launches[i].LoadAverageAtEnd} |"));
            }
        }
        output.WriteLine();
        foreach (var m in launches[0].Workloads)
            output.WriteLine($"- {m.Name}: {m.Description}");
        output.WriteLine();
        output.WriteLine("Command: " + options.CommandLine());
    }

    private static string Microseconds(double nanoseconds)
        => (nanoseconds / 1000).ToString(nanoseconds < 100_000 ? "0.00" : "0.0", CultureInfo.InvariantCulture) + " µs";
}
