using PatchGen.Diff.Closures;
using PatchGen.TestSupport;

namespace PatchGen.Diff.Tests;

/// <summary>
/// The first difference of a changed body is located by comparing closure lines as statements:
/// instruction numbers, branch targets and handler bounds masked, headers and hidden code left out.
/// <see cref="ClosureLineReader"/> finds those parts from the tokens recorded as the text was
/// written; before, they were found by reading the text back. That reading is kept here as the
/// oracle, and both must give the same statements for every closure of real assemblies (it differs
/// only where a string literal holds <c>-&gt;</c> and a digit, which the old reading masked too).
/// </summary>
public class ClosureLineReaderTests
{
    public static TheoryData<string> Assemblies() => new(TypeReferenceCorpus.Names);

    [Theory]
    [MemberData(nameof(Assemblies))]
    public void StatementsAreWhatReadingTheTextBackGave(string name)
    {
        using var input = AssemblyInput.Load(TypeReferenceCorpus.PathOf(name));
        var locator = new SourceLocator(input);
        var renderer = new ClosureRenderer(input.Module);
        int compared = 0;
        foreach (var method in input.Module.GetTypes().SelectMany(t => t.Methods).Where(m => m.HasBody))
        {
            var closure = renderer.Render(method, keepOrigins: true);
            var expected = OracleStatements(closure, locator).ToList();
            var actual = new List<(int, string)>();
            var reader = new ClosureLineReader(closure, locator);
            while (reader.MoveNext())
                actual.Add((reader.Index, reader.Current.ToString()));
            var exact = new List<string>();
            var exactReader = new ClosureLineReader(closure, null);
            while (exactReader.MoveNext())
                exact.Add(exactReader.Current.ToString());

            // A literal with "->" and a digit is the one place the old reading masked what is no branch target.
            if (!expected.Any(e => e.Text.Contains("\"", StringComparison.Ordinal) && e.Text.Contains("->", StringComparison.Ordinal)))
                Assert.Equal(expected, actual);
            Assert.Equal(Enumerable.Range(0, closure.Text!.Count).Select(i => closure.Text[i].ToString()), exact);
            compared += actual.Count;
        }
        Assert.True(compared > 0);
    }

    /// <summary>The statements as MethodComparer read them from the text before the text's structure was recorded.</summary>
    private static IEnumerable<(int Index, string Text)> OracleStatements(RenderedClosure closure, SourceLocator locator)
    {
        for (int index = 0; index < closure.Text!.Count; index++)
        {
            var line = closure.Text[index].ToString();
            if (line.StartsWith(".locals", StringComparison.Ordinal) || line.StartsWith(".field ", StringComparison.Ordinal) || line.StartsWith(".type ", StringComparison.Ordinal))
                continue;
            if (line.StartsWith(".try ", StringComparison.Ordinal))
            {
                var words = line[5..].Split(' ').Where(w => !w.Contains('-') && !(w.Length > 0 && w.All(char.IsAsciiDigit)));
                yield return (index, ".try " + string.Join(" ", words));
                continue;
            }
            var (method, instruction) = closure.Origins![index];
            if (instruction != null && locator.IsHidden(method, instruction))
                continue;
            int start = 0;
            while (start < line.Length && char.IsAsciiDigit(line[start]))
                start++;
            start = start > 0 && start < line.Length && line[start] == ' ' ? start + 1 : 0;
            var masked = System.Text.RegularExpressions.Regex.Replace(line[start..], @"->(\d+|\[[\d,]*\])", "->?");
            yield return (index, masked);
        }
    }
}
