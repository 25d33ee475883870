using PatchGen.Diagnostics;

namespace PatchGen.Diff;

/// <summary>One side of a comparison, as reported.</summary>
public sealed record AssemblySummary(string Path, string Name, Guid Mvid, bool? HasPatchSites);

/// <summary>
/// The verdict on two builds: every change by member, every diagnostic, and whether the change can
/// be live-patched under the model it was judged under. Sorted and free of machine-specific data, so that the
/// same inputs give the same report byte for byte.
/// </summary>
public sealed class DiffResult
{
    internal DiffResult(AssemblySummary @base, AssemblySummary @new, IReadOnlyList<MemberChange> changes, IReadOnlyList<PatchDiagnostic> diagnostics, IReadOnlyList<LambdaReplacement>? lambdas = null, PatchModel model = PatchModel.Simple)
    {
        Lambdas = lambdas ?? [];
        Model = model;
        Base = @base;
        New = @new;
        Changes = changes;
        Diagnostics = diagnostics;
    }

    /// <summary>The model the changes were judged under (docs/diff-rules.md#models).</summary>
    public PatchModel Model { get; }

    public AssemblySummary Base { get; }

    public AssemblySummary New { get; }

    /// <summary>Changes sorted by member, then kind.</summary>
    public IReadOnlyList<MemberChange> Changes { get; }

    /// <summary>Lambdas and local functions replaced in place, sorted by owner, then line.</summary>
    public IReadOnlyList<LambdaReplacement> Lambdas { get; }

    /// <summary>Diagnostics sorted by member, then ID.</summary>
    public IReadOnlyList<PatchDiagnostic> Diagnostics { get; }

    /// <summary>At least one method body changed, and no diagnostic is an error.</summary>
    public bool IsPatchable => HasBodyChanges && !HasErrors;

    public bool HasBodyChanges => Changes.Any(c => c.Kind == ChangeKind.BodyChanged);

    public bool HasErrors => Diagnostics.Any(d => d.Severity == PatchGen.Diagnostics.DiagnosticSeverity.Error);

    /// <summary>The exit code of docs/cli.md: 0 patchable, 1 not patchable, 3 nothing to patch.</summary>
    public int ExitCode => HasErrors ? 1 : HasBodyChanges ? 0 : 3;
}
