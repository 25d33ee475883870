using PatchGen.Corpus;
using PatchGen.Corpus.Corpus;
using PatchGen.Corpus.Run;

// Real bug-fix commits (issue 12, docs/benchmarks.md "Real bug-fix commits"): selects commits by a fixed rule,
// builds each and its parent, runs patchgen diff and build under both models, checks every accepted fix against an
// independent metadata listing, and prints the counts per model.
CorpusOptions options;
try
{
    options = CorpusOptions.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine("usage: PatchGen.Corpus [--prepare] [--only markdig,scriban,yamldotnet] [--per-library N] [--work DIR] [--mirror DIR] [--patchgen patchgen.dll] [--report FILE]");
    Console.Error.WriteLine(e.Message);
    return 2;
}

Directory.CreateDirectory(options.WorkDirectory);
var commits = new List<CorpusCommit>();
var builders = new Dictionary<string, LibraryBuild>();
foreach (var library in CorpusLibrary.All.Where(l => options.Includes(l.Name)))
{
    var git = GitMirror.Open(library, options.MirrorDirectory, options.WorkDirectory);
    var selected = CommitSelection.Select(library, git, options.PerLibrary);
    Console.WriteLine($"{library.Name}: {selected.Count} commits selected back from {library.Tip[..10]} ({selected.LastOrDefault()?.Date} .. {selected.FirstOrDefault()?.Date})");
    commits.AddRange(selected);
    builders[library.Name] = new LibraryBuild(git, options.WorkDirectory);
}

if (options.PrepareOnly)
{
    foreach (var commit in commits)
    {
        var builder = builders[commit.Library.Name];
        var v1 = builder.Build(commit.Library, commit.Parent);
        var v2 = builder.Build(commit.Library, commit.Sha);
        Console.WriteLine($"{commit.Library.Name} {commit.ShortSha}: v1 {(v1.Succeeded ? "ok" : "FAILED")}, v2 {(v2.Succeeded ? "ok" : "FAILED")}");
    }
    return 0;
}

return CorpusRun.Run(options, commits, builders, Console.Out);
