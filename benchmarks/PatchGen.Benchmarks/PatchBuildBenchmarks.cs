using BenchmarkDotNet.Attributes;
using PatchGen.Emit;

namespace PatchGen.Benchmarks;

/// <summary>
/// <c>patchgen build</c> on the large real pair, end to end (read both builds, diff, compose, write),
/// from a base instrumented once in the setup, as production instruments it once per release.
/// </summary>
[MemoryDiagnoser]
public class PatchBuildBenchmarks
{
    private PatchBuildInputs? _inputs;

    [GlobalSetup]
    public void Setup() => _inputs = PatchBuildInputs.Create();

    [GlobalCleanup]
    public void Cleanup() => _inputs?.Dispose();

    private PatchBuildInputs Inputs => _inputs ?? throw new InvalidOperationException("GlobalSetup has not run");

    /// <summary>
    /// The real release pair: not patchable under the simple model (exit code 1), so nothing is
    /// written; this is the time a user waits for that verdict.
    /// </summary>
    [Benchmark]
    public int BuildRoslynRelease() => Build(RealPair.NewPath);

    /// <summary>The same base against itself with one method body changed: a patch is written.</summary>
    [Benchmark]
    public int BuildRoslynOneFix() => Build(Inputs.OneFix);

    private int Build(string newPath)
    {
        var result = PatchBuilder.Build(new PatchBuildOptions(Inputs.InstrumentedBase, newPath, Inputs.Output) { PatchId = "bench" });
        // Returned so the build is not dead code; the exit code is checked by 'build-once', not here.
        return result.ExitCode + result.Replaced.Count;
    }
}
