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
        foreach (var commit in commits)
        {
            var result = CommitEvaluation.Evaluate(commit, builders[commit.Library.Name], patchgen, options.WorkDirectory);
            results.Add(result);
            output.WriteLine($"{commit.Library.Name} {commit.ShortSha}: " + string.Join("; ", result.ByModel.Select(m => m.Key + " " + m.Value.Summary)));
        }
        var report = CorpusReport.Write(results, clock.Elapsed);
        var file = options.ReportFile ?? Path.Combine(options.WorkDirectory, "report.md");
        File.WriteAllText(file, report);
        output.WriteLine();
        output.Write(report);
        output.WriteLine($"(report written to {file})");
        // A false acceptance is the finding this harness exists for: make it fail loudly.
        return results.Any(r => r.ByModel.Values.Any(m => m.FalseAcceptances.Count > 0)) ? 1 : 0;
    }
}
