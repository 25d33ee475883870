namespace PatchGen.SourcePatching;

/// <summary>
/// What applying a diff did to one file. <see cref="HunkOffsets"/> holds, per hunk, how many lines
/// away from the diff's line numbers it was found (0 when exactly where the diff said).
/// </summary>
public sealed record AppliedFile(string Path, FilePatchKind Kind, IReadOnlyList<int> HunkOffsets);
