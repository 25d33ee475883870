using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;

namespace PatchGen.Benchmarks.Runtime;

/// <summary>
/// What a patch site (docs/patch-sites.md) and a patch cost per call (docs/benchmarks.md, "Per call"). In
/// each category the plain build is the baseline, side by side in one run with: <c>Instrumented</c>, the
/// instrumented build with no patch loaded; <c>Patched</c>, the instrumented build with a patch of the called
/// method enabled and its transition completed; <c>OtherPatched</c>, the instrumented build with a patch of
/// another method of the same library (<c>Calc.Other</c>) enabled, the called method in no patch;
/// <c>PlainAgain</c>, the plain build once more, the A/A control (how far two processes of the same code differ).
/// Every benchmark runs in its own process, so a patch enabled for one never reaches another.
/// </summary>
/// <remarks>
/// <c>*Call</c>: <see cref="Calls"/> calls through a delegate created once (the same call overhead on every
/// side; a delegate call is not inlined, so this is the method as a callee: its own check, and for a patch the
/// dispatch stub). <c>*Inlined</c>: one call of a method of the library that calls the method <see cref="Calls"/>
/// times directly, which the JIT inlines with its check. <c>NotInlinedLoop</c>: the same loop over a
/// <c>NoInlining</c> method, a real call each time. <c>Shop*</c>: the real testdata/apps/ShopService, one QUOTE
/// request (parse, price, JSON) or one pricing of a five-line cart, with its <c>TaxCalculator.RateFor</c> patched.
/// </remarks>
[Config(typeof(Config))]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class RuntimeCallBenchmarks
{
    public const int Calls = 1000;

    private Func<int, int> _leaf = null!;
    private Func<int, int> _nonLeaf = null!;
    private Func<int, int> _leafLoop = null!;
    private Func<int, int> _nonLeafLoop = null!;
    private Func<int, int> _opaqueLoop = null!;
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

    [GlobalSetup(Targets = [nameof(LeafCall_Plain), nameof(NonLeafCall_Plain), nameof(LeafInlined_Plain), nameof(NonLeafInlined_Plain), nameof(NotInlinedLoop_Plain),
        nameof(LeafCall_PlainAgain), nameof(NonLeafCall_PlainAgain), nameof(LeafInlined_PlainAgain), nameof(NonLeafInlined_PlainAgain), nameof(NotInlinedLoop_PlainAgain)])]
    public void SetupCalcPlain() => SetupCalc(instrumented: false);

    [GlobalSetup(Targets = [nameof(LeafCall_Instrumented), nameof(NonLeafCall_Instrumented), nameof(LeafInlined_Instrumented), nameof(NonLeafInlined_Instrumented), nameof(NotInlinedLoop_Instrumented)])]
    public void SetupCalcInstrumented() => SetupCalc(instrumented: true);

    [GlobalSetup(Targets = [nameof(LeafCall_Patched), nameof(NonLeafCall_Patched), nameof(LeafInlined_Patched), nameof(NonLeafInlined_Patched), nameof(NotInlinedLoop_Patched)])]
    public void SetupCalcPatched()
    {
        SetupCalc(instrumented: true);
        _patchId = "bench-calc";
        RuntimeTargets.EnableAndWait(RuntimeTargets.CalcPatch(_patchId));
        // Every method the benchmarks call answers one more than before: the replacements run.
        Check(leaf: 5, nonLeaf: 4, loops: Calls);
    }

    [GlobalSetup(Targets = [nameof(LeafCall_OtherPatched), nameof(NonLeafCall_OtherPatched), nameof(LeafInlined_OtherPatched), nameof(NonLeafInlined_OtherPatched), nameof(NotInlinedLoop_OtherPatched)])]
    public void SetupCalcOtherPatched()
    {
        SetupCalc(instrumented: true);
        var other = RuntimeTargets.Calc.Method<Func<int, int>>(instrumented: true, "PgBench.Calc", "Other");
        _patchId = "bench-other";
        RuntimeTargets.EnableAndWait(RuntimeTargets.OtherPatch(_patchId));
        if (other(1) != -3)
            throw new InvalidOperationException("the patch of Calc.Other is not in effect");
        Check(leaf: 4, nonLeaf: 3, loops: 0);
    }

    [GlobalSetup(Targets = [nameof(ShopRequest_Plain), nameof(ShopPricing_Plain), nameof(ShopRequest_PlainAgain), nameof(ShopPricing_PlainAgain)])]
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
        const string type = "PgBench.Calc";
        // Methods of one instance each; the Scale field is the same (3) in all of them.
        _leaf = calc.Method<Func<int, int>>(instrumented, type, "Leaf");
        _nonLeaf = calc.Method<Func<int, int>>(instrumented, type, "NonLeaf");
        _leafLoop = calc.Method<Func<int, int>>(instrumented, type, "LeafLoop");
        _nonLeafLoop = calc.Method<Func<int, int>>(instrumented, type, "NonLeafLoop");
        _opaqueLoop = calc.Method<Func<int, int>>(instrumented, type, "OpaqueLoop");
        Check(leaf: 4, nonLeaf: 3, loops: 0);
    }

    /// <summary>What the methods answer for 1, and how much more than the unpatched loops the loops sum to.</summary>
    private void Check(int leaf, int nonLeaf, int loops)
    {
        // Unpatched: sum over i < n of 3i + 1 (Leaf, Opaque) and of 2i + 1 (NonLeaf).
        int leafSum = (3 * Calls * (Calls - 1) / 2) + Calls + loops, nonLeafSum = (Calls * (Calls - 1)) + Calls + loops;
        if (_leaf(1) != leaf || _nonLeaf(1) != nonLeaf || _leafLoop(Calls) != leafSum || _opaqueLoop(Calls) != leafSum || _nonLeafLoop(Calls) != nonLeafSum)
            throw new InvalidOperationException("unexpected results: the benchmark would not measure what it says");
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

    // The A/A control: the plain build again, in a process of its own like every benchmark.
    [Benchmark(OperationsPerInvoke = Calls), BenchmarkCategory("LeafCall")]
    public int LeafCall_PlainAgain() => CallMany(_leaf);

    [Benchmark(OperationsPerInvoke = Calls), BenchmarkCategory("LeafCall")]
    public int LeafCall_Instrumented() => CallMany(_leaf);

    [Benchmark(OperationsPerInvoke = Calls), BenchmarkCategory("LeafCall")]
    public int LeafCall_Patched() => CallMany(_leaf);

    [Benchmark(OperationsPerInvoke = Calls), BenchmarkCategory("LeafCall")]
    public int LeafCall_OtherPatched() => CallMany(_leaf);

    [Benchmark(Baseline = true, OperationsPerInvoke = Calls), BenchmarkCategory("NonLeafCall")]
    public int NonLeafCall_Plain() => CallMany(_nonLeaf);

    // The A/A control: the plain build again, in a process of its own like every benchmark.
    [Benchmark(OperationsPerInvoke = Calls), BenchmarkCategory("NonLeafCall")]
    public int NonLeafCall_PlainAgain() => CallMany(_nonLeaf);

    [Benchmark(OperationsPerInvoke = Calls), BenchmarkCategory("NonLeafCall")]
    public int NonLeafCall_Instrumented() => CallMany(_nonLeaf);

    [Benchmark(OperationsPerInvoke = Calls), BenchmarkCategory("NonLeafCall")]
    public int NonLeafCall_Patched() => CallMany(_nonLeaf);

    [Benchmark(OperationsPerInvoke = Calls), BenchmarkCategory("NonLeafCall")]
    public int NonLeafCall_OtherPatched() => CallMany(_nonLeaf);

    [Benchmark(Baseline = true, OperationsPerInvoke = Calls), BenchmarkCategory("LeafInlined")]
    public int LeafInlined_Plain() => _leafLoop(Calls);

    // The A/A control: the plain build again, in a process of its own like every benchmark.
    [Benchmark(OperationsPerInvoke = Calls), BenchmarkCategory("LeafInlined")]
    public int LeafInlined_PlainAgain() => _leafLoop(Calls);

    [Benchmark(OperationsPerInvoke = Calls), BenchmarkCategory("LeafInlined")]
    public int LeafInlined_Instrumented() => _leafLoop(Calls);

    [Benchmark(OperationsPerInvoke = Calls), BenchmarkCategory("LeafInlined")]
    public int LeafInlined_Patched() => _leafLoop(Calls);

    [Benchmark(OperationsPerInvoke = Calls), BenchmarkCategory("LeafInlined")]
    public int LeafInlined_OtherPatched() => _leafLoop(Calls);

    [Benchmark(Baseline = true, OperationsPerInvoke = Calls), BenchmarkCategory("NonLeafInlined")]
    public int NonLeafInlined_Plain() => _nonLeafLoop(Calls);

    // The A/A control: the plain build again, in a process of its own like every benchmark.
    [Benchmark(OperationsPerInvoke = Calls), BenchmarkCategory("NonLeafInlined")]
    public int NonLeafInlined_PlainAgain() => _nonLeafLoop(Calls);

    [Benchmark(OperationsPerInvoke = Calls), BenchmarkCategory("NonLeafInlined")]
    public int NonLeafInlined_Instrumented() => _nonLeafLoop(Calls);

    [Benchmark(OperationsPerInvoke = Calls), BenchmarkCategory("NonLeafInlined")]
    public int NonLeafInlined_Patched() => _nonLeafLoop(Calls);

    [Benchmark(OperationsPerInvoke = Calls), BenchmarkCategory("NonLeafInlined")]
    public int NonLeafInlined_OtherPatched() => _nonLeafLoop(Calls);

    [Benchmark(Baseline = true, OperationsPerInvoke = Calls), BenchmarkCategory("NotInlinedLoop")]
    public int NotInlinedLoop_Plain() => _opaqueLoop(Calls);

    // The A/A control: the plain build again, in a process of its own like every benchmark.
    [Benchmark(OperationsPerInvoke = Calls), BenchmarkCategory("NotInlinedLoop")]
    public int NotInlinedLoop_PlainAgain() => _opaqueLoop(Calls);

    [Benchmark(OperationsPerInvoke = Calls), BenchmarkCategory("NotInlinedLoop")]
    public int NotInlinedLoop_Instrumented() => _opaqueLoop(Calls);

    [Benchmark(OperationsPerInvoke = Calls), BenchmarkCategory("NotInlinedLoop")]
    public int NotInlinedLoop_Patched() => _opaqueLoop(Calls);

    [Benchmark(OperationsPerInvoke = Calls), BenchmarkCategory("NotInlinedLoop")]
    public int NotInlinedLoop_OtherPatched() => _opaqueLoop(Calls);

    [Benchmark(Baseline = true), BenchmarkCategory("ShopRequest")]
    public string ShopRequest_Plain() => _handle(RuntimeTargets.ShopRequest);

    // The A/A control: the plain build again, in a process of its own like every benchmark.
    [Benchmark, BenchmarkCategory("ShopRequest")]
    public string ShopRequest_PlainAgain() => _handle(RuntimeTargets.ShopRequest);

    [Benchmark, BenchmarkCategory("ShopRequest")]
    public string ShopRequest_Instrumented() => _handle(RuntimeTargets.ShopRequest);

    [Benchmark, BenchmarkCategory("ShopRequest")]
    public string ShopRequest_Patched() => _handle(RuntimeTargets.ShopRequest);

    [Benchmark(Baseline = true), BenchmarkCategory("ShopPricing")]
    public decimal ShopPricing_Plain() => _quote();

    // The A/A control: the plain build again, in a process of its own like every benchmark.
    [Benchmark, BenchmarkCategory("ShopPricing")]
    public decimal ShopPricing_PlainAgain() => _quote();

    [Benchmark, BenchmarkCategory("ShopPricing")]
    public decimal ShopPricing_Instrumented() => _quote();

    [Benchmark, BenchmarkCategory("ShopPricing")]
    public decimal ShopPricing_Patched() => _quote();
}
