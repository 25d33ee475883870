namespace PatchGen.Runtime.PatchDirectory;

/// <summary>
/// The folder as one scan saw it: its patch files in apply order, whole and checked, and the names that
/// could not be used. <see cref="Problem"/> is set when the folder itself cannot be used (missing,
/// refused, unlistable); the directory then changes nothing until it can.
/// </summary>
internal sealed record FolderScan(FolderFingerprint Fingerprint, string? Problem, IReadOnlyList<PatchFile> Patches, IReadOnlyList<UnusableFile> Unusable)
{
    /// <summary>Every patch file name present, usable or not, in apply order.</summary>
    public IReadOnlyList<string> Names { get; } = Patches.Select(p => p.Name).Concat(Unusable.Select(u => u.Name)).Order(PatchFileNames.Order).ToArray();
}
