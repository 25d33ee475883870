namespace PatchGen.Diff.Closures;

/// <summary>
/// A span of a canonical closure text, recorded as it was written (the text is never parsed
/// back): <see cref="Start"/> and <see cref="Length"/> in the whole text; <see cref="Number"/> is
/// the ID of a <see cref="ClosureTokenKind.GeneratedId"/>.
/// </summary>
internal readonly record struct ClosureToken(ClosureTokenKind Kind, int Start, int Length, int Number = 0)
{
    public int End => Start + Length;
}
