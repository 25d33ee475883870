using PatchGen.Diagnostics;
using PatchGen.Diff;

namespace PatchGen.Emit;

/// <summary>
/// The outcome of a patch build: the diff it rests on, every diagnostic (the diff's, plus the
/// emitter's), and, when the exit code is 0, where the patch was written and what it replaces.
/// </summary>
internal sealed record PatchBuildResult(
    DiffResult Diff,
    IReadOnlyList<PatchDiagnostic> Diagnostics,
    string? OutputPath,
    string PatchId,
    IReadOnlyList<(string DocumentationId, int Site)> Replaced,
    TimeSpan Duration)
{
    public bool HasErrors => Diagnostics.Any(d => d.Severity == PatchGen.Diagnostics.DiagnosticSeverity.Error);

    /// <summary>The exit code of docs/cli.md: 0 written, 1 not patchable, 3 nothing to patch.</summary>
    public int ExitCode => HasErrors ? 1 : OutputPath is null ? 3 : 0;
}
