using Mono.Cecil;
using Mono.Cecil.Cil;

namespace PatchGen.Diff.Closures;

/// <summary>
/// Reads the lines of a closure rendered with origins: exactly, or (given the side's source
/// locator) as statements, leaving out headers and hidden code and masking what shifts with any
/// insertion above it: instruction numbers, branch targets and handler bounds, found by the tokens
/// recorded when they were written.
/// </summary>
internal sealed class ClosureLineReader
{
    private readonly ClosureText _text;
    private readonly (MethodDefinition Method, Instruction? Instruction)[] _origins;
    private readonly SourceLocator? _statementsOf;
    private char[] _buffer = new char[256];
    private int _length;
    private bool _exact;

    public ClosureLineReader(RenderedClosure closure, SourceLocator? statementsOf)
    {
        (_text, _origins, _statementsOf) = (closure.Text!, closure.Origins!, statementsOf);
        Index = -1;
    }

    /// <summary>The index of the current line in the closure's text.</summary>
    public int Index { get; private set; }

    public ReadOnlySpan<char> Current => _exact ? _text[Index] : _buffer.AsSpan(0, _length);

    public bool MoveNext()
    {
        while (++Index < _text.Count)
        {
            if (_statementsOf is null)
            {
                _exact = true;
                return true;
            }
            if (Statement(Index))
                return true;
        }
        return false;
    }

    /// <summary>Writes the line as a statement into the buffer; false if it is left out.</summary>
    private bool Statement(int line)
    {
        _exact = false;
        _length = 0;
        switch (_text.Kind(line))
        {
            // A new local, hoisted variable or captured field changes these; the statements using them say more.
            case ClosureLineKind.Locals or ClosureLineKind.Field or ClosureLineKind.TypeHeader:
                return false;
            case ClosureLineKind.Instruction:
                var (method, instruction) = _origins[line];
                if (instruction != null && _statementsOf!.IsHidden(method, instruction))
                    return false;
                break;
        }
        AppendMasked(line);
        return true;
    }

    /// <summary>
    /// The line without its instruction number or handler bounds (<c>.try Catch System.Exception</c>),
    /// its branch targets written <c>-&gt;?</c>.
    /// </summary>
    private void AppendMasked(int line)
    {
        var text = _text[line];
        int lineStart = _text.Start(line), copied = 0;
        foreach (var token in _text.Tokens(line))
        {
            if (token.Kind == ClosureTokenKind.GeneratedId)
                continue;
            Append(text[copied..(token.Start - lineStart)]);
            if (token.Kind == ClosureTokenKind.BranchTarget)
                Append("->?");
            copied = token.End - lineStart;
        }
        Append(text[copied..]);
    }

    private void Append(ReadOnlySpan<char> text)
    {
        if (_length + text.Length > _buffer.Length)
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + text.Length));
        text.CopyTo(_buffer.AsSpan(_length));
        _length += text.Length;
    }
}
