namespace PatchGen.Emit;

/// <summary>One method a patch replaces.</summary>
internal sealed record PatchReplacement(string DocumentationId, int Site, string Replacement);

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
    PatchSignature Signature);
