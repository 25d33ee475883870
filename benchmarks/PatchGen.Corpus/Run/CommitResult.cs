using PatchGen.Corpus.Corpus;

namespace PatchGen.Corpus.Run;

/// <summary>A commit's results under each model, by model name.</summary>
internal sealed record CommitResult(CorpusCommit Commit, IReadOnlyDictionary<string, ModelResult> ByModel);
