using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;

namespace PatchGen.Benchmarks.Runtime;

/// <summary>
/// What instrumentation and patching cost per call (docs/benchmarks.md, "Runtime"). In each category
/// the plain build is the baseline; <c>Instrumented</c> is the instrumented build with no patch loaded;
/// <c>Patched</c> is the instrumented build with a patch of the called method enabled and its
/// transition completed. Every benchmark runs in its own process, so a patch enabled for one never
/// reaches another.
/// </summary>
/// <remarks>
/// <c>*Call</c>: <see cref="Calls"/> calls through a delegate created once (the same call overhead on
/// every side; the delegate call cannot be inlined, so this is the cost of the method as a callee).
/// <c>*Loop</c>: one call of a method of the library that calls the method <see cref="Calls"/> times
/// directly (what a caller in the same app pays, the JIT free to inline). <c>Shop*</c>: the real
/// testdata/apps/ShopService, one QUOTE request (parse, price, JSON) or one pricing of a five-line cart.
/// </remarks>
[Config(typeof(Config))]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class RuntimeCallBenchmarks
{
    public const int Calls = 1000;

    private Func<int, int> _leaf = null!;
    private Func<int, int> _tracked = null!;
    private Func<int, int> _leafLoop = null!;
    private Func<int, int> _trackedLoop = null!;
    private Func<string, string> _handle = null!;
    private Func<decimal> _quote = null!;
    private string? _patchId;

    private sealed class Config : ManualConfig
    {
        public Config()
        {
            AddJob(Job.Default.WithLaunchCount(1).WithWarmupCount(5).WithIterationCount(15).WithId("Runtime"));
            HideColumns("Error");
            AddColumn(BenchmarkDotNet.Columns.StatisticColumn.Median, BenchmarkDotNet.Columns.StatisticColumn.Min, BenchmarkDotNet.Columns.StatisticColumn.Max);
        }
    }

    [GlobalSetup(Targets = [nameof(LeafCall_Plain), nameof(TrackedCall_Plain), nameof(LeafLoop_Plain), nameof(TrackedLoop_Plain)])]
    public void SetupCalcPlain() => SetupCalc(instrumented: false);

    [GlobalSetup(Targets = [nameof(LeafCall_Instrumented), nameof(TrackedCall_Instrumented), nameof(LeafLoop_Instrumented), nameof(TrackedLoop_Instrumented)])]
    public void SetupCalcInstrumented() => SetupCalc(instrumented: true);

    [GlobalSetup(Targets = [nameof(LeafCall_Patched), nameof(TrackedCall_Patched), nameof(LeafLoop_Patched), nameof(TrackedLoop_Patched)])]
    public void SetupCalcPatched()
    {
        SetupCalc(instrumented: true);
        _patchId = "bench-calc";
        RuntimeTargets.EnableAndWait(RuntimeTargets.CalcPatch(_patchId));
        if (_leaf(1) != 5 || _tracked(1) != 4)
            throw new InvalidOperationException("the patch is not in effect");
    }

    [GlobalSetup(Targets = [nameof(ShopRequest_Plain), nameof(ShopPricing_Plain)])]
    public void SetupShopPlain() => SetupShop(instrumented: false);

    [GlobalSetup(Targets = [nameof(ShopRequest_Instrumented), nameof(ShopPricing_Instrumented)])]
    public void SetupShopInstrumented() => SetupShop(instrumented: true);

    [GlobalSetup(Targets = [nameof(ShopRequest_Patched), nameof(ShopPricing_Patched)])]
    public void SetupShopPatched()
    {
        SetupShop(instrumented: true);
        var before = _quote();
        _patchId = "bench-shop";
        RuntimeTargets.EnableAndWait(RuntimeTargets.ShopPatch(_patchId));
        if (_quote() == before)
            throw new InvalidOperationException("the patch is not in effect");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        if (_patchId is not null)
            RuntimeTargets.DisableAndWait(_patchId);
    }

    private void SetupCalc(bool instrumented)
    {
        var calc = RuntimeTargets.Calc;
        var type = "PgBench.Calc";
        // Methods of one instance each; the Scale field is the same (3) in all of them.
        _leaf = calc.Method<Func<int, int>>(instrumented, type, "Leaf");
        _tracked = calc.Method<Func<int, int>>(instrumented, type, "Tracked");
        _leafLoop = calc.Method<Func<int, int>>(instrumented, type, "LeafLoop");
        _trackedLoop = calc.Method<Func<int, int>>(instrumented, type, "TrackedLoop");
        if (_leaf(1) != 4 || _tracked(1) != 3)
            throw new InvalidOperationException("unexpected results");
    }

    private void SetupShop(bool instrumented)
    {
        var shop = RuntimeTargets.Shop;
        _handle = shop.Handler(instrumented);
        _quote = shop.Method<Func<decimal>>(instrumented, "ShopService.Bench.PricingDriver", "QuoteTotal");
        var response = _handle(RuntimeTargets.ShopRequest);
        if (!response.StartsWith("OK ", StringComparison.Ordinal))
            throw new InvalidOperationException("unexpected response: " + response);
    }

    private int CallMany(Func<int, int> method)
    {
        int sum = 0;
        for (int i = 0; i < Calls; i++)
            sum += method(i);
        return sum;
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Calls), BenchmarkCategory("LeafCall")]
    public int LeafCall_Plain() => CallMany(_leaf);

    [Benchmark(OperationsPerInvoke = Calls), BenchmarkCategory("LeafCall")]
    public int LeafCall_Instrumented() => CallMany(_leaf);

    [Benchmark(OperationsPerInvoke = Calls), BenchmarkCategory("LeafCall")]
    public int LeafCall_Patched() => CallMany(_leaf);

    [Benchmark(Baseline = true, OperationsPerInvoke = Calls), BenchmarkCategory("TrackedCall")]
    public int TrackedCall_Plain() => CallMany(_tracked);

    [Benchmark(OperationsPerInvoke = Calls), BenchmarkCategory("TrackedCall")]
    public int TrackedCall_Instrumented() => CallMany(_tracked);

    [Benchmark(OperationsPerInvoke = Calls), BenchmarkCategory("TrackedCall")]
    public int TrackedCall_Patched() => CallMany(_tracked);

    [Benchmark(Baseline = true, OperationsPerInvoke = Calls), BenchmarkCategory("LeafLoop")]
    public int LeafLoop_Plain() => _leafLoop(Calls);

    [Benchmark(OperationsPerInvoke = Calls), BenchmarkCategory("LeafLoop")]
    public int LeafLoop_Instrumented() => _leafLoop(Calls);

    [Benchmark(OperationsPerInvoke = Calls), BenchmarkCategory("LeafLoop")]
    public int LeafLoop_Patched() => _leafLoop(Calls);

    [Benchmark(Baseline = true, OperationsPerInvoke = Calls), BenchmarkCategory("TrackedLoop")]
    public int TrackedLoop_Plain() => _trackedLoop(Calls);

    [Benchmark(OperationsPerInvoke = Calls), BenchmarkCategory("TrackedLoop")]
    public int TrackedLoop_Instrumented() => _trackedLoop(Calls);

    [Benchmark(OperationsPerInvoke = Calls), BenchmarkCategory("TrackedLoop")]
    public int TrackedLoop_Patched() => _trackedLoop(Calls);

    [Benchmark(Baseline = true), BenchmarkCategory("ShopRequest")]
    public string ShopRequest_Plain() => _handle(RuntimeTargets.ShopRequest);

    [Benchmark, BenchmarkCategory("ShopRequest")]
    public string ShopRequest_Instrumented() => _handle(RuntimeTargets.ShopRequest);

    [Benchmark, BenchmarkCategory("ShopRequest")]
    public string ShopRequest_Patched() => _handle(RuntimeTargets.ShopRequest);

    [Benchmark(Baseline = true), BenchmarkCategory("ShopPricing")]
    public decimal ShopPricing_Plain() => _quote();

    [Benchmark, BenchmarkCategory("ShopPricing")]
    public decimal ShopPricing_Instrumented() => _quote();

    [Benchmark, BenchmarkCategory("ShopPricing")]
    public decimal ShopPricing_Patched() => _quote();
}
