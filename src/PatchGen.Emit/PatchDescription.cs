namespace PatchGen.Emit;

/// <summary>One method a patch replaces; <paramref name="Assembly"/> names its base in a patch of several bases (null in a patch of one).</summary>
internal sealed record PatchReplacement(string DocumentationId, int Site, string Replacement, string? Assembly = null);

/// <summary>One base a patch is bound to: its simple name and MVID, as recorded.</summary>
internal sealed record PatchBaseBinding(string Name, string Mvid);

/// <summary>Whether and how a patch is signed (strong-name signature over the whole file).</summary>
internal sealed record PatchSignature(bool Signed, string? PublicKeyToken, bool? Valid, string? Problem);

/// <summary>What <c>patchgen inspect</c> shows: a patch's metadata, read without loading it.</summary>
internal sealed record PatchDescription(
    string Path,
    string AssemblyName,
    Guid Mvid,
    string Id,
    string TargetAssembly,
    string BaseMvid,
    bool Cumulative,
    IReadOnlyList<(int Id, int Version)> SystemStates,
    IReadOnlyList<PatchReplacement> Replaces,
    IReadOnlyList<(string Kind, string Method)> Callbacks,
    IReadOnlyList<string> ShippedTypes,
    PatchSignature Signature)
{
    /// <summary>Every base, the <c>[Patch]</c> target first; one for a patch of one base.</summary>
    public IReadOnlyList<PatchBaseBinding> Bases { get; init; } = [new PatchBaseBinding(TargetAssembly, BaseMvid)];

    /// <summary>The patch format (docs/patch-format.md): 1 for one base, 2 for several.</summary>
    public int FormatVersion { get; init; } = PatchGen.Diagnostics.PatchFormat.SingleBase;
}
