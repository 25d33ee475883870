using System.Diagnostics;
using System.Globalization;

namespace PatchGen.Benchmarks.Runtime;

/// <summary>
/// <c>calls-ab [rounds] [seed]</c>: what a call costs, plain against instrumented and patched, in one process and
/// interleaved (docs/benchmarks.md, "Per call"). A quicker companion of <see cref="RuntimeCallBenchmarks"/>, whose
/// benchmarks each run in a process of their own: here every round times each variant once, in a random order, so
/// that a change of the machine's load falls on all of them alike. The variants: the plain build, the plain build
/// again (the A/A control), the instrumented build as <c>patchgen instrument</c> writes it (steady dispatch
/// stubs, which the JIT inlines into the dispatch blocks: docs/patch-sites.md, "Steady stubs"), the instrumented build
/// with out-of-line stubs only (<c>--no-steady-stubs</c>, the default before 2026-12-07), and that build with stubs that
/// call the version rather than jump to it (as before <c>InstrumentOptions.TailCallStubs</c>). The methods: <c>Leaf</c> and <c>NonLeaf</c>, which the delegate's caller inlines after guarded
/// devirtualization (check and all), and <c>Opaque</c>, which it never inlines. The unpatched rounds come first;
/// then the same patch of the three is enabled on every instrumented build, and the same rounds run again.
/// </summary>
internal static class CallAbHarness
{
    private const int CallsPerSample = 200_000;

    private static readonly string[] VariantNames = ["plain", "plain again (A/A)", "instrumented", "out-of-line stubs", "calling stubs"];

    private static int Sink;

    public static int Run(int rounds, int seed)
    {
        var methods = new[] { "Leaf", "NonLeaf", "Opaque" };
        var builds = new[] { RuntimeTargets.Calc, RuntimeTargets.CalcOutOfLine, RuntimeTargets.CalcCallingStubs };
        // [method][variant]
        var targets = methods.Select(m => new[]
        {
            builds[0].Method<Func<int, int>>(instrumented: false, "PgBench.Calc", m),
            builds[0].Method<Func<int, int>>(instrumented: false, "PgBench.Calc", m),
            builds[0].Method<Func<int, int>>(instrumented: true, "PgBench.Calc", m),
            builds[1].Method<Func<int, int>>(instrumented: true, "PgBench.Calc", m),
            builds[2].Method<Func<int, int>>(instrumented: true, "PgBench.Calc", m),
        }).ToArray();

        var unpatched = Measure(rounds, seed, targets);
        for (int b = 0; b < builds.Length; b++)
            RuntimeTargets.EnableAndWait(RuntimeTargets.CalcPatch(builds[b], "calls-ab-" + b));
        foreach (var variant in new[] { 2, 3, 4 })
        {
            if (targets[0][variant](1) != 5 || targets[1][variant](1) != 4 || targets[2][variant](1) != 5)
                throw new InvalidOperationException("the patch is not in effect in " + VariantNames[variant]);
        }
        var patched = Measure(rounds, seed + 1, targets);
        for (int b = 0; b < builds.Length; b++)
            RuntimeTargets.DisableAndWait("calls-ab-" + b);

        Console.WriteLine($"{rounds} rounds of {CallsPerSample:N0} delegate calls per variant, each variant its own loop;");
        Console.WriteLine("ns per call: median [min] over rounds; against plain: the median of each round's difference");
        for (int m = 0; m < methods.Length; m++)
        {
            foreach (var (label, samples) in new[] { ("unpatched", unpatched[m]), ("patched", patched[m]) })
            {
                Console.WriteLine($"{methods[m]}, {label}:");
                for (int v = 0; v < VariantNames.Length; v++)
                    Print("  " + VariantNames[v], samples[v], v == 0 ? null : samples[0]);
            }
        }
        return 0;
    }

    /// <summary>[method][variant] lists of ns per call, one per round.</summary>
    private static List<double>[][] Measure(int rounds, int seed, Func<int, int>[][] targets)
    {
        var random = new Random(seed);
        var result = targets.Select(t => t.Select(_ => new List<double>()).ToArray()).ToArray();
        // Warm-up: every variant's loop to tier 1 before the first measured round.
        for (int w = 0; w < 40; w++)
            for (int m = 0; m < targets.Length; m++)
                for (int v = 0; v < targets[m].Length; v++)
                    Time(m, v, targets[m][v]);
        for (int r = 0; r < rounds; r++)
        {
            for (int m = 0; m < targets.Length; m++)
            {
                foreach (int v in Enumerable.Range(0, targets[m].Length).OrderBy(_ => random.Next()).ToArray())
                    result[m][v].Add(Time(m, v, targets[m][v]));
            }
        }
        return result;
    }

    // Each method and variant has a loop of its own (a generic method instantiated over a struct gets code of its
    // own), so that the JIT's profile of one delegate call site sees one target, as a real caller's would, and
    // guarded devirtualization treats every variant alike: one shared loop would be devirtualized for whichever
    // target it saw most.
    private static double Time(int method, int variant, Func<int, int> target) => ((method * VariantCount) + variant) switch
    {
        0 => Time<Tag0>(target),
        1 => Time<Tag1>(target),
        2 => Time<Tag2>(target),
        3 => Time<Tag3>(target),
        4 => Time<Tag4>(target),
        5 => Time<Tag5>(target),
        6 => Time<Tag6>(target),
        7 => Time<Tag7>(target),
        8 => Time<Tag8>(target),
        9 => Time<Tag9>(target),
        10 => Time<Tag10>(target),
        11 => Time<Tag11>(target),
        12 => Time<Tag12>(target),
        13 => Time<Tag13>(target),
        14 => Time<Tag14>(target),
        _ => throw new ArgumentOutOfRangeException(nameof(method)),
    };

    private const int VariantCount = 5;

    private struct Tag0;
    private struct Tag1;
    private struct Tag2;
    private struct Tag3;
    private struct Tag4;
    private struct Tag5;
    private struct Tag6;
    private struct Tag7;
    private struct Tag8;
    private struct Tag9;
    private struct Tag10;
    private struct Tag11;
    private struct Tag12;
    private struct Tag13;
    private struct Tag14;

    private static double Time<TLoop>(Func<int, int> method)
        where TLoop : struct
    {
        long start = Stopwatch.GetTimestamp();
        int sum = 0;
        for (int i = 0; i < CallsPerSample; i++)
            sum += method(i);
        long ticks = Stopwatch.GetTimestamp() - start;
        Sink = sum; // used, so the JIT keeps the work of every call (and the plain build is not left a loop of null checks)
        return ticks * 1e9 / Stopwatch.Frequency / CallsPerSample;
    }

    private static void Print(string label, List<double> values, List<double>? baseline)
    {
        string line = string.Create(CultureInfo.InvariantCulture, $"{label,-22} {Median(values),6:0.00} [{values.Min(),5:0.00}]");
        if (baseline is not null)
            line += string.Create(CultureInfo.InvariantCulture, $"   {Median(values.Zip(baseline, (v, b) => v - b).ToList()),6:+0.00;-0.00;0.00} ns");
        Console.WriteLine(line);
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
