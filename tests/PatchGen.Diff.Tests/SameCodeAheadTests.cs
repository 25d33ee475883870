using PatchGen.Diagnostics;
using PatchGen.Diff.Closures;
using PatchGen.TestSupport;

namespace PatchGen.Diff.Tests;

/// <summary>
/// The same-code check runs ahead of the rules on a thread of its own (<see cref="SameCodeAhead"/>): whether it settles
/// every pair first, races the rules, or is not run at all, the report and the changed methods handed to the patch
/// emitter (with their closures' hashes, in order) must be the same.
/// </summary>
public sealed class SameCodeAheadTests
{
    public static TheoryData<string> Cases() => DiffCaseTests.Cases();

    [Theory]
    [MemberData(nameof(Cases))]
    public void EveryOrderGivesTheResultOfCheckingOnTheRulesThread(string name)
    {
        var v1 = CaseCompiler.Compile(name, "v1").AssemblyPath;
        var v2 = CaseCompiler.Compile(name, "v2").AssemblyPath;
        var model = CaseModel.Of(name);
        var off = Diff(v1, v2, model, SameCodeOrder.Off);
        Assert.Equal(off.Result, Diff(v1, v2, model, SameCodeOrder.FinishedFirst).Result);
        Assert.Equal(off.Result, Diff(v1, v2, model, SameCodeOrder.Concurrent).Result);
    }

    /// <summary>The cases' unchanged methods are settled ahead (the test above compares something), under the simple model only.</summary>
    [Fact]
    public void CasesHaveMethodsSettledAhead()
    {
        int settled = 0;
        foreach (var name in Directory.GetDirectories(Repository.CasesDirectory).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).Take(60))
        {
            var model = CaseModel.Of(name);
            var (_, alike) = Diff(CaseCompiler.Compile(name, "v1").AssemblyPath, CaseCompiler.Compile(name, "v2").AssemblyPath, model, SameCodeOrder.FinishedFirst);
            if (model != PatchModel.Simple)
                Assert.Equal(0, alike);
            settled += alike;
        }
        Assert.True(settled > 0);
    }

    [Fact]
    public void RoslynInEveryOrder()
    {
        var pair = new RealLibraryTests.Pairs()[RealLibraryTests.Roslyn];
        var off = Diff(pair.BasePath, pair.NewPath, PatchModel.Simple, SameCodeOrder.Off);
        var first = Diff(pair.BasePath, pair.NewPath, PatchModel.Simple, SameCodeOrder.FinishedFirst);
        // Of the 37,945 matched methods with code, ~35,000 have the same code and a closure that is their body alone.
        Assert.True(first.Alike > 30_000, "settled ahead: " + first.Alike);
        Assert.Equal(off.Result, first.Result);
        Assert.Equal(off.Result, Diff(pair.BasePath, pair.NewPath, PatchModel.Simple, SameCodeOrder.Concurrent).Result);
    }

    /// <summary>The JSON report, then each changed method with its closures' hashes in the order the emitter gets them; and how many pairs were settled ahead.</summary>
    private static (string Result, int Alike) Diff(string basePath, string newPath, PatchModel model, SameCodeOrder order)
    {
        using var @base = AssemblyInput.Load(basePath);
        using var @new = AssemblyInput.Load(newPath);
        var (result, context) = AssemblyDiffer.Compare(@base, @new, SourcePathOptions.Default, model, order);
        var changed = context.ChangedMethods.Select(m => m.New.FullName + " " + Convert.ToHexString(m.BaseClosure.Hash) + " " + Convert.ToHexString(m.NewClosure.Hash));
        return (DiffReport.ToJson(result) + "\n" + string.Join("\n", changed), context.SameCodeAhead?.Count ?? 0);
    }
}
