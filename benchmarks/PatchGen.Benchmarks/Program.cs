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

// 'transitions-ab <busy threads> <rounds> <per process> [seed] [baseline PatchGen.Benchmarks.dll, or -] [gap ms]': the interleaved
// A/B of stack snapshot ways, or of this build against another (docs/benchmarks.md, "Transitions").
if (args.Length > 0 && args[0] == "transitions-ab")
{
    return PatchGen.Benchmarks.Runtime.TransitionAbHarness.Run(
        args.Length > 1 ? int.Parse(args[1]) : 0, args.Length > 2 ? int.Parse(args[2]) : 6, args.Length > 3 ? int.Parse(args[3]) : 10, args.Length > 4 ? int.Parse(args[4]) : 1,
        args.Length > 5 && args[5] != "-" ? Path.GetFullPath(args[5]) : null, args.Length > 6 ? int.Parse(args[6]) : 0);
}

// 'transitions-once <busy threads> <count> [gap ms]' runs the transition benchmark's Enable/Disable pairs outside
// BenchmarkDotNet and prints each one's time (to look at one configuration, e.g. with PATCHGEN_DEBUG_CERTIFIER=1);
// with a gap, it waits that long before each Enable and each Disable (transitions apart, as an operator's are, rather
// than back to back, where each one's first snapshot starts after the previous one's rundown).
if (args.Length > 0 && args[0] == "transitions-once")
{
    var bench = new PatchGen.Benchmarks.Runtime.RuntimeTransitionBenchmarks { BusyThreads = args.Length > 1 ? int.Parse(args[1]) : 0 };
    // The caller's wall time includes its own stack check; the engine's transition duration (published until
    // certified, the patchgen.transition.duration histogram) is the transition alone.
    var transitions = new List<(bool Enabling, double Ms)>();
    using var meters = new System.Diagnostics.Metrics.MeterListener();
    meters.InstrumentPublished = (instrument, listener) =>
    {
        if (instrument.Meter.Name == PatchGen.Runtime.PatchRuntimeTelemetry.MeterName && instrument.Name == "patchgen.transition.duration")
            listener.EnableMeasurementEvents(instrument);
    };
    meters.SetMeasurementEventCallback<double>((_, seconds, tags, _) =>
    {
        bool enabling = false;
        foreach (var tag in tags)
            enabling |= tag.Value as string == "enable";
        lock (transitions)
            transitions.Add((enabling, seconds * 1000));
    });
    meters.Start();
    bench.Setup();
    int count = args.Length > 2 ? int.Parse(args[2]) : 10;
    int gap = args.Length > 3 ? int.Parse(args[3]) : 0;
    var enables = new List<double>();
    var disables = new List<double>();
    for (int i = 0; i < count; i++)
    {
        if (gap > 0)
            Thread.Sleep(gap);
        var clock = Stopwatch.StartNew();
        bench.Enable();
        enables.Add(clock.Elapsed.TotalMilliseconds);
        if (gap > 0)
            Thread.Sleep(gap);
        clock.Restart();
        bench.Disable();
        disables.Add(clock.Elapsed.TotalMilliseconds);
        bench.AfterDisable();
    }
    bench.Cleanup();
    Console.WriteLine("enable ms:  " + string.Join(" ", enables.Select(v => v.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture))));
    Console.WriteLine("disable ms: " + string.Join(" ", disables.Select(v => v.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture))));
    lock (transitions)
    {
        // The last count of each direction: the benchmark's own setup enables and disables too.
        foreach (var (label, enabling) in new[] { ("enable transition ms:  ", true), ("disable transition ms: ", false) })
            Console.WriteLine(label + string.Join(" ", transitions.Where(t => t.Enabling == enabling).TakeLast(count).Select(t => t.Ms.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture))));
    }
    return 0;
}

// 'calls-ab [rounds] [seed]': the cost of a call, plain against instrumented and patched, interleaved in one
// process with an A/A control (docs/benchmarks.md, "Per call").
if (args.Length > 0 && args[0] == "calls-ab")
    return PatchGen.Benchmarks.Runtime.CallAbHarness.Run(args.Length > 1 ? int.Parse(args[1]) : 40, args.Length > 2 ? int.Parse(args[2]) : 1);

// 'sizes' builds the runtime benchmarks' targets (docs/benchmarks.md, "Runtime") and prints what instrumenting
// them adds: assembly size, sites, and the IL size of every method body before and after.
if (args.Length > 0 && args[0] == "sizes")
{
    PatchGen.Benchmarks.Runtime.RuntimeSizes.Print(Console.Out);
    return 0;
}

// 'build-once' prepares the patch build benchmarks' inputs (docs/benchmarks.md, "Patch build") and runs each build
// once outside BenchmarkDotNet: exit code, diagnostics, what the patch replaces and its size, which the benchmark
// itself does not check.
if (args.Length > 0 && args[0] == "build-once")
{
    var clock = Stopwatch.StartNew();
    using var inputs = PatchBuildInputs.Create();
    Console.WriteLine($"inputs in {clock.ElapsedMilliseconds} ms; {inputs.Instrumentation.Summary("base")}, {new FileInfo(inputs.InstrumentedBase).Length:N0} bytes instrumented");
    Console.WriteLine($"fix: {inputs.Fix}");
    foreach (var (name, newPath) in new[] { ("release", RealPair.NewPath), ("one-fix", inputs.OneFix) })
    {
        clock.Restart();
        var result = PatchGen.Emit.PatchBuilder.Build(new PatchGen.Emit.PatchBuildOptions(inputs.InstrumentedBase, newPath, inputs.Output) { PatchId = "bench" });
        clock.Stop();
        var errors = result.Diagnostics.Where(d => d.Severity == PatchGen.Diagnostics.DiagnosticSeverity.Error).ToList();
        Console.WriteLine($"{name}: exit={result.ExitCode} elapsed={clock.ElapsedMilliseconds} ms changes={result.Diff.Changes.Count} diagnostics={result.Diagnostics.Count} errors={errors.Count} replaced={result.Replaced.Count}"
            + (result.OutputPath is null ? "" : $" patch={new FileInfo(result.OutputPath).Length:N0} bytes"));
        foreach (var group in errors.GroupBy(d => d.Id).OrderByDescending(g => g.Count()))
            Console.WriteLine($"  {group.Key} x{group.Count()}: {group.First()}");
        foreach (var (id, site) in result.Replaced)
            Console.WriteLine($"  replaces {id} (site {site})");
    }
    return 0;
}

BenchmarkSwitcher.FromAssembly(typeof(DiffBenchmarks).Assembly).Run(args);
return 0;
