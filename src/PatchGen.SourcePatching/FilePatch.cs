namespace PatchGen.SourcePatching;

/// <summary>
/// The part of a diff about one file. Paths are relative, '/'-separated, and already stripped of
/// their first component(s) (<c>a/</c>, <c>b/</c>), as <c>patch -p1</c> does.
/// </summary>
public sealed class FilePatch
{
    internal FilePatch(int patchLine, FilePatchKind kind, string? oldPath, string? newPath, IReadOnlyList<DiffHunk> hunks)
    {
        PatchLine = patchLine;
        Kind = kind;
        OldPath = oldPath;
        NewPath = newPath;
        Hunks = hunks;
    }

    /// <summary>1-based line in the patch text where this file's header starts.</summary>
    public int PatchLine { get; }

    public FilePatchKind Kind { get; }

    /// <summary>The path before the change; null for an added file.</summary>
    public string? OldPath { get; }

    /// <summary>The path after the change; null for a deleted file.</summary>
    public string? NewPath { get; }

    /// <summary>The path that names this file in messages: the new path, or the old one for a deletion.</summary>
    public string Path => NewPath ?? OldPath!;

    public IReadOnlyList<DiffHunk> Hunks { get; }

    public override string ToString() => $"{Kind} {Path}";
}
