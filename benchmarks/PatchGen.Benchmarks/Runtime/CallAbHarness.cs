using System.Diagnostics;
using System.Globalization;

namespace PatchGen.Benchmarks.Runtime;

/// <summary>
/// <c>calls-ab [rounds] [seed]</c>: what a call costs, plain against instrumented and patched, in one process and
/// interleaved (docs/benchmarks.md, "Per call"). A quicker companion of <see cref="RuntimeCallBenchmarks"/>, whose
/// benchmarks each run in a process of their own: here every round times each variant once, in a random order,
/// so a change of the machine's load falls on all of them alike, and the plain build is timed twice (the A/A
/// control). The plain and the instrumented build are two assemblies loaded side by side; the patch of
/// <c>Calc.Leaf</c>, <c>Calc.NonLeaf</c> and <c>Calc.Opaque</c> is enabled on the instrumented one after the
/// unpatched rounds, so "instrumented" and "patched" are the same code before and after the patch.
/// </summary>
internal static class CallAbHarness
{
    private const int CallsPerSample = 200_000;

    private static int Sink;

    public static int Run(int rounds, int seed)
    {
        const string type = "PgBench.Calc";
        var calc = RuntimeTargets.Calc;
        var methods = new[] { "Leaf", "NonLeaf" };
        var plain = methods.Select(m => calc.Method<Func<int, int>>(instrumented: false, type, m)).ToArray();
        var instrumented = methods.Select(m => calc.Method<Func<int, int>>(instrumented: true, type, m)).ToArray();

        var unpatched = Measure(rounds, seed, plain, instrumented);
        RuntimeTargets.EnableAndWait(RuntimeTargets.CalcPatch("calls-ab"));
        if (instrumented[0](1) != 5 || instrumented[1](1) != 4)
            throw new InvalidOperationException("the patch is not in effect");
        var patched = Measure(rounds, seed + 1, plain, instrumented);
        RuntimeTargets.DisableAndWait("calls-ab");

        Console.WriteLine($"{rounds} rounds of {CallsPerSample:N0} delegate calls per variant; ns per call, median [min] over rounds; differences are medians of each round's difference");
        for (int m = 0; m < methods.Length; m++)
        {
            Console.WriteLine($"{methods[m]}:");
            Print("  plain", unpatched[m].Plain, null);
            Print("  plain again (A/A)", unpatched[m].PlainAgain, unpatched[m].Plain);
            Print("  instrumented", unpatched[m].Other, unpatched[m].Plain);
            Print("  plain (patched rounds)", patched[m].Plain, null);
            Print("  plain again (A/A)", patched[m].PlainAgain, patched[m].Plain);
            Print("  patched", patched[m].Other, patched[m].Plain);
        }
        return 0;
    }

    private sealed record Samples(List<double> Plain, List<double> PlainAgain, List<double> Other);

    private static Samples[] Measure(int rounds, int seed, Func<int, int>[] plain, Func<int, int>[] other)
    {
        var random = new Random(seed);
        var result = plain.Select(_ => new Samples([], [], [])).ToArray();
        // Warm-up: every variant's loop to tier 1 before the first measured round.
        for (int w = 0; w < 30; w++)
            for (int m = 0; m < plain.Length; m++)
                for (int variant = 0; variant < 3; variant++)
                    Time(m, variant, variant == 2 ? other[m] : plain[m]);
        for (int r = 0; r < rounds; r++)
        {
            for (int m = 0; m < plain.Length; m++)
            {
                var order = new[] { 0, 1, 2 }.OrderBy(_ => random.Next()).ToArray();
                double a = 0, aa = 0, b = 0;
                foreach (var variant in order)
                {
                    switch (variant)
                    {
                        case 0: a = Time(m, variant, plain[m]); break;
                        case 1: aa = Time(m, variant, plain[m]); break;
                        default: b = Time(m, variant, other[m]); break;
                    }
                }
                result[m].Plain.Add(a);
                result[m].PlainAgain.Add(aa);
                result[m].Other.Add(b);
            }
        }
        return result;
    }

    // Each method and variant has a loop of its own (a generic method instantiated over a struct gets code of its
    // own), so that the JIT's profile of one delegate call site sees one target, as a real caller would, and
    // guarded devirtualization treats every variant alike: one shared loop would be devirtualized for whichever
    // target it saw most.
    private static double Time(int method, int variant, Func<int, int> target) => ((method * 3) + variant) switch
    {
        0 => Time<Tag0>(target),
        1 => Time<Tag1>(target),
        2 => Time<Tag2>(target),
        3 => Time<Tag3>(target),
        4 => Time<Tag4>(target),
        5 => Time<Tag5>(target),
        _ => throw new ArgumentOutOfRangeException(nameof(method)),
    };

    private struct Tag0;
    private struct Tag1;
    private struct Tag2;
    private struct Tag3;
    private struct Tag4;
    private struct Tag5;

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
        string line = $"{label,-26} {Median(values),7:0.00} [{values.Min(),5:0.00}]";
        if (baseline is not null)
            line += $"   diff {Median(values.Zip(baseline, (v, b) => v - b).ToList()),6:+0.00;-0.00} ns";
        Console.WriteLine(line.ToString(CultureInfo.InvariantCulture));
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
