using BenchmarkDotNet.Attributes;
using PatchGen.Instrumentation;

namespace PatchGen.Benchmarks;

/// <summary><c>patchgen instrument</c> of the large real pair's base: read, rewrite every eligible method, write with symbols.</summary>
[MemoryDiagnoser]
public class InstrumentBenchmarks
{
    private string _directory = "";

    [GlobalSetup]
    public void Setup() => _directory = Directory.CreateTempSubdirectory("patchgen-bench-").FullName;

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_directory, recursive: true);

    [Benchmark]
    public int InstrumentRoslyn()
        => AssemblyInstrumenter.Instrument(RealPair.BasePath, Path.Combine(_directory, Path.GetFileName(RealPair.BasePath)), new InstrumentOptions { CopyRuntime = false }).SiteCount;
}
