using PatchGen.TestSupport;

namespace PatchGen.Diff.Tests;

/// <summary>
/// The diff rules, as data: every folder of <c>testdata/cases</c> holds a v1 and a v2 of some code
/// and the verdict expected for that edit (<see cref="ExpectedVerdict"/>). Both versions are
/// compiled in Release by Roslyn, diffed, and the verdict compared exactly.
/// </summary>
public class DiffCaseTests
{
    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        foreach (var dir in Directory.GetDirectories(Repository.CasesDirectory).OrderBy(d => d, StringComparer.Ordinal))
            data.Add(Path.GetFileName(dir));
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Case(string name)
    {
        var expected = ExpectedVerdict.Parse(Path.Combine(Repository.CasesDirectory, name, "expected.txt"));
        var v1 = CaseCompiler.Compile(name, "v1");
        var v2 = CaseCompiler.Compile(name, "v2");

        var result = AssemblyDiffer.Compare(v1.AssemblyPath, v2.AssemblyPath, SourcePathOptions.Default, CaseModel.Of(name));

        var actualChanges = new SortedSet<string>(result.Changes.Select(c => c.KindName + " " + c.Member), StringComparer.Ordinal);
        var actualDiagnostics = new SortedSet<string>(
            result.Diagnostics.Where(d => !ExpectedVerdict.IgnoredIds.Contains(d.Id)).Select(d => d.Id + " " + (d.Member ?? "-")),
            StringComparer.Ordinal);

        var report = DiffReport.ToText(result);
        Assert.True(expected.Changes.SetEquals(actualChanges),
            $"changes differ for {name}\n  expected: {string.Join(" | ", expected.Changes)}\n  actual:   {string.Join(" | ", actualChanges)}\n\n{report}");
        Assert.True(expected.Diagnostics.SetEquals(actualDiagnostics),
            $"diagnostics differ for {name}\n  expected: {string.Join(" | ", expected.Diagnostics)}\n  actual:   {string.Join(" | ", actualDiagnostics)}\n\n{report}");
        var actualInPlace = new SortedSet<string>(result.Lambdas.Select(l => l.Owner + " @" + l.Line + " " + (l.OwnerReplaced ? "replaced" : "kept")), StringComparer.Ordinal);
        Assert.True(expected.InPlace.SetEquals(actualInPlace),
            $"lambdas replaced in place differ for {name}\n  expected: {string.Join(" | ", expected.InPlace)}\n  actual:   {string.Join(" | ", actualInPlace)}\n\n{report}");
        Assert.True(expected.Patchable == result.IsPatchable, $"patchable: expected {expected.Patchable}\n\n{report}");

        foreach (var (key, line) in expected.Lines)
        {
            var diagnostic = result.Diagnostics.First(d => d.Id + " " + (d.Member ?? "-") == key);
            Assert.True(line == diagnostic.Line, $"{key}: expected line {line}, got {diagnostic.Line?.ToString() ?? "none"} ({diagnostic.File})\n\n{report}");
        }

        // No compiler-generated name may ever reach a report.
        foreach (var member in result.Changes.Select(c => c.Member).Concat(result.Diagnostics.Select(d => d.Member ?? "")).Concat(result.Lambdas.Select(l => l.Owner + " " + l.Lambda)))
            Assert.DoesNotContain('<', member);
        foreach (var diagnostic in result.Diagnostics)
            Assert.DoesNotMatch(@"<\w*>[a-z]__|DisplayClass|k__BackingField", diagnostic.Message);
    }
}
