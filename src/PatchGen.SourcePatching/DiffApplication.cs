namespace PatchGen.SourcePatching;

/// <summary>The outcome of applying a diff to a folder: every file written, created, deleted or moved.</summary>
public sealed class DiffApplication
{
    internal DiffApplication(string directory, IReadOnlyList<AppliedFile> files)
    {
        Directory = directory;
        Files = files;
    }

    /// <summary>The folder the diff was applied to.</summary>
    public string Directory { get; }

    public IReadOnlyList<AppliedFile> Files { get; }

    /// <summary>Human-readable notes about hunks found away from their stated lines, as <c>patch</c> prints them.</summary>
    public IEnumerable<string> OffsetNotes()
    {
        foreach (var file in Files)
        {
            for (int i = 0; i < file.HunkOffsets.Count; i++)
            {
                int offset = file.HunkOffsets[i];
                if (offset != 0)
                    yield return $"{file.Path}: hunk #{i + 1} applied at offset {offset:+#;-#} line(s)";
            }
        }
    }
}
