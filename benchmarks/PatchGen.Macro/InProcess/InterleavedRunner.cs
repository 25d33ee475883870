using System.Diagnostics;
using System.Globalization;
using System.Runtime;

namespace PatchGen.Macro.InProcess;

/// <summary>
/// Runs the variants of a workload side by side in this process: a shared warm-up, then rounds in which every
/// variant runs one batch of the same number of operations, in a new random order each round, timed by the
/// measuring thread's CPU clock. Ratios are taken per round (variant / baseline of the same round), so drift
/// of the machine over the run cancels out, and the randomized order keeps any "who runs first or after
/// whom" effect (caches, GC debt left by the previous batch) from favouring one variant.
/// </summary>
internal sealed class InterleavedRunner(RunSettings settings, Random random, TextWriter log)
{
    public WorkloadMeasurement Run(Workload workload)
    {
        Validate(workload, "before warm-up");
        int opsPerBatch = Warm(workload);

        int rounds = settings.Rounds;
        var cpu = workload.Variants.ToDictionary(v => v.Name, _ => new double[rounds]);
        var share = workload.Variants.ToDictionary(v => v.Name, _ => new double[rounds]);
        long jitBefore = JitInfo.GetCompiledMethodCount(currentThread: false);
        int gen2Before = GC.CollectionCount(2);
        for (int round = 0; round < rounds; round++)
        {
            foreach (var variant in Shuffled(workload.Variants))
            {
                var (cpuNs, wallNs) = Batch(variant, opsPerBatch);
                cpu[variant.Name][round] = (double)cpuNs / opsPerBatch;
                share[variant.Name][round] = wallNs == 0 ? 1 : (double)cpuNs / wallNs;
            }
        }
        long jitted = JitInfo.GetCompiledMethodCount(currentThread: false) - jitBefore;
        int gen2 = GC.CollectionCount(2) - gen2Before;
        Validate(workload, "after measuring");

        return new WorkloadMeasurement(workload.Name, workload.Description, opsPerBatch, jitted, gen2,
            Statistics.Median(share.Values.SelectMany(x => x)),
            workload.Variants.Select(v => new VariantMeasurement(v.Name, cpu[v.Name])).ToList());
    }

    /// <summary>
    /// Interleaved warm-up until every variant has used <see cref="RunSettings.WarmupSecondsPerVariant"/> of CPU (a
    /// variant that got there sits out the rest); returns the batch size: the number of operations that take the
    /// baseline about the batch time once warm.
    /// </summary>
    private int Warm(Workload workload)
    {
        long target = (long)(settings.WarmupSecondsPerVariant * 1e9);
        var used = workload.Variants.ToDictionary(v => v.Name, _ => 0L);
        int ops = 1;
        while (used.Values.Min() < target)
        {
            foreach (var variant in Shuffled(workload.Variants))
            {
                if (used[variant.Name] >= target && variant != workload.Baseline)
                    continue;
                long ns = Batch(variant, ops).CpuNs;
                used[variant.Name] += ns;
                // Grow the batch towards the batch time as the code gets faster (it starts at tier 0).
                if (variant == workload.Baseline)
                    ops = Math.Max(1, (int)Math.Round(ops * settings.BatchMilliseconds * 1e6 / Math.Max(ns, 1)));
            }
        }
        log.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {workload.Name}: warmed {string.Join(", ", used.Select(u => $"{u.Key} {u.Value / 1e9:0.0} s"))} (CPU); {ops} ops per batch"));
        return ops;
    }

    private static (long CpuNs, long WallNs) Batch(Variant variant, int ops)
    {
        long sink = 0;
        long wall = Stopwatch.GetTimestamp();
        long start = CpuClock.ThreadNanoseconds();
        for (int i = 0; i < ops; i++)
            sink += variant.RunOnce();
        long cpu = CpuClock.ThreadNanoseconds() - start;
        long wallNs = (long)Stopwatch.GetElapsedTime(wall).TotalNanoseconds;
        GC.KeepAlive(sink);
        return (cpu, wallNs);
    }

    private static void Validate(Workload workload, string when)
    {
        foreach (var variant in workload.Variants)
        {
            var output = variant.Output();
            if (output != variant.ExpectedOutput)
                throw new InvalidOperationException($"{workload.Name}/{variant.Name} {when}: wrong output\n  expected: {Clip(variant.ExpectedOutput)}\n  actual:   {Clip(output)}");
        }
    }

    private static string Clip(string s) => s.Length <= 300 ? s : s[..300] + "...";

    private List<Variant> Shuffled(IReadOnlyList<Variant> variants)
    {
        var list = variants.ToList();
        random.Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(list));
        return list;
    }
}
