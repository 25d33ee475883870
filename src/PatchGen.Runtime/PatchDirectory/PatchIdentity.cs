namespace PatchGen.Runtime.PatchDirectory;

/// <summary>
/// One content of one file name: the unit the directory applies, replaces and remembers failures of.
/// The same bytes under another name are another patch file (the name decides the order); new bytes
/// under the same name are a replacement.
/// </summary>
/// <param name="Name">The file name in the folder (the visible name, not a link's target).</param>
/// <param name="Sha256">The SHA-256 of the content, lowercase hex.</param>
internal readonly record struct PatchIdentity(string Name, string Sha256)
{
    public override string ToString() => Name + " (" + Sha256[..12] + ")";
}
