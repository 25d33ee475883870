namespace PatchGen.Instrumentation;

/// <summary>What one instrumentation did: its output, its sites and stubs, and what got no site.</summary>
internal sealed record InstrumentResult(
    string OutputPath,
    int SiteCount,
    int StubCount,
    int AggressiveInliningCount,
    IReadOnlyList<SkippedMethod> Skipped,
    bool SymbolsWritten,
    TimeSpan Duration)
{
    /// <summary>Inline clones (<see cref="InstrumentOptions.InlineCloneMaxCodeSize"/>): methods cloned, and direct calls retargeted to a clone.</summary>
    public (int Clones, int RetargetedCalls) InlineClones { get; init; }

    /// <summary>Outlined bodies (<see cref="InstrumentOptions.OutlineBodiesOver"/>): methods whose body moved into their clone (counted among <see cref="InlineClones"/>).</summary>
    public int OutlinedBodies { get; init; }

    /// <summary>The one-line summary the CLI prints.</summary>
    public string Summary(string name)
        => $"{name}: {SiteCount} patch sites, {StubCount} dispatch stubs, {Skipped.Count} methods without a site"
            + (InlineClones.Clones - OutlinedBodies > 0 ? $", {InlineClones.Clones - OutlinedBodies} inline clones" : "")
            + (OutlinedBodies > 0 ? $", {OutlinedBodies} outlined bodies" : "")
            + (SymbolsWritten ? "" : ", no symbols");
}
