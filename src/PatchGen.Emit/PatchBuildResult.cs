using PatchGen.Diagnostics;
using PatchGen.Diff;

namespace PatchGen.Emit;

/// <summary>
/// The outcome of a patch build: the diffs it rests on (one per base, the first one first), every
/// diagnostic (the diffs', plus the emitter's), and, when the exit code is 0, where the patch was written
/// and what it replaces in each base.
/// </summary>
internal sealed record PatchBuildResult(
    IReadOnlyList<DiffResult> Diffs,
    IReadOnlyList<PatchDiagnostic> Diagnostics,
    string? OutputPath,
    string PatchId,
    IReadOnlyList<PatchedBase> Bases,
    TimeSpan Duration)
{
    /// <summary>The diff of the first (or only) base.</summary>
    public DiffResult Diff => Diffs[0];

    /// <summary>Every method the patch replaces, base after base.</summary>
    public IReadOnlyList<(string DocumentationId, int Site)> Replaced => Bases.SelectMany(b => b.Replaced).ToList();

    public bool HasErrors => Diagnostics.Any(d => d.Severity == PatchGen.Diagnostics.DiagnosticSeverity.Error);

    /// <summary>The exit code of docs/cli.md: 0 written, 1 not patchable, 3 nothing to patch.</summary>
    public int ExitCode => HasErrors ? 1 : OutputPath is null ? 3 : 0;
}
