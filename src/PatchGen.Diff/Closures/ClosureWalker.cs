using Mono.Cecil;

namespace PatchGen.Diff.Closures;

/// <summary>
/// Finds the code a user-written method owns and has it written, section by section: the method's
/// own body, then every lambda, local function, closure class and state machine it references, in
/// order of first reference (each named by <see cref="CanonicalIds"/> as it is met, and queued).
/// </summary>
internal sealed class ClosureWalker
{
    private readonly ClosureNames _names;
    private readonly ClosureTextWriter _out;
    private readonly BodyWriter _bodies;
    private readonly List<ClosurePart> _parts = new();

    public ClosureWalker(ClosureNames names, ClosureTextWriter output)
    {
        _names = names;
        _out = output;
        _bodies = new BodyWriter(names, output);
    }

    /// <summary>Writes the bodies (extended model: it leaves added static fields' initializers out of a static constructor).</summary>
    public BodyWriter Bodies => _bodies;

    /// <summary>Writes the closure of <paramref name="owner"/> and gives its sections.</summary>
    public IReadOnlyList<ClosurePart> Walk(MethodDefinition owner)
    {
        _names.Ids.Clear();
        _parts.Clear();

        _bodies.Write(owner);
        _parts.Add(new ClosurePart(ClosureSectionKind.Owner, owner, 0, _out.LineCount));

        while (_names.Ids.TryDequeue(out var next))
        {
            int start = _out.LineCount;
            switch (next)
            {
                case TypeDefinition type:
                    WriteGeneratedType(type);
                    break;
                case MethodDefinition method:
                    _names.AppendSignature(method, _names.Ids.AppendKnown(method, _out.Text.Append(".lambda ")).Append(' '));
                    _out.EndLine(ClosureLineKind.LambdaHeader, method, null);
                    _bodies.Write(method);
                    _parts.Add(new ClosurePart(ClosureSectionKind.Lambda, method, start, _out.LineCount, Queued: true));
                    break;
            }
        }
        return _parts;
    }

    /// <summary>Writes just one method body, its generated references named but not followed.</summary>
    public void WalkBody(MethodDefinition method)
    {
        _names.Ids.Clear();
        _bodies.Write(method);
    }

    private static bool IsStateMachine(TypeDefinition type)
        => type.Interfaces.Any(i => i.InterfaceType.FullName is "System.Runtime.CompilerServices.IAsyncStateMachine"
            or "System.Collections.IEnumerator" or "System.Collections.Generic.IAsyncEnumerable`1");

    /// <summary>
    /// Writes a closure class or state machine and adds its sections. A state machine is one
    /// section (it is the code of one method). A closure class is its shape (header and fields) plus
    /// one section per method: a new lambda that joins an existing closure class adds a section
    /// but leaves the base ones unchanged.
    /// </summary>
    private void WriteGeneratedType(TypeDefinition type)
    {
        int start = _out.LineCount;
        bool stateMachine = IsStateMachine(type);
        WriteTypeHeader(type);
        foreach (var field in type.Fields)
        {
            _out.Text.Append(".field ").Append(field.IsStatic ? "static " : "");
            _names.AppendType(field.FieldType, _names.AppendFieldName(field, _out.Text).Append(' '));
            _out.EndLine(ClosureLineKind.Field, null, null);
        }
        if (!stateMachine)
            _parts.Add(new ClosurePart(ClosureSectionKind.Closure, type, start, _out.LineCount));
        foreach (var method in type.Methods)
        {
            int methodStart = _out.LineCount;
            _names.AppendSignature(method, _names.AppendMethodName(method, _out.Text.Append(".method ")).Append(' '));
            _out.EndLine(ClosureLineKind.MethodHeader, method, null);
            _bodies.Write(method);
            if (!stateMachine)
                _parts.Add(new ClosurePart(ClosureSectionKind.Lambda, method, methodStart, _out.LineCount));
        }
        if (stateMachine)
            _parts.Add(new ClosurePart(ClosureSectionKind.StateMachine, type, start, _out.LineCount));
    }

    /// <summary><c>.type #2 class base=System.Object generic=0 implements=A,B</c>, interfaces in ordinal order.</summary>
    private void WriteTypeHeader(TypeDefinition type)
    {
        var text = _out.Text;
        _names.Ids.AppendKnown(type, text.Append(".type ")).Append(type.IsValueType ? " struct" : " class").Append(" base=");
        if (type.BaseType is null)
            text.Append('-');
        else
            _names.AppendType(type.BaseType, text);
        text.Append(" generic=").Append(type.GenericParameters.Count).Append(" implements=");
        // Named in declaration order (which is the order generated types among them are numbered in), then sorted.
        var interfaces = new List<ClosureTextWriter.Piece>(type.Interfaces.Count);
        foreach (var implemented in type.Interfaces)
        {
            int start = text.Length;
            _names.AppendType(implemented.InterfaceType, text);
            interfaces.Add(_out.Cut(start));
        }
        bool first = true;
        foreach (var piece in interfaces.OrderBy(p => p.Text, StringComparer.Ordinal))
        {
            if (!first)
                text.Append(',');
            _out.Append(piece);
            first = false;
        }
        _out.EndLine(ClosureLineKind.TypeHeader, null, null);
    }
}
