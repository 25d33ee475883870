namespace PatchGen.Instrumentation;

/// <summary>What one instrumentation did: its output and how many sites of each kind it added.</summary>
internal sealed record InstrumentResult(
    string OutputPath,
    int SiteCount,
    int TrackedCount,
    int LeafCount,
    int DelegateCount,
    IReadOnlyList<SkippedMethod> Skipped,
    bool SymbolsWritten,
    TimeSpan Duration)
{
    /// <summary>The one-line summary the CLI prints.</summary>
    public string Summary(string name)
        => $"{name}: {SiteCount} patch sites ({TrackedCount} tracked, {LeafCount} leaf), {Skipped.Count} methods skipped"
            + (SymbolsWritten ? "" : ", no symbols");
}
