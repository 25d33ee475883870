using System.Globalization;

namespace PatchGen.Macro.InProcess;

/// <summary>
/// The <c>libs</c> command: Newtonsoft.Json, Markdig and ShopService, plain vs instrumented (and patched for
/// ShopService) in one process, interleaved, with an A/A control; prints a markdown table.
/// </summary>
internal static class InProcessBenchmark
{
    public static int Run(HarnessOptions options, string workDirectory, TextWriter output)
    {
        var settings = options.Quick ? RunSettings.Quick : RunSettings.Full;
        if (options.Rounds is int rounds)
            settings = settings with { Rounds = rounds };
        var random = new Random(options.Seed);
        var runner = new InterleavedRunner(settings, random, output);

        // Every workload is prepared (and so loaded) before any is measured: loading a library later must not
        // land in the middle of another's measurement.
        var workloads = new List<Workload>();
        if (options.Includes(NewtonsoftJsonWorkload.Name))
            workloads.Add(NewtonsoftJsonWorkload.Create(workDirectory));
        if (options.Includes(MarkdigWorkload.Name))
            workloads.Add(MarkdigWorkload.Create(workDirectory));
        if (options.Includes(ShopServiceWorkload.Name))
            workloads.Add(ShopServiceWorkload.Create(workDirectory, options.Fix, output));

        var results = new List<WorkloadResult>();
        foreach (var workload in workloads)
        {
            var result = runner.Run(workload);
            results.Add(result);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {workload.Name}: measured in {result.Elapsed.TotalSeconds:0} s"));
        }

        output.WriteLine();
        output.WriteLine($"In-process workloads, CPU time of the measuring thread per operation; {settings.Rounds} rounds, variants in random order each round; ratio = median of per-round ratios to plain #1 [bootstrap 95% interval].");
        output.WriteLine();
        output.WriteLine("| workload | ops/batch | plain #1 CPU/op | plain #2 / plain #1 (A/A) | instrumented / plain #1 | patched / plain #1 | methods jitted while measuring | gen2 GCs | CPU/wall |");
        output.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var r in results)
        {
            var share = Statistics.Median(r.Variants.SelectMany(v => v.CpuShareOfWall));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {r.Workload.Name} | {r.OpsPerBatch} | {Microseconds(r.Variants[0].MedianCpuNanosecondsPerOp)} | {r.Find(LibraryCopies.Plain2Name)?.RatioToBaseline} | {r.Find(LibraryCopies.InstrumentedName)?.RatioToBaseline} | {r.Find(ShopServiceWorkload.PatchedName)?.RatioToBaseline?.ToString() ?? "–"} | {r.MethodsJittedWhileMeasuring} | {r.Gen2CollectionsWhileMeasuring} | {share:0.00} |"));
        }
        output.WriteLine();
        foreach (var r in results)
            output.WriteLine($"- {r.Workload.Name}: {r.Workload.Description}");
        output.WriteLine();
        output.WriteLine("Command: " + options.CommandLine());
        return 0;
    }

    private static string Microseconds(double nanoseconds)
        => (nanoseconds / 1000).ToString(nanoseconds < 100_000 ? "0.00" : "0.0", CultureInfo.InvariantCulture) + " µs";
}
