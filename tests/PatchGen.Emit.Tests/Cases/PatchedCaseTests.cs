using System.Reflection;
using System.Runtime.Loader;
using PatchGen.Instrumentation;
using PatchGen.Runtime;
using PatchGen.TestSupport;

namespace PatchGen.Emit.Tests.Cases;

/// <summary>
/// End to end, per patchable case of testdata/cases that has a probe: build v1 patchable
/// (instrumented), load it into this process, run the probe and see v1's behaviour; build the patch
/// from the instrumented v1 and the plain v2, apply it and see v2's behaviour (as plain v2 shows it);
/// disable it and see v1's again; then unload it (the collectible context really goes away). Each case is compiled under its own assembly name,
/// so that all of them can live in one process.
/// </summary>
public class PatchedCaseTests
{
    public static TheoryData<string> ProbedCases() => ProbeOracleTests.ProbedCases();

    [Theory]
    [MemberData(nameof(ProbedCases))]
    public void PatchTurnsV1IntoV2AndBack(string caseName)
    {
        var assemblyName = "Case." + caseName;
        var v1 = CaseCompiler.Compile(caseName, "v1", assemblyName).AssemblyPath;
        var v2 = CaseCompiler.Compile(caseName, "v2", assemblyName).AssemblyPath;
        var expectedV1 = CaseProbe.RunIsolated(caseName, v1);
        var expectedV2 = CaseProbe.RunIsolated(caseName, v2);

        var work = InlineAssembly.TempDirectory(caseName);
        var patchable = Path.Combine(work, "base", assemblyName + ".dll");
        AssemblyInstrumenter.Instrument(v1, patchable, new InstrumentOptions { CopyRuntime = false });
        var patchPath = Path.Combine(work, "fix.dll");
        var build = PatchBuilder.Build(new PatchBuildOptions(patchable, v2, patchPath) { PatchId = "fix-" + caseName, Model = CaseModel.Of(caseName) });
        Assert.True(build.ExitCode == 0, $"build exit {build.ExitCode}:\n" + string.Join("\n", build.Diagnostics));

        AssemblyLoadContext.Default.LoadFromAssemblyPath(patchable);
        var probe = AssemblyLoadContext.Default.LoadFromAssemblyPath(CaseProbe.Compile(caseName, patchable, Path.Combine(work, "probe")));
        Assert.Equal(expectedV1, CaseProbe.Run(probe));

        var info = PatchRuntime.Enable(patchPath);
        try
        {
            Transitions.Complete();
            Assert.Equal(expectedV2, CaseProbe.Run(probe));
        }
        finally
        {
            PatchRuntime.Disable(info.Id);
            Transitions.Complete();
        }
        Assert.Equal(expectedV1, CaseProbe.Run(probe));
        // A probe says "// expect: stays loaded (why)" when something outside the patch legitimately
        // keeps its types alive (a serializer's metadata cache, say): then unloading must refuse, honestly.
        bool staysLoaded = File.ReadLines(CaseProbe.SourcePath(caseName)!).Any(l => l.StartsWith("// expect: stays loaded", StringComparison.Ordinal));
        Assert.Equal(!staysLoaded, PatchRuntime.Unload(info.Id, TimeSpan.FromSeconds(staysLoaded ? 2 : 10)));
    }
}
