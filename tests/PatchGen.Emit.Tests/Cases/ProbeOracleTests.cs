using PatchGen.TestSupport;

namespace PatchGen.Emit.Tests.Cases;

/// <summary>
/// The probes themselves are checked before they judge the emitter: on plain builds, each probe must
/// see a difference between v1 and v2 (a probe that cannot tell them apart would pass any patch).
/// </summary>
public class ProbeOracleTests
{
    public static TheoryData<string> ProbedCases()
    {
        var data = new TheoryData<string>();
        foreach (var name in CaseProbe.PatchableCases().Where(n => CaseProbe.SourcePath(n) is not null))
            data.Add(name);
        return data;
    }

    [Theory]
    [MemberData(nameof(ProbedCases))]
    public void ProbeTellsV1FromV2(string caseName)
    {
        var v1 = CaseProbe.RunIsolated(caseName, CaseCompiler.Compile(caseName, "v1", "Case." + caseName).AssemblyPath);
        var v2 = CaseProbe.RunIsolated(caseName, CaseCompiler.Compile(caseName, "v2", "Case." + caseName).AssemblyPath);
        Assert.NotEqual(v1, v2);
    }

    [Fact]
    public void EveryPatchableCaseHasAProbeOrSaysWhyNot()
    {
        var missing = CaseProbe.PatchableCases()
            .Where(n => CaseProbe.SourcePath(n) is null && !File.Exists(Path.Combine(Repository.CasesDirectory, n, CaseProbe.SkipFileName)))
            .ToList();
        Assert.True(missing.Count == 0, "patchable cases without probe.cs or probe-skip.txt: " + string.Join(", ", missing));
    }
}
