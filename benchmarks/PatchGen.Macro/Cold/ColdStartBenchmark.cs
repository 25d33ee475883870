using System.Globalization;

namespace PatchGen.Macro.Cold;

/// <summary>
/// The <c>cold</c> command (docs/benchmarks.md, "Cold start"): cold processes of the floor (Cecil reading the Roslyn
/// pair, nothing else), <c>patchgen diff</c> of that pair as it ran before (IL only, runtime defaults; twice: two
/// byte-identical copies, the A/A control) and as shipped (ReadyToRun, tiered PGO off), and <c>patchgen --help</c>
/// before and as shipped. Every round starts each variant once,
/// in a new random order; ratios are taken within a round, so load that drifts over the run cancels out. Wall time
/// is what a user waits; CPU time (user + system of all the process's threads) is the work, less sensitive to
/// the other processes of a shared machine. Two extra variants split the gain between its two causes: the shipped
/// tool with its precompiled code ignored (<c>DOTNET_ReadyToRun=0</c>: PGO off alone) and with tiered PGO back on
/// (<c>DOTNET_TieredPGO=1</c>: ReadyToRun alone). With <c>--baseline DIR</c> it compares instead this checkout's shipped
/// tool with another checkout's published one (a change's after and before), a copy of that one as the A/A control.
/// </summary>
internal static class ColdStartBenchmark
{
    private const string Diff = "diff", Help = "help";
    private const string Floor = "floor (Cecil reads both)", Jit = "diff, before (IL only)", JitCopy = "diff, before #2", ReadyToRun = "diff, shipped (ReadyToRun, PGO off)",
        PgoOffOnly = "diff, shipped with DOTNET_ReadyToRun=0", ReadyToRunOnly = "diff, shipped with DOTNET_TieredPGO=1",
        HelpJit = "--help, before", HelpReadyToRun = "--help, shipped";

    private const string Baseline = "diff, baseline (--baseline)", BaselineCopy = "diff, baseline #2", Candidate = "diff, this checkout (shipped)";

    public static int Run(HarnessOptions options, string workDirectory, TextWriter output)
    {
        if (options.Baseline is { } baselineDirectory)
            return RunAgainst(options, workDirectory, Path.GetFullPath(baselineDirectory), output);
        var builds = ColdBuilds.Prepare(workDirectory, output);
        string basePath = HarnessPaths.RoslynCSharpDll("4.14.0"), newPath = HarnessPaths.RoslynCSharpDll("5.0.0");
        var none = new Dictionary<string, string>();
        var variants = new List<ColdVariant>
        {
            new(Floor, "floor", [builds.Floor, basePath, newPath], 0, none),
            // Exit 1: the pair is not patchable (it adds fields, changes signatures); the report is the same either way.
            new(Jit, Diff, [builds.JitTool, "diff", basePath, newPath], 1, none),
            new(JitCopy, Diff, [builds.JitToolCopy, "diff", basePath, newPath], 1, none),
            new(ReadyToRun, Diff, [builds.ReadyToRunTool, "diff", basePath, newPath], 1, none),
            new(PgoOffOnly, Diff, [builds.ReadyToRunTool, "diff", basePath, newPath], 1, new Dictionary<string, string> { ["DOTNET_ReadyToRun"] = "0" }),
            new(ReadyToRunOnly, Diff, [builds.ReadyToRunTool, "diff", basePath, newPath], 1, new Dictionary<string, string> { ["DOTNET_TieredPGO"] = "1" }),
            new(HelpJit, Help, [builds.JitTool, "--help"], 0, none),
            new(HelpReadyToRun, Help, [builds.ReadyToRunTool, "--help"], 0, none),
        };
        (string Label, string Variant, string Baseline)[] ratios =
        [
            ("before #2 / before (A/A)", JitCopy, Jit),
            ("shipped / before", ReadyToRun, Jit),
            ("before / floor", Jit, Floor),
            ("shipped / floor (goal ≤ 1.3)", ReadyToRun, Floor),
            ("PGO off alone (DOTNET_ReadyToRun=0) / before", PgoOffOnly, Jit),
            ("ReadyToRun alone (DOTNET_TieredPGO=1) / before", ReadyToRunOnly, Jit),
            ("--help shipped / before", HelpReadyToRun, HelpJit),
        ];
        return Measure(options, variants, ratios, output);
    }

