using Mono.Cecil;
using Mono.Cecil.Cil;

namespace PatchGen.Diff;

/// <summary>
/// What a piece of a closure is: the owner's own body, a lambda or local function (also a method of
/// a closure class), the shape of a closure class (header and fields), a state machine (whole).
/// </summary>
internal enum ClosureSectionKind
{
    Owner,
    Lambda,
    Closure,
    StateMachine,
}

/// <summary>
/// One piece of a rendered closure and the hash of its canonical text, with generated members
/// numbered within the piece (so a piece hashes the same whatever the rest of the closure references first).
/// </summary>
internal sealed record ClosureSection(ClosureSectionKind Kind, IMemberDefinition Member, byte[] Hash);

/// <summary>
/// The canonical form of a user method and the generated code it owns (see <see cref="ClosureRenderer"/>).
/// <see cref="Hash"/> decides "body changed"; <see cref="Text"/> and <see cref="Origins"/> (one per
/// line) are kept only when asked for, to locate the first difference in source.
/// </summary>
internal sealed record RenderedClosure(
    MethodDefinition Owner,
    byte[] Hash,
    IReadOnlyList<ClosureSection> Sections,
    IReadOnlyList<TypeDefinition> GeneratedTypes,
    IReadOnlyList<MethodDefinition> GeneratedMethods,
    ClosureText? Text,
    (MethodDefinition Method, Instruction? Instruction)[]? Origins)
{
    public string HashHex => Convert.ToHexString(Hash);
}

/// <summary>
/// The canonical text of a closure as one string, each line ending in '\n', and where each line
/// ends: lines are read as spans of it, not kept as a string each.
/// </summary>
internal sealed class ClosureText
{
    private readonly string _text;
    private readonly int[] _lineEnds;

    public ClosureText(string text, int[] lineEnds)
    {
        _text = text;
        _lineEnds = lineEnds;
    }

    public int Count => _lineEnds.Length;

    /// <summary>Line <paramref name="line"/>, without its '\n'.</summary>
    public ReadOnlySpan<char> this[int line]
    {
        get
        {
            int start = line == 0 ? 0 : _lineEnds[line - 1];
            return _text.AsSpan(start, _lineEnds[line] - start - 1);
        }
    }
}
