using System.Diagnostics;
using System.Globalization;
using System.Runtime.Loader;
using PatchGen.Macro.InProcess;
using PatchGen.Runtime;

namespace PatchGen.Macro.Pauses;

/// <summary>
/// The child process of <c>pauses</c> (<c>pauses-child &lt;shop work dir&gt;</c>): the instrumented ShopService
/// in the default load context (where the runtime looks for a patch's target), <see cref="HarnessOptions.Threads"/>
/// threads sending it the <see cref="ShopServiceWorkload.Requests"/> in a loop (every QUOTE line calls the patched
/// <c>TaxCalculator.RateFor</c>), and the main thread enabling, disabling and unloading the patch
/// <see cref="HarnessOptions.Rounds"/> times with a quiet gap after each, every operation between two
/// <see cref="TransitionMarkers"/> events.
/// </summary>
/// <remarks>
/// Protocol with the parent, one line each way: the child prints <c>ready</c> once its threads are warm and one
/// unmeasured enable/disable/unload cycle has started the runtime's observation (a one-time cost of the first
/// patch), waits for a line (the parent's trace session is on by then), runs the cycles, prints <c>done</c>,
/// and waits for another line before it exits, so the parent can stop its session while the process lives.
/// </remarks>
internal static class PausesChild
{
    /// <summary>After each operation: longer than <see cref="PauseReport.TransitionTailMs"/>, so part of every gap is outside.</summary>
    public static readonly TimeSpan Gap = TimeSpan.FromMilliseconds(800);

    public static int Run(HarnessOptions options)
    {
        var builds = ShopServiceBuilds.Locate(options.Rest[0], options.Fix);
        var shop = AssemblyLoadContext.Default.LoadFromAssemblyPath(builds.InstrumentedV1);
        int threadCount = options.Threads ?? PauseBenchmark.DefaultThreads;
        var loops = new long[threadCount];
        bool stop = false;
        var threads = Enumerable.Range(0, threadCount).Select(t => new Thread(() =>
        {
            var handle = ShopServiceWorkload.Handler(shop);
            while (!Volatile.Read(ref stop))
            {
                foreach (var request in ShopServiceWorkload.Requests)
                    handle(request);
                loops[t]++;
            }
        })
        { IsBackground = true, Name = "busy " + t }).ToList();
        threads.ForEach(t => t.Start());

        // Tier-up of the request path (30 calls, then 100 ms without new tier-0 code), and the first patch's
        // one-time costs (observation session, rundown, loading the patch machinery), before anything is measured.
        Thread.Sleep(TimeSpan.FromSeconds(options.Quick ? 1 : 3));
        Cycle(builds, cycle: -1);
        Console.WriteLine("ready");
        if (Console.ReadLine() is null)
            return 1;

        Thread.Sleep(Gap);
        var durations = new List<double>();
        int rounds = options.Rounds ?? (options.Quick ? 5 : PauseBenchmark.DefaultCycles);
        for (int cycle = 0; cycle < rounds; cycle++)
            durations.AddRange(Cycle(builds, cycle));

        Volatile.Write(ref stop, true);
        threads.ForEach(t => t.Join());
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"transitions (operation + WaitForTransition): median {Statistics.Median(durations):0} ms, max {durations.Max():0} ms; busy threads' request loops: {string.Join(", ", loops)}"));
        Console.WriteLine("done");
        Console.ReadLine();
        return 0;
    }

    /// <summary>Enable, disable, unload, each followed by <see cref="Gap"/>; returns the two transitions' durations.</summary>
    private static double[] Cycle(ShopServiceBuilds builds, int cycle)
    {
        double enable = Operation("enable", cycle, () => PatchRuntime.Enable(builds.Patch));
        double disable = Operation("disable", cycle, () => PatchRuntime.Disable(builds.PatchId));
        // Unload collects (GC.Collect) until the patch's context is gone; the ID is free again either way.
        Operation("unload", cycle, () => PatchRuntime.Unload(builds.PatchId, TimeSpan.FromSeconds(5)), transition: false);
        return [enable, disable];
    }

    private static double Operation(string name, int cycle, Action operation, bool transition = true)
    {
        TransitionMarkers.Log.OperationBegan(name, cycle);
        long start = Stopwatch.GetTimestamp();
        operation();
        if (transition)
        {
            var result = PatchRuntime.WaitForTransition(TimeSpan.FromSeconds(60));
            if (!result.Completed)
                throw new InvalidOperationException($"{name} #{cycle}: the transition did not complete: {result.Warning}");
        }
        double ms = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        TransitionMarkers.Log.OperationEnded(name, cycle);
        Thread.Sleep(Gap);
        return ms;
    }
}
