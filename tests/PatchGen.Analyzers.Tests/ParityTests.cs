using PatchGen.Baseline;
using PatchGen.Diff;
using PatchGen.Diff.Baseline;
using PatchGen.TestSupport;

namespace PatchGen.Analyzers.Tests;

/// <summary>
/// The analyzer and the diff engine agree: for every case of testdata/cases, v1 is compiled and its
/// manifest written by the core writer (from the v1 assembly, its PDB and the sources it names), the
/// analyzer runs on the v2 compilation with that manifest, and the PG1xxx/PG2xxx diagnostics it
/// reports (ID and member) are exactly those the diff engine reports for v1 against v2. PG2007
/// (resources) is left out on both sides: an analyzer cannot see resources. Where the two must
/// differ because something is only visible in IL, the case folder has an <c>analyzer.txt</c> with
/// the analyzer's expected findings and a comment saying why.
/// </summary>
public class ParityTests
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
    public void AnalyzerAgreesWithTheDiffEngine(string name)
    {
        var v1 = CaseCompiler.Compile(name, "v1");
        var v2 = CaseCompiler.Compile(name, "v2");
        var manifest = BaselineText.Write(BaselineWriter.Describe(v1.AssemblyPath));

        var model = CaseModel.Of(name);
        var diff = AssemblyDiffer.Compare(v1.AssemblyPath, v2.AssemblyPath, SourcePathOptions.Default, model);
        var engine = new SortedSet<string>(diff.Diagnostics
            .Where(d => (d.Id.StartsWith("PG1", StringComparison.Ordinal) || d.Id.StartsWith("PG2", StringComparison.Ordinal)) && d.Id != "PG2007")
            .Select(d => d.Id + " " + (d.Member ?? "-")), StringComparer.Ordinal);

        var exception = Path.Combine(Repository.CasesDirectory, name, "analyzer.txt");
        var expected = File.Exists(exception) ? ReadException(exception) : engine;

        var diagnostics = AnalyzerRunner.Run(v2.Compilation, manifest, model: model);
        var actual = AnalyzerRunner.Keys(diagnostics);
        Assert.True(expected.SetEquals(actual),
            $"{name}: analyzer and {(File.Exists(exception) ? "analyzer.txt" : "diff engine")} disagree\n  expected: {string.Join(" | ", expected)}\n  analyzer: {string.Join(" | ", actual)}\n"
            + $"  engine:   {string.Join(" | ", engine)}\n\n" + string.Join("\n", diagnostics.Select(d => d.ToString())));
        Assert.All(diagnostics.Where(d => d.Id.StartsWith("PG", StringComparison.Ordinal) && d.Id != "PG0001"), d => Assert.True(d.Location.IsInSource, d.ToString()));
    }

    /// <summary><c>analyzer.txt</c>: '#' comment lines (at least one: the reason), then "ID member" lines.</summary>
    private static SortedSet<string> ReadException(string path)
    {
        var lines = File.ReadAllLines(path).Select(l => l.Trim()).Where(l => l.Length > 0).ToList();
        Assert.Contains(lines, l => l.StartsWith('#'));
        return new SortedSet<string>(lines.Where(l => !l.StartsWith('#')), StringComparer.Ordinal);
    }
}