    /// <summary>
    /// <c>--baseline DIR</c>: the shipped tool of this checkout against another checkout's (a change's before and
    /// after), in the same rounds, with a second copy of the baseline as the A/A control, and the floor.
    /// </summary>
    private static int RunAgainst(HarnessOptions options, string workDirectory, string baselineDirectory, TextWriter output)
    {
        var (baseline, baselineCopy, candidate, floor) = ColdBuilds.PrepareAgainst(workDirectory, baselineDirectory, output);
        string basePath = HarnessPaths.RoslynCSharpDll("4.14.0"), newPath = HarnessPaths.RoslynCSharpDll("5.0.0");
        var none = new Dictionary<string, string>();
        var variants = new List<ColdVariant>
        {
            new(Floor, "floor", [floor, basePath, newPath], 0, none),
            new(Baseline, Diff, [baseline, "diff", basePath, newPath], 1, none),
            new(BaselineCopy, Diff, [baselineCopy, "diff", basePath, newPath], 1, none),
            new(Candidate, Diff, [candidate, "diff", basePath, newPath], 1, none),
        };
        (string Label, string Variant, string Baseline)[] ratios =
        [
            ("baseline #2 / baseline (A/A)", BaselineCopy, Baseline),
            ("this checkout / baseline", Candidate, Baseline),
            ("baseline / floor", Baseline, Floor),
            ("this checkout / floor (goal ≤ 1.3)", Candidate, Floor),
        ];
        return Measure(options, variants, ratios, output);
    }

    private static int Measure(HarnessOptions options, List<ColdVariant> variants, (string Label, string Variant, string Baseline)[] ratios, TextWriter output)
    {
        // One untimed start of each, so that every file is in the page cache for all of them alike (a "cold"
        // start here is a new process, not a cold disk), and every comparison's outputs agree.
        var expected = new Dictionary<string, string>();
        foreach (var variant in variants)
        {
            var run = ColdRun.Start(variant);
            if (!expected.TryAdd(variant.Comparison, run.StandardOutput) && expected[variant.Comparison] != run.StandardOutput)
                throw new InvalidOperationException($"{variant.Name} printed another output than the other variants of '{variant.Comparison}'");
        }

        int rounds = options.Rounds ?? (options.Quick ? 2 : 10);
        var random = new Random(options.Seed);
        var runs = variants.ToDictionary(v => v.Name, _ => new ColdRun[rounds]);
        for (int round = 0; round < rounds; round++)
        {
            var order = variants.ToArray();
            random.Shuffle(order);
            foreach (var variant in order)
            {
                var run = ColdRun.Start(variant);
                if (run.StandardOutput != expected[variant.Comparison])
                    throw new InvalidOperationException($"{variant.Name} printed another output in round {round + 1}");
                runs[variant.Name][round] = run;
            }
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  round {round + 1}/{rounds}: {string.Join(", ", order.Select(v => $"{v.Name} {runs[v.Name][round].WallSeconds:0.00} s"))}; load average {MachineDescription.LoadAverage()}"));
        }
        Report(options, rounds, runs, ratios, random, output);
        return 0;
    }

    private static void Report(HarnessOptions options, int rounds, Dictionary<string, ColdRun[]> runs, (string Label, string Variant, string Baseline)[] ratios, Random random,
        TextWriter output)
    {
        output.WriteLine();
        output.WriteLine($"Cold processes, {rounds} rounds, every variant once per round in random order. Medians [95% interval, bootstrap over rounds].");
        output.WriteLine();
        output.WriteLine("| process | wall | CPU (user + sys) |");
        output.WriteLine("|---|---:|---:|");
        foreach (var (name, measured) in runs)
            output.WriteLine($"| {name} | {Seconds(measured.Select(r => r.WallSeconds))} | {Seconds(measured.Select(r => r.CpuSeconds))} |");
        output.WriteLine();
        output.WriteLine("| ratio (per round) | wall | CPU |");
        output.WriteLine("|---|---:|---:|");
        foreach (var (label, variant, baseline) in ratios)
            output.WriteLine($"| {label} | {Ratio(runs[variant], runs[baseline], r => r.WallSeconds, random)} | {Ratio(runs[variant], runs[baseline], r => r.CpuSeconds, random)} |");
        output.WriteLine();
        output.WriteLine("Command: " + options.CommandLine());
    }

    private static string Ratio(ColdRun[] variant, ColdRun[] baseline, Func<ColdRun, double> measure, Random random)
        => RatioEstimate.FromGroups(variant.Zip(baseline, (v, b) => (IReadOnlyList<double>)[measure(v) / measure(b)]).ToList(), random).ToString();

    /// <summary>"5.61 s [5.40, 5.90]": the median and its bootstrap interval.</summary>
    private static string Seconds(IEnumerable<double> values)
    {
        var estimate = RatioEstimate.FromGroups(values.Select(v => (IReadOnlyList<double>)[v]).ToList(), new Random(0));
        return string.Create(CultureInfo.InvariantCulture, $"{estimate.Median:0.00} s [{estimate.Low:0.00}, {estimate.High:0.00}]");
    }
}
