using System.Text;
using Mono.Cecil;
using PatchGen.Diff.Closures;

namespace PatchGen.Diff;

/// <summary>
/// Renders the code of a user-written method as canonical text: its own IL plus the IL of every
/// lambda, local function, closure and state machine it owns, found by following references from
/// its body. Two builds of the same source give the same text, whatever the metadata tokens, the
/// instruction encodings (<c>br.s</c> or <c>br</c>), the sequence points or the compiler's ordinals:
/// <list type="bullet">
/// <item>member references are rendered by resolved name and signature, never by token;</item>
/// <item>compiler-generated members and types get names by order of first reference
/// (<c>#1</c>, <c>#2</c>, ...), so an unrelated lambda that shifts <c>&lt;M&gt;b__3_0</c>
/// to <c>&lt;M&gt;b__4_0</c> changes nothing;</item>
/// <item>array-initializer data is rendered by content, not by the field that holds it.</item>
/// </list>
/// The work is split by job: <see cref="ClosureWalker"/> finds the closure and its sections,
/// <see cref="BodyWriter"/> writes IL, <see cref="ClosureNames"/> names types and members,
/// <see cref="ClosureTextWriter"/> records the text's structure as it is written, and
/// <see cref="ClosureHasher"/> hashes it; this class puts their results together.
/// </summary>
internal sealed class ClosureRenderer
{
    private readonly ClosureTextWriter _text = new();
    private readonly ClosureNames _names;
    private readonly ClosureWalker _walker;
    private readonly ClosureHasher _hasher = new();

    public ClosureRenderer(ModuleDefinition module)
    {
        _names = new ClosureNames(module);
        _names.Ids.Listener = _text;
        _walker = new ClosureWalker(_names, _text);
    }

    /// <summary>
    /// Extended model, the new build's renderer: the static fields the fix adds to existing types,
    /// whose initializers a static constructor's text leaves out (docs/diff-rules.md#the-extended-model).
    /// </summary>
    public StaticInitialization.AddedStaticFields? AddedStatics
    {
        get => _walker.Bodies.AddedStatics;
        set => _walker.Bodies.AddedStatics = value;
    }

    /// <summary>Renders the closure of <paramref name="owner"/>.</summary>
    /// <param name="keepOrigins">Also keep the text, and for every line the method and instruction it came from (for source locations).</param>
    public RenderedClosure Render(MethodDefinition owner, bool keepOrigins = false)
    {
        _text.Start(structure: true, origins: keepOrigins);
        try
        {
            var parts = _walker.Walk(owner);
            var sections = new List<ClosureSection>(parts.Count);
            var generatedTypes = new List<TypeDefinition>();
            var generatedMethods = new List<MethodDefinition>();
            foreach (var part in parts)
            {
                sections.Add(new ClosureSection(part.Kind, part.Member, _hasher.SectionHash(_text, part.Start, part.End)));
                if (part.Kind is ClosureSectionKind.Closure or ClosureSectionKind.StateMachine)
                    generatedTypes.Add((TypeDefinition)part.Member);
                else if (part.Queued)
                    generatedMethods.Add((MethodDefinition)part.Member);
            }
            return new RenderedClosure(
                owner,
                ClosureHasher.Hash(_text, 0, _text.LineCount),
                sections,
                generatedTypes,
                generatedMethods,
                keepOrigins ? _text.ToClosureText() : null,
                _text.Origins());
        }
        finally
        {
            _text.Finish();
        }
    }

    /// <summary>
    /// Whether <paramref name="mine"/> (of this renderer's module) and <paramref name="theirs"/> (of
    /// <paramref name="other"/>'s) render to the same canonical text, which is what their hashes would
    /// say, without hashing or keeping anything. Most methods did not change, and for them this is
    /// all the work needed; hashing (the closure and each section) and copying every closure was most
    /// of the cost of a large diff.
    /// </summary>
    public bool RendersSameAs(MethodDefinition mine, ClosureRenderer other, MethodDefinition theirs)
    {
        _text.Start(structure: false, origins: false);
        _walker.Walk(mine);
        other._text.Start(structure: false, origins: false);
        other._walker.Walk(theirs);
        return _text.Text.Equals(other._text.Text);
    }

    /// <summary>The canonical text of just one method body, with its own generated references named canonically.</summary>
    public string RenderSingleBody(MethodDefinition method)
    {
        _text.Start(structure: false, origins: false);
        _walker.WalkBody(method);
        // The lines joined by '\n': the buffer without its last line end.
        return _text.Text.ToString(0, Math.Max(0, _text.Text.Length - 1));
    }

    /// <summary>
    /// What a type, method or field operand is written as in a closure text, or null if it names a compiler-generated
    /// member (<see cref="InstructionWriter.TextOf"/>). Asked only between closures; <see cref="ForgetIds"/> after.
    /// </summary>
    internal string? OperandText(MemberReference member) => _walker.Bodies.Instructions.TextOf(member);

    /// <summary>
    /// Leaves the canonical IDs as a walk of a closure that names no generated member leaves them: none given. (The
    /// shape comparers' type names number generated types from there.)
    /// </summary>
    internal void ForgetIds() => _names.Ids.Clear();

    /// <summary>A type as the closure text names it (the shape comparers compare types by this name).</summary>
    internal string TypeName(TypeReference type) => _names.TypeName(type);

    internal void AppendTypeName(TypeReference type, StringBuilder builder) => _names.AppendType(type, builder);
}
