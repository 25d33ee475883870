namespace PatchGen.SourcePatching;

/// <summary>What a line of a hunk does: kept (<c>' '</c>), removed (<c>'-'</c>) or added (<c>'+'</c>).</summary>
public enum DiffLineKind
{
    Context,
    Removed,
    Added,
}
