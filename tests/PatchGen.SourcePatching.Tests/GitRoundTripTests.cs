using System.Diagnostics;
using System.Text;

namespace PatchGen.SourcePatching.Tests;

/// <summary>
/// Exactness against the reference: random trees are edited at random, <c>git diff</c> writes the
/// patch, and applying it must reproduce the edited tree byte for byte, with line ends of every
/// kind, missing final newlines, byte order marks, added and deleted files, and any context size.
/// </summary>
public class GitRoundTripTests
{
    private const int Rounds = 100;

    [Fact]
    public void GitDiffsOfRandomEditsApplyExactly()
    {
        var random = new Random(20251123);
        for (int round = 0; round < Rounds; round++)
        {
            using var tree = new TempTree();
            int context = random.Next(4);
            int files = random.Next(1, 5);
            var shifted = new List<string>();
            for (int f = 0; f < files; f++)
            {
                string name = $"dir{random.Next(3)}/file{f}.cs";
                int shape = random.Next(10);
                string? before = shape == 0 ? null : RandomText(random);        // shape 0: an added file
                string? after = shape == 1 ? null : before is null ? RandomText(random) : Edit(random, before); // shape 1: deleted
                if (before is not null)
                    tree.Write("old/" + name, before);
                if (after is not null)
                    tree.Write("new/" + name, after);
                // Drift lines go above line 1, so a byte order mark would no longer be on line 1.
                if (before is { Length: > 0 } && after is not null && context > 0 && before[0] != '\uFEFF' && !after.StartsWith('\uFEFF'))
                    shifted.Add(name);
            }

            string patch = GitDiff(tree.Root, context);
            if (patch.Length == 0)
                continue;
            var diff = UnifiedDiff.Parse(patch, $"round {round}");

            // As made: the result is the new tree.
            CopyTree(tree.PathOf("old"), tree.PathOf("applied"));
            diff.ApplyTo(tree.PathOf("applied"));
            Assert.True(SameTree(tree.PathOf("new"), tree.PathOf("applied"), out var why), $"round {round} (-U{context}): {why}\n{patch}");

            // With lines added at the top of every edited file: hunks are found at an offset. Only
            // where each hunk's base lines occur once in the file: elsewhere the nearest occurrence
            // wins, which need not be the one the diff meant (patch does the same).
            shifted.RemoveAll(name => !Unambiguous(diff, name, tree.Read("old/" + name)));
            CopyTree(tree.PathOf("old"), tree.PathOf("drifted"));
            CopyTree(tree.PathOf("new"), tree.PathOf("drifted-expected"));
            foreach (var name in shifted)
            {
                Prepend(tree.PathOf("drifted/" + name));
                Prepend(tree.PathOf("drifted-expected/" + name));
            }
            var application = diff.ApplyTo(tree.PathOf("drifted"));
            Assert.True(SameTree(tree.PathOf("drifted-expected"), tree.PathOf("drifted"), out why), $"round {round} drifted (-U{context}): {why}\n{patch}");
            if (diff.Files.Any(f => shifted.Contains(f.Path)))
                Assert.Contains(application.Files, f => f.HunkOffsets.Any(o => o == 3));
        }
    }

    private static bool Unambiguous(UnifiedDiff diff, string name, string text)
    {
        var lines = text.TrimStart('\uFEFF').Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        foreach (var hunk in diff.Files.Where(f => f.Path == name).SelectMany(f => f.Hunks))
        {
            var old = hunk.Lines.Where(l => l.InOld).Select(l => l.Text.TrimStart('\uFEFF')).ToList();
            int occurrences = Enumerable.Range(0, Math.Max(0, lines.Count - old.Count + 1)).Count(i => lines.Skip(i).Take(old.Count).SequenceEqual(old));
            if (old.Count == 0 || occurrences != 1)
                return false;
        }
        return true;
    }

    private static readonly string[] Words = Enumerable.Range(0, 20).Select(i => $"    statement{i}();").ToArray();

    private static string RandomText(Random random)
    {
        int count = random.Next(0, 25);
        string eolStyle = random.Next(4) switch { 0 => "crlf", 1 => "mixed", _ => "lf" };
        var builder = new StringBuilder();
        if (random.Next(8) == 0)
            builder.Append('\uFEFF');
        for (int i = 0; i < count; i++)
        {
            builder.Append(random.Next(6) == 0 ? "" : Words[random.Next(Words.Length)]);
            bool last = i == count - 1;
            if (last && random.Next(4) == 0)
                break; // no newline at end of file
            builder.Append(eolStyle == "crlf" || (eolStyle == "mixed" && random.Next(2) == 0) ? "\r\n" : "\n");
        }
        return builder.ToString();
    }

