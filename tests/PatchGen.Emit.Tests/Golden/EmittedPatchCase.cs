using PatchGen.Diagnostics;
using PatchGen.Instrumentation;
using PatchGen.TestSupport;
using PatchGen.TestSupport.Golden;

namespace PatchGen.Emit.Tests.Golden;

/// <summary>
/// One emitter golden case: v1 made patchable by the real instrumenter, the patch built from it and the
/// plain v2 by the real <see cref="PatchBuilder"/>, and the whole patch assembly rendered as text, to be
/// compared with testdata/golden/emitter/&lt;case&gt;/expected.il. Nothing is loaded into the process.
/// </summary>
internal static class EmittedPatchCase
{
    /// <summary>Every case compiles under this one name, so the patch is always "CaseAssembly.Patch.golden".</summary>
    private const string AssemblyName = CaseCompiler.AssemblyName;

    private const string PatchId = "golden";

    /// <summary>A case of testdata/cases (its v1/ and v2/ folders), under its model.</summary>
    public static void VerifyCase(string caseName)
        => Verify(caseName, CaseCompiler.Compile(caseName, "v1", AssemblyName).AssemblyPath, CaseCompiler.Compile(caseName, "v2", AssemblyName).AssemblyPath, CaseModel.Of(caseName));

    /// <summary>A case that exists only for the golden tests: testdata/golden/emitter/&lt;case&gt;/v1.cs and v2.cs.</summary>
    public static void VerifyGoldenSources(string caseName)
    {
        var directory = Path.Combine(GoldenFile.Directory, "emitter", caseName);
        var work = InlineAssembly.TempDirectory("golden-" + caseName);
        var v1 = InlineAssembly.Compile(Path.Combine(work, "v1"), AssemblyName, File.ReadAllText(Path.Combine(directory, "v1.cs")));
        var v2 = InlineAssembly.Compile(Path.Combine(work, "v2"), AssemblyName, File.ReadAllText(Path.Combine(directory, "v2.cs")));
        Verify(caseName, v1, v2);
    }

    /// <summary>
    /// A patch of two assemblies (docs/patch-format.md, "Several assemblies"): testdata/golden/emitter/&lt;case&gt;/
    /// Calc.v1.cs, Calc.v2.cs, Show.v1.cs and Show.v2.cs, Show referencing Calc; the pairs Calc then Show.
    /// </summary>
    public static void VerifyTwoAssemblies(string caseName)
    {
        var directory = Path.Combine(GoldenFile.Directory, "emitter", caseName);
        var work = InlineAssembly.TempDirectory("golden-" + caseName);
        string Compile(string version, string name, params string[] references)
            => InlineAssembly.Compile(Path.Combine(work, version), "Golden." + name, File.ReadAllText(Path.Combine(directory, $"{name}.{version}.cs")), withPdb: true, references);
        var calcV1 = Compile("v1", "Calc");
        var calcV2 = Compile("v2", "Calc");
        var showV1 = Compile("v1", "Show", calcV1);
        var showV2 = Compile("v2", "Show", calcV2);
        string calcBase = Path.Combine(work, "base", "Golden.Calc.dll"), showBase = Path.Combine(work, "base", "Golden.Show.dll");
        AssemblyInstrumenter.Instrument(calcV1, calcBase, new InstrumentOptions { CopyRuntime = false });
        AssemblyInstrumenter.Instrument(showV1, showBase, new InstrumentOptions { CopyRuntime = false });
        var patchPath = Path.Combine(work, "fix.dll");
        var build = PatchBuilder.Build(new PatchBuildOptions(calcBase, calcV2, patchPath) { PatchId = PatchId, MorePairs = [new AssemblyPair(showBase, showV2)] });
        Assert.True(build.ExitCode == 0, $"build exit {build.ExitCode}:\n" + string.Join("\n", build.Diagnostics));
        using var patch = GoldenReader.Read(patchPath);
        GoldenFile.Verify($"emitter/{caseName}/expected.il", AssemblyText.Of(patch));
    }

    private static void Verify(string caseName, string v1, string v2, PatchModel model = PatchModel.Simple)
    {
        var work = InlineAssembly.TempDirectory("golden-patch-" + caseName);
        var patchableBase = Path.Combine(work, "base", AssemblyName + ".dll");
        AssemblyInstrumenter.Instrument(v1, patchableBase, new InstrumentOptions { CopyRuntime = false });
        var patchPath = Path.Combine(work, "fix.dll");
        var build = PatchBuilder.Build(new PatchBuildOptions(patchableBase, v2, patchPath) { PatchId = PatchId, Model = model });
        Assert.True(build.ExitCode == 0, $"build exit {build.ExitCode}:\n" + string.Join("\n", build.Diagnostics));
        using var patch = GoldenReader.Read(patchPath);
        GoldenFile.Verify($"emitter/{caseName}/expected.il", AssemblyText.Of(patch));
    }
}
