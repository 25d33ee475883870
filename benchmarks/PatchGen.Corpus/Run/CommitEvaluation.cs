using System.Text.RegularExpressions;
using PatchGen.Corpus.Check;
using PatchGen.Corpus.Corpus;

namespace PatchGen.Corpus.Run;

/// <summary>
/// One commit: both builds, the instrumented base, then per model <c>patchgen diff --json</c> and <c>patchgen
/// build</c>, classified, and every accepted fix checked against the independent listings of v1 and v2.
/// </summary>
internal static partial class CommitEvaluation
{
    /// <summary>The models, in the order they run: the extended check reads the simple model's report.</summary>
    public static readonly IReadOnlyList<string> Models = ["simple", "extended"];

    [GeneratedRegex(@"\b(PG\d{4})\b")]
    private static partial Regex PgId();

    public static CommitResult Evaluate(CorpusCommit commit, LibraryBuild builder, PatchgenCli patchgen, string workRoot)
    {
        var v1 = builder.Build(commit.Library, commit.Parent);
        var v2 = builder.Build(commit.Library, commit.Sha);
        if (!v1.Succeeded || !v2.Succeeded)
        {
            var which = !v1.Succeeded && !v2.Succeeded ? "v1 and v2" : !v1.Succeeded ? "v1" : "v2";
            return All(new ModelResult(Verdict.BuildFailed, [], [], which + ", log: " + Path.GetRelativePath(workRoot, !v1.Succeeded ? v1.LogPath : v2.LogPath)));
        }
        var (instrumented, instrumentOutput) = patchgen.Instrument(v1.AssemblyPath, workRoot, commit.Library.Name, commit.Parent);
        if (instrumented is null)
            return All(new ModelResult(Verdict.ToolError, [], [], "instrument: " + FirstLine(instrumentOutput)));

        // Read for every pair, not only accepted ones: the report also says how often the listing sees what a
        // rejection names, which shows the check is not blind on real builds.
        var listingChanges = ListingComparison.Compare(MetadataListing.Read(v1.AssemblyPath), MetadataListing.Read(v2.AssemblyPath));
        var results = new Dictionary<string, ModelResult>();
        IReadOnlyList<DiffDiagnostic> simpleDiagnostics = [];
        foreach (var model in Models)
        {
            var key = Path.Combine(commit.Library.Name, commit.Sha);
            var diff = patchgen.Diff(workRoot, key, instrumented, v2.AssemblyPath, model);
            var build = patchgen.Build(workRoot, key, instrumented, v2.AssemblyPath, model);
            var errors = diff.Diagnostics.Where(d => d.Severity == "error").Select(d => d.Id).Distinct().Order(StringComparer.Ordinal).ToList();
            string? note = diff.ExitCode == build.ExitCode ? null : $"diff exit {diff.ExitCode}, build exit {build.ExitCode}";
            ModelResult result;
            switch (build.ExitCode)
            {
                case 0:
                    var uncovered = AcceptanceCheck.Uncovered(listingChanges, model == "extended",
                        diff.Diagnostics.Select(d => new AcceptanceCheck.ReportedDiagnostic(d.Id, d.Member)).ToHashSet(),
                        simpleDiagnostics.Select(d => new AcceptanceCheck.ReportedDiagnostic(d.Id, d.Member)).ToHashSet());
                    result = new ModelResult(Verdict.Patchable, [], uncovered, note);
                    break;
                case 1:
                    if (errors.Count == 0)
                        errors = PgId().Matches(build.Output).Select(m => m.Groups[1].Value).Distinct().Order(StringComparer.Ordinal).ToList();
                    result = new ModelResult(Verdict.Rejected, errors, [], note);
                    break;
                case 3:
                    result = new ModelResult(Verdict.NoChange, [], [], note);
                    break;
                default:
                    result = new ModelResult(Verdict.ToolError, [], [], $"build exit {build.ExitCode}: {FirstLine(build.Output)}");
                    break;
            }
            results[model] = result with { Diagnostics = diff.Diagnostics, ListingChanges = listingChanges };
            if (model == "simple")
                simpleDiagnostics = diff.Diagnostics;
        }
        return new CommitResult(commit, results);

        CommitResult All(ModelResult r) => new(commit, Models.ToDictionary(m => m, _ => r));
    }

    private static string FirstLine(string text)
        => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault(l => l.Contains("PG", StringComparison.Ordinal))
           ?? text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? "";
}
