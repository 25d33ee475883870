using PatchGen.Diagnostics;
using PatchGen.Diff;
using PatchGen.Diff.Tests;
using Xunit.Abstractions;

namespace PatchGen.SourcePatching.Tests;

/// <summary>
/// End to end: every fix in <c>testdata/apps/ShopService/fixes</c> is applied to a copy of the
/// service, both versions are built with the real SDK, the diff engine compares the outputs, and
/// the verdict must be the one in the fix's <c>.expected</c> file (format of testdata/cases).
/// </summary>
public class ShopServiceFixTests : IClassFixture<ShopServiceBuilds>
{
    private readonly ShopServiceBuilds _builds;
    private readonly ITestOutputHelper _output;

    public ShopServiceFixTests(ShopServiceBuilds builds, ITestOutputHelper output)
    {
        _builds = builds;
        _output = output;
    }

    public static TheoryData<string> Fixes()
    {
        var data = new TheoryData<string>();
        foreach (var patch in Directory.GetFiles(ShopServiceBuilds.FixesDirectory, "*.patch").OrderBy(p => p, StringComparer.Ordinal))
            data.Add(Path.GetFileNameWithoutExtension(patch));
        return data;
    }

    [Fact]
    public void EveryFixHasAnExpectedVerdictAndViceVersa()
    {
        var patches = Directory.GetFiles(ShopServiceBuilds.FixesDirectory, "*.patch").Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal);
        var expectations = Directory.GetFiles(ShopServiceBuilds.FixesDirectory, "*.expected").Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal);
        Assert.Equal(patches, expectations);
        Assert.True(patches.Count() >= 6);
    }

    [Theory]
    [MemberData(nameof(Fixes))]
    public void FixGetsItsExpectedVerdict(string name)
    {
        var expected = ExpectedVerdict.Parse(Path.Combine(ShopServiceBuilds.FixesDirectory, name + ".expected"));

        var patched = _builds.Builder.BuildPatched(Path.Combine(ShopServiceBuilds.FixesDirectory, name + ".patch"));
        var result = AssemblyDiffer.Compare(_builds.Base.AssemblyPath, patched.AssemblyPath);
        var report = DiffReport.ToText(result);
        _output.WriteLine($"{name}: built in {patched.Duration.TotalSeconds:0.0} s\n{report}");

        var changes = new SortedSet<string>(result.Changes.Select(c => c.KindName + " " + c.Member), StringComparer.Ordinal);
        var diagnostics = new SortedSet<string>(
            result.Diagnostics.Where(d => !ExpectedVerdict.IgnoredIds.Contains(d.Id)).Select(d => d.Id + " " + (d.Member ?? "-")),
            StringComparer.Ordinal);
        Assert.True(expected.Changes.SetEquals(changes),
            $"changes differ for {name}\n  expected: {string.Join(" | ", expected.Changes)}\n  actual:   {string.Join(" | ", changes)}\n\n{report}");
        Assert.True(expected.Diagnostics.SetEquals(diagnostics),
            $"diagnostics differ for {name}\n  expected: {string.Join(" | ", expected.Diagnostics)}\n  actual:   {string.Join(" | ", diagnostics)}\n\n{report}");
        var inPlace = new SortedSet<string>(result.Lambdas.Select(l => l.Owner + " @" + l.Line + " " + (l.OwnerReplaced ? "replaced" : "kept")), StringComparer.Ordinal);
        Assert.True(expected.InPlace.SetEquals(inPlace),
            $"lambdas replaced in place differ for {name}\n  expected: {string.Join(" | ", expected.InPlace)}\n  actual:   {string.Join(" | ", inPlace)}\n\n{report}");
        Assert.Equal(expected.Patchable, result.IsPatchable);

        // Real SDK builds carry portable PDBs: every diagnostic can have a source location.
        Assert.DoesNotContain(result.Diagnostics, d => d.Id == "PG0004");
        Assert.All(patched.Application!.Files, f => Assert.All(f.HunkOffsets, o => Assert.Equal(0, o)));
    }

    [Fact]
    public void TheBaseIsBuiltOnceWithSymbols()
    {
        Assert.Same(_builds.Base, _builds.Builder.BuildBase());
        Assert.Equal("ShopService.dll", Path.GetFileName(_builds.Base.AssemblyPath));
        Assert.True(File.Exists(_builds.Base.AssemblyPath));
        Assert.True(File.Exists(Path.ChangeExtension(_builds.Base.AssemblyPath, ".pdb")));
        Assert.StartsWith(_builds.Builder.WorkDirectory, _builds.Base.AssemblyPath, StringComparison.Ordinal);
        Assert.True(File.Exists(_builds.Base.LogPath));
        Assert.Null(_builds.Base.Application);
    }

    [Fact]
    public void APatchThatDoesNotApplyNamesPatchFileAndHunkAndBuildsNothing()
    {
        string patch = ShopServiceBuilds.TestPatch("stale-context.patch");

        var error = Assert.Throws<PatchGenException>(() => _builds.Builder.BuildPatched(patch));

        Assert.Equal("PG0001", error.Diagnostic.Id);
        Assert.Equal(patch, error.Diagnostic.File);
        Assert.Equal(5, error.Diagnostic.Line);
        Assert.StartsWith(patch + ": hunk #1 (@@ -12,7 +12,7 @@, patch line 5) does not apply to Pricing/TaxCalculator.cs: line 14 is ", error.Diagnostic.Message);
        AssertNoCopiesButBase();
    }

    [Fact]
    public void AProjectThatDoesNotBuildNamesProjectAndFirstCompilerError()
    {
        var error = Assert.Throws<PatchGenException>(() => _builds.Builder.BuildPatched(ShopServiceBuilds.TestPatch("broken-build.patch")));

        _output.WriteLine(error.Diagnostic.ToString());
        Assert.Equal("PG0001", error.Diagnostic.Id);
        Assert.Equal(ShopServiceBuilds.ProjectPath, error.Diagnostic.File);
        Assert.Matches(@"^.*ShopService\.csproj: the new-\d+ copy does not build: Pricing/TaxCalculator\.cs\(15,\d+\): error CS\d+: .*; log: .*new-\d+\.log$", error.Diagnostic.Message);
        Assert.DoesNotContain(_builds.Builder.WorkDirectory + Path.DirectorySeparatorChar + "new-", error.Diagnostic.Message.Split("; log:")[0]);
        AssertNoCopiesButBase();
    }

    [Fact]
    public void BuildGivesBaseAndNewForAPatchFile()
    {
        var (@base, @new) = _builds.Builder.Build(Path.Combine(ShopServiceBuilds.FixesDirectory, "inventory-last-unit.patch"));

        Assert.Same(_builds.Base, @base);
        Assert.NotEqual(@base.AssemblyPath, @new.AssemblyPath);
        Assert.Equal(new[] { "Domain/Inventory.cs" }, @new.Application!.Files.Select(f => f.Path));
        Assert.Contains("units >= quantity", File.ReadAllText(Path.Combine(@new.SourceDirectory, "Domain", "Inventory.cs")));
        Assert.DoesNotContain("units >= quantity", File.ReadAllText(Path.Combine(ShopServiceBuilds.AppDirectory, "Domain", "Inventory.cs")));
    }

    private void AssertNoCopiesButBase()
    {
        // Failed builds leave no copy behind; successful ones (other tests, run in any order) may.
        foreach (var folder in Directory.GetDirectories(_builds.Builder.WorkDirectory))
        {
            string name = Path.GetFileName(folder);
            if (name is "base" or "logs")
                continue;
            Assert.True(File.Exists(Path.Combine(folder, "ShopService", "bin", "Release", "net10.0", "ShopService.dll")), $"{folder} is a leftover of a failed build");
        }
    }
}
