using PatchGen.Diagnostics;
using PatchGen.Diff;

namespace PatchGen.Emit;

/// <summary>What to build a patch from and how (the options of <c>patchgen build</c>).</summary>
/// <param name="BasePath">The first (or only) base; it names the patch assembly and its <c>[Patch]</c> target.</param>
internal sealed record PatchBuildOptions(string BasePath, string NewPath, string OutputPath)
{
    /// <summary>Further assemblies of the same application the fix changes: one patch, one transition, bound to every base.</summary>
    public IReadOnlyList<AssemblyPair> MorePairs { get; init; } = [];

    /// <summary>Every base/new pair, the first one first.</summary>
    public IReadOnlyList<AssemblyPair> Pairs => [new AssemblyPair(BasePath, NewPath), .. MorePairs];

    /// <summary>The patch ID; by default the output file's name without extension.</summary>
    public string? PatchId { get; init; }

    /// <summary>A cumulative patch replaces every patch applied before it (livepatch's atomic replace).</summary>
    public bool Cumulative { get; init; }

    /// <summary>A strong-name key pair (.snk) to sign the patch with; the runtime can require trusted signatures (PG0006).</summary>
    public string? KeyFile { get; init; }

    /// <summary>How diagnostics read and name source files (full paths for MSBuild, the compiler's path map).</summary>
    public SourcePathOptions SourcePaths { get; init; } = SourcePathOptions.Default;

    /// <summary>Which changes the diff engine accepts (docs/diff-rules.md#models); the simple model by default.</summary>
    public PatchModel Model { get; init; } = PatchModel.Simple;

    public string EffectivePatchId => string.IsNullOrWhiteSpace(PatchId) ? Path.GetFileNameWithoutExtension(OutputPath) : PatchId;
}
