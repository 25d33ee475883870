using System.Text;
using Mono.Cecil;
using Mono.Cecil.Cil;

namespace PatchGen.Diff.Closures;

/// <summary>
/// The canonical text of a closure as it is written, and (when asked for) its structure, recorded
/// by the writers as they write it: what each line is, where its generated IDs, instruction
/// numbers, branch targets and handler bounds are, and which method and instruction it came from.
/// Hashing and comparing line by line use that record; nothing reads the text back to find them.
/// </summary>
/// <remarks>
/// The text is one buffer, each line ending in '\n' (exactly the text that is hashed), and not one
/// string per line: a large assembly has millions of instructions, and a string for each made the
/// garbage collector the main cost of a diff. Comparing whole closures (most of which did not
/// change) needs only the text, so the structure is recorded only when asked for.
/// </remarks>
internal sealed class ClosureTextWriter
{
    private readonly List<int> _lineEnds = new();
    private readonly List<ClosureLineKind> _kinds = new();
    private readonly List<int> _lineTokenEnds = new();
    private readonly List<ClosureToken> _tokens = new();
    private List<(MethodDefinition Method, Instruction? Instruction)>? _origins;
    private bool _structure;

    public StringBuilder Text { get; } = new();

    public int LineCount => _lineEnds.Count;

    /// <summary>Empties the text for a new closure.</summary>
    /// <param name="structure">Record line kinds and tokens (for section hashes and line comparisons).</param>
    /// <param name="origins">Record each line's method and instruction (for source locations).</param>
    public void Start(bool structure, bool origins)
    {
        Text.Clear();
        _lineEnds.Clear();
        _kinds.Clear();
        _lineTokenEnds.Clear();
        _tokens.Clear();
        _structure = structure;
        _origins = origins ? new() : null;
    }

    /// <summary>Stops recording: IDs written from now on (type names for the shape comparers) are not the closure's.</summary>
    public void Finish() => _structure = false;

    public int LineStart(int line) => line == 0 ? 0 : _lineEnds[line - 1];

    /// <summary>Ends the current line.</summary>
    public void EndLine(ClosureLineKind kind, MethodDefinition? method, Instruction? instruction)
    {
        Text.Append('\n');
        _lineEnds.Add(Text.Length);
        if (_structure)
        {
            _kinds.Add(kind);
            _lineTokenEnds.Add(_tokens.Count);
        }
        _origins?.Add((method!, instruction));
    }

    /// <summary>Marks the text from <paramref name="start"/> to the end of what is written so far.</summary>
    public void Mark(ClosureTokenKind kind, int start)
    {
        if (_structure)
            _tokens.Add(new ClosureToken(kind, start, Text.Length - start));
    }

    /// <summary>Told by <see cref="CanonicalIds"/> of every ID written; while recording, every ID must be written here.</summary>
    public void IdWritten(StringBuilder builder, int start, int number)
    {
        if (!_structure)
            return;
        if (!ReferenceEquals(builder, Text))
            throw new InvalidOperationException("a generated ID was written outside the closure text");
        _tokens.Add(new ClosureToken(ClosureTokenKind.GeneratedId, start, builder.Length - start, number));
    }

    /// <summary>The tokens of lines [<paramref name="fromLine"/>, <paramref name="toLine"/>), in text order.</summary>
    public ReadOnlySpan<ClosureToken> Tokens(int fromLine, int toLine)
    {
        int first = fromLine == 0 ? 0 : _lineTokenEnds[fromLine - 1];
        int end = toLine == 0 ? 0 : _lineTokenEnds[toLine - 1];
        return System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_tokens)[first..end];
    }

    /// <summary>
    /// Takes back out what was written since <paramref name="start"/> on the current line, with its
    /// tokens, to be put back later in another order (<see cref="Append(Piece)"/>).
    /// </summary>
    public Piece Cut(int start)
    {
        int firstToken = _tokens.Count;
        while (firstToken > 0 && _tokens[firstToken - 1].Start >= start)
            firstToken--;
        var tokens = _tokens.GetRange(firstToken, _tokens.Count - firstToken)
            .Select(t => t with { Start = t.Start - start }).ToArray();
        _tokens.RemoveRange(firstToken, _tokens.Count - firstToken);
        var text = Text.ToString(start, Text.Length - start);
        Text.Length = start;
        return new Piece(text, tokens);
    }

    public void Append(Piece piece)
    {
        int start = Text.Length;
        Text.Append(piece.Text);
        foreach (var token in piece.Tokens)
            _tokens.Add(token with { Start = token.Start + start });
    }

    /// <summary>The text and structure kept with a rendered closure.</summary>
    public ClosureText ToClosureText()
        => new(Text.ToString(), _lineEnds.ToArray(), _kinds.ToArray(), _lineTokenEnds.ToArray(), _tokens.ToArray());

    public (MethodDefinition Method, Instruction? Instruction)[]? Origins() => _origins?.ToArray();

    /// <summary>Text cut out of the closure text, with its tokens (positions relative to the piece).</summary>
    public sealed record Piece(string Text, ClosureToken[] Tokens);
}
