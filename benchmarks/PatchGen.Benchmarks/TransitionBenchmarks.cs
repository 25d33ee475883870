using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using PatchGen.Runtime;

namespace PatchGen.Benchmarks;

/// <summary>
/// How long a transition takes to complete while 16 threads are busy in instrumented code: half of
/// them call the function the patch replaces, half only other functions. One invocation is one
/// enable (or one disable) and the wait for every thread to switch.
/// </summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 3, iterationCount: 50, invocationCount: 1)]
[MinColumn, MedianColumn, MaxColumn]
[Config(typeof(PercentileConfig))]
public class TransitionBenchmarks
{
    private const int Busy = 16;
    private readonly List<Thread> _threads = new();
    private volatile bool _stop;
    private byte[] _patch = null!;

    [GlobalSetup]
    public void Setup()
    {
        var library = BenchLibrary.Instance;
        var patched = BenchLibrary.Method<Func<int, int>>(library.Instrumented, "Bench.Calls", "LoopPatchedSmall");
        var other = BenchLibrary.Method<Func<int, int>>(library.Instrumented, "Bench.Calls", "LoopSmall");
        for (int i = 0; i < Busy; i++)
        {
            var work = i % 2 == 0 ? patched : other;
            var thread = new Thread(() => { while (!_stop) work(100); }) { IsBackground = true, Name = "busy-" + i };
            _threads.Add(thread);
            thread.Start();
        }
        _patch = library.Patch("bench-transition", """
            [Replaces("M:Bench.Calls.PatchedSmall(System.Int32)")] public static int PatchedSmall(int x) => Bench.Calls.Leaf(x) + 1;
            """);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _stop = true;
        _threads.ForEach(t => t.Join());
    }

    /// <summary>Enable, wait for every thread to switch; the disable and unload that follow are not measured.</summary>
    [Benchmark]
    public void EnableWith16BusyThreads()
    {
        PatchRuntime.Enable(_patch);
        Wait();
    }

    [IterationCleanup(Target = nameof(EnableWith16BusyThreads))]
    public void DisableAfterEnable()
    {
        PatchRuntime.Disable("bench-transition");
        Wait();
        PatchRuntime.Unload("bench-transition", TimeSpan.FromSeconds(10));
    }

    /// <summary>Adds the 95th percentile: a transition's tail matters more than its mean.</summary>
    private sealed class PercentileConfig : BenchmarkDotNet.Configs.ManualConfig
    {
        public PercentileConfig() => AddColumn(BenchmarkDotNet.Columns.StatisticColumn.P95);
    }

    private static void Wait()
    {
        var result = PatchRuntime.WaitForTransition(TimeSpan.FromSeconds(30));
        if (!result.Completed)
            throw new InvalidOperationException(result.Warning);
    }
}
