using PatchGen.Diff;
using PatchGen.TestSupport;

namespace PatchGen.Instrumentation.Tests;

/// <summary>
/// The production build is the instrumented one, so <c>patchgen diff</c> (and later the emitter) must
/// compare it with a plain fix build as if it had never been instrumented. Checked on every case of
/// testdata/cases: diffing the instrumented v1 against v2 gives exactly the changes and diagnostics of
/// diffing the original v1, except PG0003 (the instrumented base does have patch sites).
/// </summary>
public class DiffSeesThroughInstrumentationTests
{
    public static IEnumerable<object[]> Cases()
        => Directory.GetDirectories(Repository.CasesDirectory)
            .Select(d => Path.GetFileName(d))
            .Where(name => Directory.Exists(Path.Combine(Repository.CasesDirectory, name, "v1")))
            .OrderBy(name => name, StringComparer.Ordinal)
            .Select(name => new object[] { name });

    [Theory]
    [MemberData(nameof(Cases))]
    public void InstrumentedBaseDiffsLikeTheOriginal(string caseName)
        => AssertDiffsLikeTheOriginal(caseName, "seethrough-", new InstrumentOptions { CopyRuntime = false });

    /// <summary>
    /// Without inline clones (site format 3, <c>--inline-clones 0</c>) too. The default above has them (docs/patch-sites.md,
    /// "Inline clones"): calls of a clone go back to its original and the clones disappear, so the diff is again the
    /// original base's either way.
    /// </summary>
    [Theory]
    [MemberData(nameof(Cases))]
    public void InstrumentedBaseWithoutInlineClonesDiffsLikeTheOriginal(string caseName)
        => AssertDiffsLikeTheOriginal(caseName, "seethrough-noclones-",
            new InstrumentOptions { CopyRuntime = false, InlineCloneMaxCodeSize = 0, OutlineBodiesOver = 0 });

    /// <summary>
    /// With outlined bodies (site format 5, docs/patch-sites.md "Outlined bodies"), at a bound low enough that most
    /// methods of the cases are outlined: the view gives each its body and symbols back from its clone, so the diff,
    /// source lines included, is again the original base's.
    /// </summary>
    [Theory]
    [MemberData(nameof(Cases))]
    public void InstrumentedBaseWithOutlinedBodiesDiffsLikeTheOriginal(string caseName)
        => AssertDiffsLikeTheOriginal(caseName, "seethrough-outlined-",
            new InstrumentOptions { CopyRuntime = false, InlineCloneMaxCodeSize = 8, OutlineBodiesOver = 8 });

    /// <summary>
    /// The same with every direct call of an outlined method naming its moved body
    /// (<see cref="InstrumentOptions.OutlineRetargetMaxCallers"/>, a measurement variant): the view points those calls
    /// back at the method as it does a small clone's.
    /// </summary>
    [Theory]
    [MemberData(nameof(Cases))]
    public void InstrumentedBaseWithRetargetedOutlinedCallsDiffsLikeTheOriginal(string caseName)
        => AssertDiffsLikeTheOriginal(caseName, "seethrough-retargeted-",
            new InstrumentOptions { CopyRuntime = false, InlineCloneMaxCodeSize = 8, OutlineBodiesOver = 8, OutlineRetargetMaxCallers = int.MaxValue });

    private static void AssertDiffsLikeTheOriginal(string caseName, string directoryPrefix, InstrumentOptions options)
    {
        var v1 = CaseCompiler.Compile(caseName, "v1").AssemblyPath;
        var v2 = CaseCompiler.Compile(caseName, "v2").AssemblyPath;
        var instrumented = Path.Combine(InlineAssembly.TempDirectory(directoryPrefix + caseName), Path.GetFileName(v1));
        AssemblyInstrumenter.Instrument(v1, instrumented, options);

        var model = CaseModel.Of(caseName);
        var expected = AssemblyDiffer.Compare(v1, v2, SourcePathOptions.Default, model);
        var actual = AssemblyDiffer.Compare(instrumented, v2, SourcePathOptions.Default, model);

        // Known gap: Cecil writes only the PDB documents that sequence points use, so a source file
        // without any method body (an interface) loses its document, and declarations in it their line.
        bool withLocations = !FilesWithoutBodies.Contains(caseName);
        Assert.Equal(Render(expected, v1, withLocations), Render(actual, instrumented, withLocations));
        Assert.True(actual.Base.HasPatchSites);
    }

    private static readonly HashSet<string> FilesWithoutBodies = new(StringComparer.Ordinal) { "MethodRemovedFromInterfaceIsInterfaceChange" };

    private static string Render(DiffResult result, string basePath, bool withLocations)
        => string.Join("\n", result.Changes.Select(c => $"{c.Kind} {c.Member}")
            .Concat(result.Diagnostics.Where(d => d.Id != "PG0003")
                .Select(d => $"{d.Id} {d.Severity} {d.Member} {d.Message.Replace(basePath, "<base>")}" + (withLocations ? $" {d.File}:{d.Line}" : ""))));
}
