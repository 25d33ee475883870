namespace PatchGen.SourcePatching;

/// <summary>
/// One line of a hunk, without its marker and without its line terminator (a trailing carriage
/// return is dropped too, so that a diff survives a round trip through a CRLF checkout).
/// </summary>
public readonly record struct DiffLine(DiffLineKind Kind, string Text)
{
    /// <summary>The line is part of the base file (context or removed).</summary>
    public bool InOld => Kind != DiffLineKind.Added;

    /// <summary>The line is part of the new file (context or added).</summary>
    public bool InNew => Kind != DiffLineKind.Removed;

    public override string ToString() => (Kind switch { DiffLineKind.Removed => '-', DiffLineKind.Added => '+', _ => ' ' }) + Text;
}
