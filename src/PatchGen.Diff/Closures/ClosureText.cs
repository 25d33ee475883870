namespace PatchGen.Diff.Closures;

/// <summary>
/// The canonical text of a closure as one string, each line ending in '\n', with the structure
/// recorded as it was written (<see cref="ClosureTextWriter"/>): where each line ends, what it is,
/// and its tokens. Lines are read as spans of the string, not kept as a string each.
/// </summary>
internal sealed class ClosureText
{
    private readonly string _text;
    private readonly int[] _lineEnds;
    private readonly ClosureLineKind[] _kinds;
    private readonly int[] _lineTokenEnds;
    private readonly ClosureToken[] _tokens;

    public ClosureText(string text, int[] lineEnds, ClosureLineKind[] kinds, int[] lineTokenEnds, ClosureToken[] tokens)
    {
        _text = text;
        _lineEnds = lineEnds;
        _kinds = kinds;
        _lineTokenEnds = lineTokenEnds;
        _tokens = tokens;
    }

    public int Count => _lineEnds.Length;

    /// <summary>Line <paramref name="line"/>, without its '\n'.</summary>
    public ReadOnlySpan<char> this[int line] => _text.AsSpan(Start(line), _lineEnds[line] - Start(line) - 1);

    public ClosureLineKind Kind(int line) => _kinds[line];

    /// <summary>Where line <paramref name="line"/> starts in the whole text (token positions are in the whole text).</summary>
    public int Start(int line) => line == 0 ? 0 : _lineEnds[line - 1];

    /// <summary>The tokens of line <paramref name="line"/>, in text order.</summary>
    public ReadOnlySpan<ClosureToken> Tokens(int line)
        => _tokens.AsSpan(line == 0 ? 0 : _lineTokenEnds[line - 1], _lineTokenEnds[line] - (line == 0 ? 0 : _lineTokenEnds[line - 1]));
}
