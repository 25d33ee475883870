using PatchGen.Corpus.Check;

namespace PatchGen.Corpus.Run;

/// <summary>
/// One commit under one model: the verdict, the error IDs of a rejection, the changes of an accepted fix that the
/// independent check found unaccounted for (false acceptances), and a note (a tool error's first line, a diff/build
/// disagreement).
/// </summary>
internal sealed record ModelResult(Verdict Verdict, IReadOnlyList<string> RejectionIds, IReadOnlyList<ListingChange> FalseAcceptances, string? Note)
{
    public IReadOnlyList<DiffDiagnostic> Diagnostics { get; init; } = [];

    /// <summary>Every change of the independent listing between v1 and v2 (empty when they did not build).</summary>
    public IReadOnlyList<ListingChange> ListingChanges { get; init; } = [];

    public string Summary => Verdict switch
    {
        Verdict.Patchable when FalseAcceptances.Count > 0 => "FALSE ACCEPTANCE",
        Verdict.Rejected => "rejected " + string.Join(",", RejectionIds),
        Verdict.NoChange => "no change",
        Verdict.BuildFailed => "build failed",
        Verdict.ToolError => "tool error",
        _ => "patchable",
    } + (Note is null ? "" : " (" + Note + ")");
}
