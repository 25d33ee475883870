namespace PatchGen.Runtime.PatchDirectory;

/// <summary>
/// A patch file of the folder read whole: the bytes that will be enabled are the bytes whose header was
/// read and whose writers were checked (never read again from the path, which may change meanwhile).
/// </summary>
internal sealed record PatchFile(PatchIdentity Identity, string Path, byte[] Image, PatchHeader Header)
{
    public string Name => Identity.Name;
}
