using System.Diagnostics;
using System.Globalization;

namespace PatchGen.Benchmarks.Runtime;

/// <summary>
/// Transitions, interleaved A/B (docs/benchmarks.md, "Transitions"): each round starts one child process per
/// variant (<c>transitions-once</c>, a fresh process each time) in a random order, so that the load of this shared
/// machine falls on every variant alike, which BenchmarkDotNet's one-job-after-the-other cannot promise. Variants,
/// without a baseline build: stack snapshots through the diagnostic server (<c>PATCHGEN_STACK_SNAPSHOT=server</c>,
/// the baseline), through in-process file sessions (the default), and the default again (the A/A control). With
/// the path of another build's PatchGen.Benchmarks.dll (a checkout of main, say): that build's default is the
/// baseline, this build's default the B, and this build's again the A/A. Prints per-variant medians of every
/// transition, and the median over rounds of each round's median ratio to the baseline.
/// </summary>
internal static class TransitionAbHarness
{
    private sealed record Variant(string Name, string? Snapshot, string? Build = null);

    /// <param name="gapMilliseconds">How long each child waits before each Enable and each Disable (0: back to back).</param>
    public static int Run(int busyThreads, int rounds, int perProcess, int seed, string? baselineBuild, int gapMilliseconds = 0)
    {
        Variant[] variants = baselineBuild is null
            ? [new("server", "server"), new("file", null), new("file (A/A)", null)]
            : [new("baseline", null, baselineBuild), new("this build", null), new("this build (A/A)", null)];
        string baseline = variants[0].Name;
        var random = new Random(seed);
        var self = typeof(TransitionAbHarness).Assembly.Location;
        var all = variants.ToDictionary(v => v.Name, _ => (Enable: new List<double>(), Disable: new List<double>()));
        var engine = variants.ToDictionary(v => v.Name, _ => (Enable: new List<double>(), Disable: new List<double>()));
        var ratios = variants.ToDictionary(v => v.Name, _ => (Enable: new List<double>(), Disable: new List<double>()));
        for (int round = 0; round < rounds; round++)
        {
            var medians = new Dictionary<string, (double Enable, double Disable)>();
            foreach (var variant in variants.OrderBy(_ => random.Next()))
            {
                var (enables, disables, engineEnables, engineDisables) = RunChild(variant.Build ?? self, variant, busyThreads, perProcess, gapMilliseconds);
                all[variant.Name].Enable.AddRange(enables);
                all[variant.Name].Disable.AddRange(disables);
                engine[variant.Name].Enable.AddRange(engineEnables);
                engine[variant.Name].Disable.AddRange(engineDisables);
                medians[variant.Name] = (Median(enables), Median(disables));
            }
            foreach (var variant in variants)
            {
                ratios[variant.Name].Enable.Add(medians[variant.Name].Enable / medians[baseline].Enable);
                ratios[variant.Name].Disable.Add(medians[variant.Name].Disable / medians[baseline].Disable);
            }
            Console.WriteLine(FormattableString.Invariant($"round {round + 1}/{rounds}: ") + string.Join(", ", variants.Select(v => FormattableString.Invariant($"{v.Name} {medians[v.Name].Enable:0}/{medians[v.Name].Disable:0} ms"))));
        }

        Console.WriteLine(FormattableString.Invariant($"busy threads {busyThreads}, {rounds} rounds x {perProcess} enable+disable per process, {gapMilliseconds} ms apart, seed {seed}") + (baselineBuild is null ? "" : ", baseline " + baselineBuild));
        Console.WriteLine($"| variant | enable median [p10, p90] ms | disable median [p10, p90] ms | enable / {baseline} (median of rounds) | disable / {baseline} |");
        Console.WriteLine("|---|---:|---:|---:|---:|");
        foreach (var variant in variants)
        {
            var (enable, disable) = all[variant.Name];
            var (enableRatio, disableRatio) = ratios[variant.Name];
            Console.WriteLine(FormattableString.Invariant(
                $"| {variant.Name} | {Median(enable):0.0} [{Percentile(enable, 0.1):0.0}, {Percentile(enable, 0.9):0.0}] | {Median(disable):0.0} [{Percentile(disable, 0.1):0.0}, {Percentile(disable, 0.9):0.0}] | {Median(enableRatio):0.00} | {Median(disableRatio):0.00} |"));
        }

        foreach (var variant in variants)
        {
            var (engineEnable, engineDisable) = engine[variant.Name];
            if (engineEnable.Count > 0)
                Console.WriteLine(FormattableString.Invariant($"{variant.Name}: transition alone (published to certified, the engine's histogram) enable median {Median(engineEnable):0.0} [{Percentile(engineEnable, 0.1):0.0}, {Percentile(engineEnable, 0.9):0.0}] ms, disable {Median(engineDisable):0.0} [{Percentile(engineDisable, 0.1):0.0}, {Percentile(engineDisable, 0.9):0.0}] ms"));
        }

        return 0;
    }

    private static (List<double> Enables, List<double> Disables, List<double> EngineEnables, List<double> EngineDisables) RunChild(string self, Variant variant, int busyThreads, int count, int gapMilliseconds)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in new[] { self, "transitions-once", busyThreads.ToString(CultureInfo.InvariantCulture), count.ToString(CultureInfo.InvariantCulture), gapMilliseconds.ToString(CultureInfo.InvariantCulture) })
            start.ArgumentList.Add(argument);
        start.Environment.Remove("PATCHGEN_STACK_SNAPSHOT");
        if (variant.Snapshot is { } way)
            start.Environment["PATCHGEN_STACK_SNAPSHOT"] = way;
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start the child");
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"child ({variant.Name}) exited with {process.ExitCode}: {output}");
        return (Values(output, "enable ms:"), Values(output, "disable ms:"), Values(output, "enable transition ms:"), Values(output, "disable transition ms:"));
    }

    // Empty when the child does not print the line (a baseline build from before it did).
    private static List<double> Values(string output, string prefix)
    {
        var line = output.Split('\n').SingleOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal));
        return line is null ? new List<double>() : line[prefix.Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToList();
    }

    private static double Median(List<double> values) => Percentile(values, 0.5);

    private static double Percentile(List<double> values, double p)
    {
        var sorted = values.OrderBy(v => v).ToList();
        return sorted[Math.Min(sorted.Count - 1, (int)(p * sorted.Count))];
    }
}
