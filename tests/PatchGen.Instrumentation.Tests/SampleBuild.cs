using System.Reflection;
using System.Runtime.Loader;
using PatchGen.TestSupport;

namespace PatchGen.Instrumentation.Tests;

/// <summary>The sample library compiled once per test run, and its instrumented copy in another folder.</summary>
internal static class SampleBuild
{
    private static readonly Lazy<(string Original, string Instrumented, InstrumentResult Result)> Build = new(() =>
    {
        var original = InlineAssembly.Compile(InlineAssembly.TempDirectory("sample"), SampleLibrary.Name, SampleLibrary.Source);
        var output = Path.Combine(InlineAssembly.TempDirectory("sample-out"), SampleLibrary.Name + ".dll");
        var result = AssemblyInstrumenter.Instrument(original, output);
        return (original, output, result);
    });

    private static readonly Lazy<string> WithoutClones = new(() =>
    {
        var output = Path.Combine(InlineAssembly.TempDirectory("sample-out-noclones"), SampleLibrary.Name + ".dll");
        AssemblyInstrumenter.Instrument(Build.Value.Original, output, new InstrumentOptions { InlineCloneMaxCodeSize = 0, OutlineBodiesOver = 0 });
        return output;
    });

    public static string OriginalPath => Build.Value.Original;

    /// <summary>
    /// The sample instrumented without inline clones (site format 3): every call inside it goes through the callee's
    /// site, for tests that install a replacement on one site by hand (a patch of a cloned method would also replace
    /// its clone's callers, which is the emitter's work, tested in PatchGen.Emit.Tests).
    /// </summary>
    public static string WithoutClonesPath => WithoutClones.Value;

    public static string InstrumentedPath => Build.Value.Instrumented;

    public static InstrumentResult Result => Build.Value.Result;

    private static readonly Lazy<Assembly> OriginalAssembly = new(() => Load(OriginalPath));
    private static readonly Lazy<Assembly> InstrumentedAssembly = new(() => Load(InstrumentedPath));

    /// <summary>The original build, loaded once in its own context.</summary>
    public static Assembly Original => OriginalAssembly.Value;

    /// <summary>The instrumented build, loaded once in its own context; PatchGen.Runtime comes from the default context, shared with the tests.</summary>
    public static Assembly Instrumented => InstrumentedAssembly.Value;

    /// <summary>
    /// A fresh collectible context per assembly. It resolves nothing itself, so PatchGen.Runtime and the
    /// framework come from the default context, where the tests can see the same runtime types.
    /// </summary>
    public static Assembly Load(string path)
        => new AssemblyLoadContext("patchgen-test-" + Path.GetFileName(Path.GetDirectoryName(path)), isCollectible: true).LoadFromAssemblyPath(path);
}
