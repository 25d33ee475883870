using BenchmarkDotNet.Attributes;
using PatchGen.Runtime;

namespace PatchGen.Benchmarks;

/// <summary>
/// What a call costs: plain build, instrumented build with no patch loaded, and a patched function
/// (replaced by a patch with the same body). Each benchmark runs a loop of <see cref="N"/> calls inside
/// the library; the result is per call.
/// </summary>
public class CallCostBenchmarks
{
    private const int N = 1000;
    private Func<int, int> _plainLeaf = null!, _leaf = null!, _patchedLeaf = null!;
    private Func<int, int> _plainSmall = null!, _small = null!, _patchedSmall = null!;
    private Func<int, decimal> _plainOrders = null!, _orders = null!;

    [GlobalSetup]
    public void Setup()
    {
        var library = BenchLibrary.Instance;
        _plainLeaf = BenchLibrary.Method<Func<int, int>>(library.Plain, "Bench.Calls", "LoopLeaf");
        _leaf = BenchLibrary.Method<Func<int, int>>(library.Instrumented, "Bench.Calls", "LoopLeaf");
        _patchedLeaf = BenchLibrary.Method<Func<int, int>>(library.Instrumented, "Bench.Calls", "LoopPatchedLeaf");
        _plainSmall = BenchLibrary.Method<Func<int, int>>(library.Plain, "Bench.Calls", "LoopSmall");
        _small = BenchLibrary.Method<Func<int, int>>(library.Instrumented, "Bench.Calls", "LoopSmall");
        _patchedSmall = BenchLibrary.Method<Func<int, int>>(library.Instrumented, "Bench.Calls", "LoopPatchedSmall");
        _plainOrders = BenchLibrary.Method<Func<int, decimal>>(library.Plain, "Bench.Pricing", "PriceOrders");
        _orders = BenchLibrary.Method<Func<int, decimal>>(library.Instrumented, "Bench.Pricing", "PriceOrders");

        PatchRuntime.Enable(library.Patch("bench-calls", """
            [Replaces("M:Bench.Calls.PatchedLeaf(System.Int32)")] public static int PatchedLeaf(int x) => x * 3 + 1;
            [Replaces("M:Bench.Calls.PatchedSmall(System.Int32)")] public static int PatchedSmall(int x) => Bench.Calls.Leaf(x) + 1;
            """));
        if (!PatchRuntime.WaitForTransition(TimeSpan.FromSeconds(30)).Completed)
            throw new InvalidOperationException("the patch's transition did not complete");
        if (_patchedLeaf(N) != _plainLeaf(N) || _patchedSmall(N) != _plainSmall(N) || _orders(10) != _plainOrders(10))
            throw new InvalidOperationException("the builds disagree");
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = N), BenchmarkCategory("leaf")]
    public int LeafPlain() => _plainLeaf(N);

    [Benchmark(OperationsPerInvoke = N), BenchmarkCategory("leaf")]
    public int LeafInstrumented() => _leaf(N);

    [Benchmark(OperationsPerInvoke = N), BenchmarkCategory("leaf")]
    public int LeafPatched() => _patchedLeaf(N);

    [Benchmark(OperationsPerInvoke = N), BenchmarkCategory("tracked")]
    public int TrackedPlain() => _plainSmall(N);

    [Benchmark(OperationsPerInvoke = N), BenchmarkCategory("tracked")]
    public int TrackedInstrumented() => _small(N);

    [Benchmark(OperationsPerInvoke = N), BenchmarkCategory("tracked")]
    public int TrackedPatched() => _patchedSmall(N);

    /// <summary>One order of three lines through two virtual pricing rules and decimal math: per order.</summary>
    [Benchmark(OperationsPerInvoke = 100), BenchmarkCategory("workload")]
    public decimal WorkloadPlain() => _plainOrders(100);

    [Benchmark(OperationsPerInvoke = 100), BenchmarkCategory("workload")]
    public decimal WorkloadInstrumented() => _orders(100);
}
