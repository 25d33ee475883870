using PatchGen.Diff;
using PatchGen.Diff.Tests;
using Xunit.Abstractions;

namespace PatchGen.SourcePatching.Tests;

/// <summary>
/// Every fix in <c>testdata/apps/WebShop/fixes</c>, built as <c>patchgen build --project WebShop.slnx</c> builds
/// it: the solution copied, patched and built with the real SDK, the changed assemblies found by their bytes
/// (<see cref="AssemblyChanges"/>), each compared by the diff engine; the union of their changes and
/// diagnostics, and the set of bases, must be the fix's <c>.expected</c> verdict (format of testdata/cases,
/// plus <c>bases</c>).
/// </summary>
public class WebShopFixTests : IClassFixture<WebShopBuilds>
{
    private readonly WebShopBuilds _builds;
    private readonly ITestOutputHelper _output;

    public WebShopFixTests(WebShopBuilds builds, ITestOutputHelper output)
    {
        _builds = builds;
        _output = output;
    }

    public static TheoryData<string> Fixes()
    {
        var data = new TheoryData<string>();
        foreach (var patch in Directory.GetFiles(WebShopBuilds.FixesDirectory, "*.patch").OrderBy(p => p, StringComparer.Ordinal))
            data.Add(Path.GetFileNameWithoutExtension(patch));
        return data;
    }

    [Fact]
    public void EveryFixHasAnExpectedVerdictAndViceVersa()
    {
        var patches = Directory.GetFiles(WebShopBuilds.FixesDirectory, "*.patch").Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal);
        var expectations = Directory.GetFiles(WebShopBuilds.FixesDirectory, "*.expected").Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal);
        Assert.Equal(patches, expectations);
        Assert.True(patches.Count() >= 5);
    }

    [Fact]
    public void TheSolutionIsBuiltThroughItsApplicationProject()
    {
        // The web app references both libraries: one build of it compiles the whole solution.
        Assert.Equal(3, _builds.Builder.Projects.Count);
        var output = Assert.Single(_builds.Base.Outputs);
        Assert.Equal("WebShop.Web.csproj", Path.GetFileName(output.ProjectPath));
        Assert.False(output.IsTestProject);
        Assert.Equal("WebShop.Web.dll", Path.GetFileName(_builds.Base.AssemblyPath));
    }

    [Theory]
    [MemberData(nameof(Fixes))]
    public void FixGetsItsExpectedVerdict(string name)
    {
        var expected = ExpectedVerdict.Parse(Path.Combine(WebShopBuilds.FixesDirectory, name + ".expected"));

        var (@base, patched) = _builds.Builder.Build(Path.Combine(WebShopBuilds.FixesDirectory, name + ".patch"));
        var changed = AssemblyChanges.Between(@base, patched);
        Assert.Empty(changed.LeftOut);
        var results = changed.Bases.Select(pair => (Name: Path.GetFileNameWithoutExtension(pair.New), Result: AssemblyDiffer.Compare(pair.Base, pair.New))).ToList();
        var report = string.Join("\n", results.Select(r => r.Name + ":\n" + DiffReport.ToText(r.Result)));
        _output.WriteLine($"{name}: built in {patched.Duration.TotalSeconds:0.0} s\n{report}");

        var bases = new SortedSet<string>(results.Select(r => r.Name), StringComparer.Ordinal);
        var changes = new SortedSet<string>(results.SelectMany(r => r.Result.Changes).Select(c => c.KindName + " " + c.Member), StringComparer.Ordinal);
        var diagnostics = new SortedSet<string>(
            results.SelectMany(r => r.Result.Diagnostics).Where(d => !ExpectedVerdict.IgnoredIds.Contains(d.Id)).Select(d => d.Id + " " + (d.Member ?? "-")),
            StringComparer.Ordinal);
        var inPlace = new SortedSet<string>(results.SelectMany(r => r.Result.Lambdas).Select(l => l.Owner + " @" + l.Line + " " + (l.OwnerReplaced ? "replaced" : "kept")), StringComparer.Ordinal);
        Assert.True(expected.Bases.SetEquals(bases),
            $"bases differ for {name}\n  expected: {string.Join(" | ", expected.Bases)}\n  actual:   {string.Join(" | ", bases)}\n\n{report}");
        Assert.True(expected.Changes.SetEquals(changes),
            $"changes differ for {name}\n  expected: {string.Join(" | ", expected.Changes)}\n  actual:   {string.Join(" | ", changes)}\n\n{report}");
        Assert.True(expected.Diagnostics.SetEquals(diagnostics),
            $"diagnostics differ for {name}\n  expected: {string.Join(" | ", expected.Diagnostics)}\n  actual:   {string.Join(" | ", diagnostics)}\n\n{report}");
        Assert.True(expected.InPlace.SetEquals(inPlace),
            $"lambdas replaced in place differ for {name}\n  expected: {string.Join(" | ", expected.InPlace)}\n  actual:   {string.Join(" | ", inPlace)}\n\n{report}");
        Assert.Equal(expected.Patchable, results.All(r => r.Result.IsPatchable));
        Assert.DoesNotContain(results.SelectMany(r => r.Result.Diagnostics), d => d.Id == "PG0004");
    }
}
