using BenchmarkDotNet.Attributes;
using PatchGen.Diff;

namespace PatchGen.Benchmarks;

/// <summary>One full diff of the large real pair, as <c>patchgen diff</c> runs it: load, compare, render JSON.</summary>
[MemoryDiagnoser]
public class DiffBenchmarks
{
    private string _base = "";
    private string _new = "";

    [GlobalSetup]
    public void Setup()
    {
        _base = RealPair.BasePath;
        _new = RealPair.NewPath;
    }

    [Benchmark]
    public int DiffRoslyn() => DiffReport.ToJson(AssemblyDiffer.Compare(_base, _new)).Length;
}
