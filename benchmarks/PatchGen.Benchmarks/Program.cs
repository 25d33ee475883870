using System.Diagnostics;
using BenchmarkDotNet.Running;
using PatchGen.Benchmarks;
using PatchGen.Diff;

// 'once [base new [report-prefix]]' runs one diff outside BenchmarkDotNet and prints its time and the peak working
// set of this process (what a user's 'patchgen diff' would need); anything else goes to BenchmarkDotNet.
if (args.Length > 0 && args[0] == "once")
{
    var (b, n) = args.Length >= 3 ? (args[1], args[2]) : (RealPair.BasePath, RealPair.NewPath);
    var clock = Stopwatch.StartNew();
    var result = AssemblyDiffer.Compare(b, n);
    var json = DiffReport.ToJson(result);
    clock.Stop();
    if (args.Length >= 4)
    {
        // A prefix to save both reports under (to read them, not to measure).
        File.WriteAllText(args[3] + ".json", json);
        File.WriteAllText(args[3] + ".txt", DiffReport.ToText(result));
    }
    using var self = Process.GetCurrentProcess();
    self.Refresh();
    Console.WriteLine($"changes={result.Changes.Count} diagnostics={result.Diagnostics.Count} elapsed={clock.ElapsedMilliseconds} ms peakWorkingSet={self.PeakWorkingSet64 / (1024 * 1024)} MiB");
    return 0;
}

// 'sizes' builds the runtime benchmarks' targets (docs/benchmarks.md, "Runtime") and prints what instrumenting
// them adds: assembly size, sites, and the IL size of every method body before and after.
if (args.Length > 0 && args[0] == "sizes")
{
    PatchGen.Benchmarks.Runtime.RuntimeSizes.Print(Console.Out);
    return 0;
}

BenchmarkSwitcher.FromAssembly(typeof(DiffBenchmarks).Assembly).Run(args);
return 0;
