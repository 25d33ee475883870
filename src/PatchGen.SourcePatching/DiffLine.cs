namespace PatchGen.SourcePatching;

/// <summary>
/// One line of a hunk, without its marker and without its line terminator. A trailing carriage
/// return is not part of <see cref="Text"/> (so that a diff still matches after a trip through a
/// CRLF checkout); <see cref="CrLf"/> remembers it, for added lines of files whose line ends the
/// diff reproduces faithfully.
/// </summary>
public readonly record struct DiffLine(DiffLineKind Kind, string Text, bool CrLf = false)
{
    /// <summary>The line is part of the base file (context or removed).</summary>
    public bool InOld => Kind != DiffLineKind.Added;

    /// <summary>The line is part of the new file (context or added).</summary>
    public bool InNew => Kind != DiffLineKind.Removed;

    public override string ToString() => (Kind switch { DiffLineKind.Removed => '-', DiffLineKind.Added => '+', _ => ' ' }) + Text;
}
