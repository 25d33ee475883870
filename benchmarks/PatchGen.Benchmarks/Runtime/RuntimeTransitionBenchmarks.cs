using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;
using PatchGen.Runtime;

namespace PatchGen.Benchmarks.Runtime;

/// <summary>
/// How long a transition takes while <see cref="BusyThreads"/> threads keep running instrumented code
/// (docs/benchmarks.md, "Runtime"): half of them send QUOTE requests to the instrumented ShopService,
/// whose pricing calls the patched <c>TaxCalculator.RateFor</c> once per line; the other half run the
/// instrumented micro library (tracked and leaf calls), which the patch does not touch. One invocation
/// per iteration: <c>Enable</c> is <c>PatchRuntime.Enable(image)</c> + <c>WaitForTransition</c> until
/// completed (the patch is disabled and unloaded after each iteration); <c>Disable</c> is
/// <c>PatchRuntime.Disable(id)</c> + <c>WaitForTransition</c> (enabled before, unloaded after). Each runs twice, once
/// per way of taking stack snapshots (the <c>FileSession</c> and <c>DiagnosticServer</c> jobs).
/// </summary>
[Config(typeof(Config))]
public class RuntimeTransitionBenchmarks
{
    private const string PatchId = "bench-transition";

    private readonly List<Thread> _threads = new();
    private readonly List<double> _callMs = new();
    private long[] _work = [];
    private volatile bool _stop;
    private byte[] _patch = null!;

    private sealed class Config : ManualConfig
    {
        public Config()
        {
            // Monitoring: no pilot, no overhead subtraction, one invocation per iteration, every iteration kept.
            // Two jobs side by side: stack snapshots from an in-process file session (the default) and from the
            // diagnostic server (PATCHGEN_STACK_SNAPSHOT=server, the way before file sessions, the baseline).
            var job = Job.Default.WithStrategy(RunStrategy.Monitoring).WithLaunchCount(1).WithWarmupCount(5)
                .WithIterationCount(40).WithInvocationCount(1).WithUnrollFactor(1);
            AddJob(job.WithId("FileSession"));
            AddJob(job.WithEnvironmentVariables(new EnvironmentVariable("PATCHGEN_STACK_SNAPSHOT", "server")).WithId("DiagnosticServer").AsBaseline());
            HideColumns("Error");
            AddColumn(StatisticColumn.Min, StatisticColumn.Median, StatisticColumn.P95, StatisticColumn.Max);
        }
    }

    /// <summary>How many threads run instrumented code meanwhile (16 is the goal; 0 and 2 (= cores) for comparison).</summary>
    [Params(0, 2, 16)]
    public int BusyThreads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _work = new long[BusyThreads];
        var shop = RuntimeTargets.Shop;
        var calc = RuntimeTargets.Calc;
        _patch = RuntimeTargets.ShopPatch(PatchId);
        for (int t = 0; t < BusyThreads; t++)
        {
            int index = t;
            ThreadStart body;
            if (t % 2 == 0)
            {
                var handle = shop.Handler(instrumented: true);
                body = () =>
                {
                    while (!_stop)
                    {
                        if (handle(RuntimeTargets.ShopRequest).Length > 0)
                            _work[index]++;
                    }
                };
            }
            else
            {
                var nonLeafLoop = calc.Method<Func<int, int>>(instrumented: true, "PgBench.Calc", "NonLeafLoop");
                var leafLoop = calc.Method<Func<int, int>>(instrumented: true, "PgBench.Calc", "LeafLoop");
                body = () =>
                {
                    while (!_stop)
                    {
                        if (nonLeafLoop(100) + leafLoop(100) != 0)
                            _work[index]++;
                    }
                };
            }
            var thread = new Thread(body) { IsBackground = true, Name = "busy " + t };
            _threads.Add(thread);
            thread.Start();
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _stop = true;
        foreach (var thread in _threads)
            thread.Join();
        Console.WriteLine("// busy threads' loop counts: " + string.Join(", ", _work));
        // The part of each measurement spent in the Enable/Disable call itself (loading, checks, starting the
        // transition), the rest being WaitForTransition.
        _callMs.Sort();
        if (_callMs.Count > 0)
            Console.WriteLine(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"// call part: median {_callMs[_callMs.Count / 2]:0.00} ms, p95 {_callMs[(int)(_callMs.Count * 0.95)]:0.00} ms, max {_callMs[^1]:0.00} ms over {_callMs.Count}"));
    }

    [IterationCleanup(Target = nameof(Enable))]
    public void AfterEnable()
    {
        RuntimeTargets.DisableAndWait(PatchId);
        Unload();
    }

    [Benchmark]
    public bool Enable()
    {
        long start = System.Diagnostics.Stopwatch.GetTimestamp();
        PatchRuntime.Enable(_patch);
        _callMs.Add(System.Diagnostics.Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        return Completed();
    }

    [IterationSetup(Target = nameof(Disable))]
    public void BeforeDisable() => RuntimeTargets.EnableAndWait(_patch);

    [IterationCleanup(Target = nameof(Disable))]
    public void AfterDisable() => Unload();

    [Benchmark]
    public bool Disable()
    {
        long start = System.Diagnostics.Stopwatch.GetTimestamp();
        PatchRuntime.Disable(PatchId);
        _callMs.Add(System.Diagnostics.Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        return Completed();
    }

    private static bool Completed()
    {
        var result = PatchRuntime.WaitForTransition(TimeSpan.FromSeconds(30));
        return result.Completed ? true : throw new InvalidOperationException("the transition did not complete: " + result.Warning);
    }

    private static void Unload()
    {
        // Whether the context was collected does not matter here: the ID is free again either way.
        PatchRuntime.Unload(PatchId, TimeSpan.FromSeconds(5));
    }
}
