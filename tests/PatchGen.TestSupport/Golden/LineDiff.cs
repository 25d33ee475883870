using System.Globalization;
using System.Text;

namespace PatchGen.TestSupport.Golden;

/// <summary>
/// A unified diff (the <c>diff -u</c> / <c>git diff</c> format) of two texts, line by line, cut after
/// the first few hunks: a failing golden test shows where the output starts to differ, and the
/// update path (testdata/golden/README.md) shows the rest in <c>git diff</c>.
/// </summary>
public static class LineDiff
{
    private const int Context = 3;

    public static string Unified(string expected, string actual, string expectedName, string actualName, int maxHunks = 3)
    {
        var script = EditScript(expected.Split('\n'), actual.Split('\n'));
        var hunks = Hunks(script);
        var text = new StringBuilder();
        text.Append("--- ").Append(expectedName).Append('\n').Append("+++ ").Append(actualName).Append('\n');
        foreach (var (start, end) in hunks.Take(maxHunks))
        {
            var lines = script.GetRange(start, end - start);
            int oldStart = lines[0].OldLine, newStart = lines[0].NewLine;
            int oldCount = lines.Count(l => l.Kind != '+'), newCount = lines.Count(l => l.Kind != '-');
            text.Append(string.Create(CultureInfo.InvariantCulture, $"@@ -{oldStart + 1},{oldCount} +{newStart + 1},{newCount} @@\n"));
            foreach (var line in lines)
                text.Append(line.Kind).Append(line.Text).Append('\n');
        }
        if (hunks.Count > maxHunks)
            text.Append(string.Create(CultureInfo.InvariantCulture, $"... and {hunks.Count - maxHunks} more differing hunk(s)\n"));
        return text.ToString();
    }

    /// <summary>One line of the edit script: ' ' kept, '-' only in the expected text, '+' only in the actual one; with the 0-based line numbers reached in each.</summary>
    private readonly record struct Line(char Kind, string Text, int OldLine, int NewLine);

    /// <summary>The shortest edit script, from a longest common subsequence (golden files are small enough for the quadratic table).</summary>
    private static List<Line> EditScript(string[] a, string[] b)
    {
        var common = new int[a.Length + 1, b.Length + 1];
        for (int i = a.Length - 1; i >= 0; i--)
        {
            for (int j = b.Length - 1; j >= 0; j--)
                common[i, j] = a[i] == b[j] ? common[i + 1, j + 1] + 1 : Math.Max(common[i + 1, j], common[i, j + 1]);
        }
        var script = new List<Line>(a.Length + b.Length);
        int x = 0, y = 0;
        while (x < a.Length || y < b.Length)
        {
            if (x < a.Length && y < b.Length && a[x] == b[y])
                script.Add(new Line(' ', a[x++], x - 1, y++));
            else if (y == b.Length || (x < a.Length && common[x + 1, y] >= common[x, y + 1]))
                script.Add(new Line('-', a[x++], x - 1, y));
            else
                script.Add(new Line('+', b[y++], x, y - 1));
        }
        return script;
    }

    /// <summary>Ranges of the script around changes, with <see cref="Context"/> kept lines on each side; ranges that touch are merged.</summary>
    private static List<(int Start, int End)> Hunks(List<Line> script)
    {
        var hunks = new List<(int Start, int End)>();
        for (int i = 0; i < script.Count; i++)
        {
            if (script[i].Kind == ' ')
                continue;
            int start = Math.Max(0, i - Context), end = Math.Min(script.Count, i + 1 + Context);
            if (hunks.Count > 0 && start <= hunks[^1].End)
                hunks[^1] = (hunks[^1].Start, end);
            else
                hunks.Add((start, end));
        }
        return hunks;
    }
}
