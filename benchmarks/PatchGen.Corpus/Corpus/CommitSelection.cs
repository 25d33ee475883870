using System.Text.RegularExpressions;

namespace PatchGen.Corpus.Corpus;

/// <summary>
/// The mechanical rule that picks a library's bug-fix commits (docs/benchmarks.md, "Real bug-fix commits"): walking
/// back from the pinned tip, every non-merge commit whose message matches <see cref="FixMessage"/>, whose change to
/// the library project's folder (compared with its first parent) touches at least one <c>.cs</c> file and nothing
/// else (no project file, resource or generated-data change); changes outside that folder (tests, docs) are
/// allowed and not built. The newest <c>perLibrary</c> such commits are taken. Whether both builds succeed is
/// decided later and counted apart.
/// </summary>
internal static partial class CommitSelection
{
    [GeneratedRegex(@"\b(fix|fixes|fixed|bug|issue)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    public static partial Regex FixMessage();

    public static IReadOnlyList<CorpusCommit> Select(CorpusLibrary library, GitMirror git, int perLibrary)
    {
        // Records end with RS, fields end with US: messages hold newlines and tabs.
        var log = git.Git("log", "--no-merges", "--date=short", "--format=%H%x1f%P%x1f%ad%x1f%s%x1f%B%x1e", library.Tip, "--", library.ProjectDirectory);
        var selected = new List<CorpusCommit>();
        foreach (var record in log.Split('\u001e', StringSplitOptions.RemoveEmptyEntries))
        {
            var fields = record.TrimStart('\n').Split('\u001f');
            if (fields.Length < 5 || !FixMessage().IsMatch(fields[4]))
                continue;
            var parents = fields[1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parents.Length != 1)
                continue;
            var touched = git.Git("diff-tree", "--no-commit-id", "--name-only", "-r", parents[0], fields[0], "--", library.ProjectDirectory)
                .Split('\n', StringSplitOptions.RemoveEmptyEntries);
            if (!IsSourceOnly(touched))
                continue;
            selected.Add(new CorpusCommit(library, fields[0], parents[0], fields[2], fields[3]));
            if (selected.Count == perLibrary)
                break;
        }
        return selected;
    }

    /// <summary>At least one C# file and nothing else.</summary>
    public static bool IsSourceOnly(IReadOnlyCollection<string> touchedInProject)
        => touchedInProject.Count > 0 && touchedInProject.All(p => p.EndsWith(".cs", StringComparison.OrdinalIgnoreCase));
}
