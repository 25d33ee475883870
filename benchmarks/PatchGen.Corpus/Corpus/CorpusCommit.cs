namespace PatchGen.Corpus.Corpus;

/// <summary>A selected bug-fix commit (v2) and its parent (v1).</summary>
internal sealed record CorpusCommit(CorpusLibrary Library, string Sha, string Parent, string Date, string Subject)
{
    public string ShortSha => Sha[..10];
}