    /// <summary>A few random insertions, deletions and replacements, keeping the file's own line ends.</summary>
    private static string Edit(Random random, string text)
    {
        var lines = SplitKeepingEnds(text);
        string eol = text.Contains("\r\n", StringComparison.Ordinal) ? "\r\n" : "\n";
        int edits = random.Next(1, 5);
        for (int e = 0; e < edits; e++)
        {
            int at = random.Next(lines.Count + 1);
            switch (random.Next(3))
            {
                case 0:
                    for (int n = random.Next(1, 4); n > 0; n--)
                        lines.Insert(at, "    added" + random.Next(1000) + "();" + eol);
                    break;
                case 1 when at < lines.Count:
                    lines.RemoveRange(at, Math.Min(random.Next(1, 4), lines.Count - at));
                    break;
                default:
                    if (at < lines.Count)
                    {
                        string end = lines[at].EndsWith("\r\n", StringComparison.Ordinal) ? "\r\n" : lines[at].EndsWith('\n') ? "\n" : "";
                        lines[at] = "    changed" + random.Next(1000) + "();" + end;
                    }
                    break;
            }
        }
        // Only the last line may lack a newline, whatever the edits did.
        for (int i = 0; i < lines.Count - 1; i++)
        {
            if (!lines[i].EndsWith('\n'))
                lines[i] += eol;
        }
        if (lines.Count > 0 && random.Next(5) == 0)
            lines[^1] = lines[^1].EndsWith('\n') ? lines[^1].TrimEnd('\n').TrimEnd('\r') : lines[^1] + eol;
        return string.Concat(lines);
    }

    private static List<string> SplitKeepingEnds(string text)
    {
        var lines = new List<string>();
        int start = 0;
        while (start < text.Length)
        {
            int end = text.IndexOf('\n', start);
            if (end < 0)
            {
                lines.Add(text[start..]);
                break;
            }
            lines.Add(text[start..(end + 1)]);
            start = end + 1;
        }
        return lines;
    }

    private static void Prepend(string path)
    {
        var prefix = Encoding.UTF8.GetBytes("// drift 1\n// drift 2\n// drift 3\n");
        File.WriteAllBytes(path, prefix.Concat(File.ReadAllBytes(path)).ToArray());
    }

    private static string GitDiff(string root, int context)
    {
        var start = new ProcessStartInfo("git")
        {
            WorkingDirectory = root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = new UTF8Encoding(false),
        };
        foreach (var argument in new[] { "-c", "core.quotepath=off", "diff", "--no-index", "--no-prefix", "--no-color", "--no-ext-diff", "--no-renames", $"-U{context}", "old", "new" })
            start.ArgumentList.Add(argument);
        foreach (var name in new[] { "GIT_DIR", "GIT_WORK_TREE", "GIT_CONFIG_GLOBAL", "GIT_EXTERNAL_DIFF" })
            start.Environment.Remove(name);
        start.Environment["GIT_CONFIG_NOSYSTEM"] = "1";
        using var git = Process.Start(start) ?? throw new InvalidOperationException("cannot start git");
        var errors = git.StandardError.ReadToEndAsync();
        string output = git.StandardOutput.ReadToEnd();
        git.WaitForExit();
        // git diff --no-index exits 1 when the trees differ, 0 when they do not.
        Assert.True(git.ExitCode is 0 or 1, "git diff failed: " + errors.Result);
        return output;
    }

    private static void CopyTree(string from, string to)
    {
        Directory.CreateDirectory(to);
        if (!Directory.Exists(from))
            return;
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    private static bool SameTree(string expected, string actual, out string why)
    {
        var want = Files(expected);
        var got = Files(actual);
        foreach (var (name, bytes) in want)
        {
            if (!got.TryGetValue(name, out var other))
            {
                why = name + " is missing";
                return false;
            }
            if (!bytes.AsSpan().SequenceEqual(other))
            {
                why = $"{name} differs:\n--- expected\n{Show(bytes)}\n--- actual\n{Show(other)}";
                return false;
            }
        }
        var extra = got.Keys.Except(want.Keys).ToList();
        why = extra.Count > 0 ? "unexpected " + string.Join(", ", extra) : "";
        return extra.Count == 0;
    }

    private static Dictionary<string, byte[]> Files(string root)
        => Directory.Exists(root)
            ? Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories).ToDictionary(f => Path.GetRelativePath(root, f).Replace('\\', '/'), File.ReadAllBytes)
            : new Dictionary<string, byte[]>();

    private static string Show(byte[] bytes) => Encoding.UTF8.GetString(bytes).Replace("\r", "\\r").Replace("\uFEFF", "<BOM>");
}
