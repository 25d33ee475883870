using System.Globalization;
using System.Text;

namespace PatchGen.Corpus.Run;

/// <summary>
/// The Markdown report: per model and library the counts (patchable, rejected, no change, build failed, tool
/// error), the rate, the false acceptances, the rejections by PG ID, and every commit's verdicts.
/// The rate is patchable and confirmed by the check over the commits that built and changed a body
/// (patchable + rejected + tool errors).
/// </summary>
internal static class CorpusReport
{
    public static string Write(IReadOnlyList<CommitResult> results, TimeSpan elapsed)
    {
        var text = new StringBuilder();
        var libraries = results.Select(r => r.Commit.Library.Name).Distinct().ToList();
        text.AppendLine(Invariant($"Commits: {results.Count}; run took {elapsed.TotalMinutes:0.0} min."));
        text.AppendLine();
        text.AppendLine("| model | library | commits | build failed | no change | patchable | rejected | tool error | false acceptances | rate |");
        text.AppendLine("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var model in CommitEvaluation.Models)
        {
            foreach (var library in libraries.Append("all"))
            {
                var rows = results.Where(r => library == "all" || r.Commit.Library.Name == library).Select(r => r.ByModel[model]).ToList();
                int Count(Verdict v) => rows.Count(r => r.Verdict == v);
                int falseAcceptances = rows.Count(r => r.FalseAcceptances.Count > 0);
                int patchable = Count(Verdict.Patchable);
                int eligible = patchable + Count(Verdict.Rejected) + Count(Verdict.ToolError);
                var rate = eligible == 0 ? "-" : Invariant($"{patchable - falseAcceptances} / {eligible} = {100.0 * (patchable - falseAcceptances) / eligible:0.0} %");
                var name = library == "all" ? "**all**" : library;
                text.AppendLine(Invariant($"| {model} | {name} | {rows.Count} | {Count(Verdict.BuildFailed)} | {Count(Verdict.NoChange)} | {patchable} | {Count(Verdict.Rejected)} | {Count(Verdict.ToolError)} | {falseAcceptances} | {rate} |"));
            }
        }
        text.AppendLine();
        text.AppendLine("Rejections by ID (commits whose report has that error; a commit may have several):");
        text.AppendLine();
        if (AllIds(results).Count == 0)
            text.AppendLine("(no rejection)");
        else
            WriteRejections(results, text);
        text.AppendLine();
        WriteListingAgreement(results, text);
        text.AppendLine();
        var findings = results.SelectMany(r => r.ByModel.Where(m => m.Value.FalseAcceptances.Count > 0).Select(m => (r, m.Key, m.Value))).ToList();
        text.AppendLine(findings.Count == 0 ? "False acceptances: none." : "False acceptances:");
        foreach (var (r, model, m) in findings)
        {
            foreach (var change in m.FalseAcceptances)
            {
                var said = m.Diagnostics.Where(d => d.Member is not null && change.IsNamedBy(d.Member)).Select(d => $"{d.Id} {d.Severity} on {d.Member}").ToList();
                text.AppendLine($"- {r.Commit.Library.Name} {r.Commit.ShortSha} ({model}): {change}; the engine said: {(said.Count == 0 ? "nothing about it" : string.Join("; ", said))}");
            }
        }
        text.AppendLine();
        text.AppendLine("| library | commit | date | subject | " + string.Join(" | ", CommitEvaluation.Models) + " |");
        text.AppendLine("|---|---|---|---|" + string.Concat(CommitEvaluation.Models.Select(_ => "---|")));
        foreach (var r in results)
        {
            var subject = r.Commit.Subject.Replace("|", "/", StringComparison.Ordinal);
            if (subject.Length > 60)
                subject = subject[..57] + "...";
            text.AppendLine($"| {r.Commit.Library.Name} | `{r.Commit.ShortSha}` | {r.Commit.Date} | {subject} | " + string.Join(" | ", CommitEvaluation.Models.Select(m => r.ByModel[m].Summary.Replace("|", "/", StringComparison.Ordinal))) + " |");
        }
        return text.ToString();
    }

    private static void WriteRejections(IReadOnlyList<CommitResult> results, StringBuilder text)
    {
        text.AppendLine("| model | " + string.Join(" | ", AllIds(results)) + " |");
        text.AppendLine("|---|" + string.Concat(AllIds(results).Select(_ => "---:|")));
        foreach (var model in CommitEvaluation.Models)
        {
            var rejected = results.Select(r => r.ByModel[model]).Where(m => m.Verdict == Verdict.Rejected).ToList();
            text.AppendLine($"| {model} | " + string.Join(" | ", AllIds(results).Select(id => rejected.Count(r => r.RejectionIds.Contains(id)).ToString(CultureInfo.InvariantCulture))) + " |");
        }
    }

    /// <summary>
    /// How the independent listing sees the rejected commits: a rejection for a field, signature, constant or static
    /// constructor rule should show a listed change; one that shows none is named (another rule, or a blind spot).
    /// </summary>
    private static void WriteListingAgreement(IReadOnlyList<CommitResult> results, StringBuilder text)
    {
        var listed = new HashSet<string>(StringComparer.Ordinal) { "PG1001", "PG2001", "PG2002", "PG2003", "PG2004", "PG2005" };
        var rejected = results.Where(r => r.ByModel["simple"].Verdict == Verdict.Rejected).ToList();
        var expectingChange = rejected.Where(r => r.ByModel["simple"].RejectionIds.Any(listed.Contains)).ToList();
        var seen = expectingChange.Count(r => r.ByModel["simple"].ListingChanges.Count > 0);
        text.AppendLine(Invariant($"Independent listing on rejected commits (simple model): {seen} of {expectingChange.Count} rejected with a field, signature, constant or static-constructor ID ({string.Join(", ", listed)}) show a listed change."));
        foreach (var r in expectingChange.Where(r => r.ByModel["simple"].ListingChanges.Count == 0))
            text.AppendLine($"- listing sees no change: {r.Commit.Library.Name} {r.Commit.ShortSha} ({string.Join(",", r.ByModel["simple"].RejectionIds)})");
    }

    private static List<string> AllIds(IReadOnlyList<CommitResult> results)
        => results.SelectMany(r => r.ByModel.Values).SelectMany(m => m.RejectionIds).Distinct().Order(StringComparer.Ordinal).ToList();

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
