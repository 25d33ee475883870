using System.Diagnostics;
using PatchGen.Corpus.Corpus;

namespace PatchGen.Corpus.Run;

/// <summary>Evaluates every selected commit, one at a time (one build at a time on a shared machine), and reports.</summary>
internal static class CorpusRun
{
    public static int Run(CorpusOptions options, IReadOnlyList<CorpusCommit> commits, IReadOnlyDictionary<string, LibraryBuild> builders, TextWriter output)
    {
        var clock = Stopwatch.StartNew();
        var patchgen = PatchgenCli.Locate(options.PatchgenDll);
        output.WriteLine($"patchgen: {patchgen.Dll} (instrumenter {patchgen.InstrumenterFingerprint})");
        var results = new List<CommitResult>();
        var file = options.ReportFile ?? Path.Combine(options.WorkDirectory, "report.md");
        // Round robin over the libraries, the report rewritten after each commit: a run stopped early still
        // reports every library, on what it did.
        foreach (var commit in RoundRobin(commits))
        {
            var result = CommitEvaluation.Evaluate(commit, builders[commit.Library.Name], patchgen, options.WorkDirectory);
            results.Add(result);
            output.WriteLine($"{commit.Library.Name} {commit.ShortSha}: " + string.Join("; ", result.ByModel.Select(m => m.Key + " " + m.Value.Summary)));
            File.WriteAllText(file, CorpusReport.Write(results, clock.Elapsed));
        }
        var report = CorpusReport.Write(results, clock.Elapsed);
        File.WriteAllText(file, report);
        output.WriteLine();
        output.Write(report);
        output.WriteLine($"(report written to {file})");
        // A false acceptance is the finding this harness exists for: make it fail loudly.
        return results.Any(r => r.ByModel.Values.Any(m => m.FalseAcceptances.Count > 0)) ? 1 : 0;
    }

    private static IEnumerable<CorpusCommit> RoundRobin(IReadOnlyList<CorpusCommit> commits)
        => commits.Select((c, i) => (Commit: c, Rank: commits.Take(i).Count(o => o.Library == c.Library)))
            .OrderBy(x => x.Rank).Select(x => x.Commit);
}
