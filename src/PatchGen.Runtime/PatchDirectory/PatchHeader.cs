namespace PatchGen.Runtime.PatchDirectory;

/// <summary>
/// What a patch file says about itself, read from its metadata without loading it: enough to decide
/// whether it applies to this process (target and build), in which stack (its target), and how it
/// interacts with the patches beside it (cumulative or not, which methods it replaces).
/// </summary>
/// <param name="Id">The <c>[Patch]</c> ID.</param>
/// <param name="TargetAssembly">The simple name of the assembly it patches.</param>
/// <param name="BaseModuleVersionId">The MVID of the build it was made for, as recorded (a GUID, unless the file is bad).</param>
/// <param name="Cumulative">Whether enabling it atomically replaces the patches of its target.</param>
/// <param name="Replaces">Documentation IDs of the methods it replaces.</param>
internal sealed record PatchHeader(string Id, string TargetAssembly, string BaseModuleVersionId, bool Cumulative, IReadOnlySet<string> Replaces)
{
    /// <summary>The further bases of a patch of several assemblies (name, recorded MVID); empty for a patch of one.</summary>
    public IReadOnlyList<(string Name, string Mvid)> MoreBases { get; init; } = [];

    /// <summary>Every base: the target, then <see cref="MoreBases"/>.</summary>
    public IEnumerable<(string Name, string Mvid)> Bases => MoreBases.Prepend((TargetAssembly, BaseModuleVersionId));

    /// <summary>Whether two patches of the same target replace a method in common: only then does their order matter.</summary>
    public bool Overlaps(PatchHeader other) => Replaces.Overlaps(other.Replaces);
}
