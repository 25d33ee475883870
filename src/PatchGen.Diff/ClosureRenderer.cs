using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Mono.Cecil;
using Mono.Cecil.Cil;
using Mono.Collections.Generic;

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
/// </summary>
internal sealed class ClosureRenderer
{
    private readonly ModuleDefinition _module;
    private readonly Dictionary<object, string> _ids = new(ReferenceEqualityComparer.Instance);
    private readonly Queue<IMemberDefinition> _pending = new();
    // The canonical text is kept in one buffer, each line ending in '\n' (the text that is hashed), and
    // not as one string per line: a large assembly has millions of instructions, and a string for each
    // made the garbage collector the main cost of a diff.
    private readonly StringBuilder _text = new();
    private readonly List<int> _lineEnds = new();
    private List<(MethodDefinition Method, Instruction? Instruction)>? _origins;

    public ClosureRenderer(ModuleDefinition module)
    {
        _module = module;
    }

    /// <summary>Renders the closure of <paramref name="owner"/>.</summary>
    /// <param name="keepOrigins">Also record, for every line, the method and instruction it came from (for source locations).</param>
    public RenderedClosure Render(MethodDefinition owner, bool keepOrigins = false)
    {
        RenderParts(owner, keepOrigins);
        var sections = new List<ClosureSection>(_parts.Count);
        var generatedTypes = new List<TypeDefinition>();
        var generatedMethods = new List<MethodDefinition>();
        foreach (var part in _parts)
        {
            sections.Add(new ClosureSection(part.Kind, part.Member, SectionHash(part.Start, part.End)));
            if (part.Kind is ClosureSectionKind.Closure or ClosureSectionKind.StateMachine)
                generatedTypes.Add((TypeDefinition)part.Member);
            else if (part.Queued)
                generatedMethods.Add((MethodDefinition)part.Member);
        }
        return new RenderedClosure(
            owner,
            Hash(0, _lineEnds.Count),
            sections,
            generatedTypes,
            generatedMethods,
            keepOrigins ? new ClosureText(_text.ToString(), _lineEnds.ToArray()) : null,
            _origins?.ToArray());
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
        RenderParts(mine, keepOrigins: false);
        other.RenderParts(theirs, keepOrigins: false);
        return _text.Equals(other._text);
    }

    /// <summary>
    /// One section of the text in <see cref="_text"/>: lines [Start, End). <c>Queued</c> marks a lambda
    /// or local function rendered on its own (not a method of a closure class).
    /// </summary>
    private readonly record struct Part(ClosureSectionKind Kind, IMemberDefinition Member, int Start, int End, bool Queued = false);

    private readonly List<Part> _parts = new();

    /// <summary>Renders the closure into <see cref="_text"/>, and where each section starts and ends into <see cref="_parts"/>.</summary>
    private void RenderParts(MethodDefinition owner, bool keepOrigins)
    {
        _ids.Clear();
        _pending.Clear();
        _parts.Clear();
        ClearText();
        _origins = keepOrigins ? new() : null;

        RenderBody(owner);
        _parts.Add(new Part(ClosureSectionKind.Owner, owner, 0, _lineEnds.Count));

        while (_pending.Count > 0)
        {
            var next = _pending.Dequeue();
            int start = _lineEnds.Count;
            switch (next)
            {
                case TypeDefinition type:
                    RenderGeneratedType(type);
                    break;
                case MethodDefinition method:
                    Emit(method, null, ".lambda " + _ids[method] + " " + Signature(method));
                    RenderBody(method);
                    _parts.Add(new Part(ClosureSectionKind.Lambda, method, start, _lineEnds.Count, Queued: true));
                    break;
            }
        }
    }

    /// <summary>The canonical text of just one method body, with its own generated references named canonically.</summary>
    public string RenderSingleBody(MethodDefinition method)
    {
        _ids.Clear();
        _pending.Clear();
        ClearText();
        _origins = null;
        RenderBody(method);
        // The lines joined by '\n': the buffer without its last line end.
        return _text.ToString(0, Math.Max(0, _text.Length - 1));
    }

    private void ClearText()
    {
        _text.Clear();
        _lineEnds.Clear();
    }

    private int LineStart(int line) => line == 0 ? 0 : _lineEnds[line - 1];

    private static bool IsStateMachine(TypeDefinition type)
        => type.Interfaces.Any(i => i.InterfaceType.FullName is "System.Runtime.CompilerServices.IAsyncStateMachine"
            or "System.Collections.IEnumerator" or "System.Collections.Generic.IAsyncEnumerable`1");

    /// <summary>
    /// Renders a closure class or state machine and adds its sections. A state machine is one
    /// section (it is the code of one method). A closure class is its shape (header and fields) plus
    /// one section per method: a new lambda that joins an existing closure class adds a section
    /// but leaves the base ones unchanged.
    /// </summary>
    private void RenderGeneratedType(TypeDefinition type)
    {
        int start = _lineEnds.Count;
        bool stateMachine = IsStateMachine(type);
        Emit(null, null, ".type " + _ids[type] + (type.IsValueType ? " struct" : " class")
            + " base=" + (type.BaseType is null ? "-" : TypeName(type.BaseType))
            + " generic=" + type.GenericParameters.Count
            + " implements=" + string.Join(",", type.Interfaces.Select(i => TypeName(i.InterfaceType)).OrderBy(s => s, StringComparer.Ordinal)));
        foreach (var field in type.Fields)
            Emit(null, null, ".field " + (field.IsStatic ? "static " : "") + FieldName(field) + " " + TypeName(field.FieldType));
        if (!stateMachine)
            _parts.Add(new Part(ClosureSectionKind.Closure, type, start, _lineEnds.Count));
        foreach (var method in type.Methods)
        {
            int methodStart = _lineEnds.Count;
            Emit(method, null, ".method " + MethodName(method) + " " + Signature(method));
            RenderBody(method);
            if (!stateMachine)
                _parts.Add(new Part(ClosureSectionKind.Lambda, method, methodStart, _lineEnds.Count));
        }
        if (stateMachine)
            _parts.Add(new Part(ClosureSectionKind.StateMachine, type, start, _lineEnds.Count));
    }

    private void RenderBody(MethodDefinition method)
    {
        if (!method.HasBody)
        {
            // Import data too: a local extern function's DllImport (the private P/Invoke inside a
            // LibraryImport stub) is generated code of its owner, and its library or entry point
            // can change while the owner's IL stays the same.
            Emit(method, null, ".nobody " + MetadataText.NoBody(method));
            return;
        }

        var body = method.Body;
        var instructions = body.Instructions;
        var skipped = method.IsConstructor && method.IsStatic ? GeneratedCode.DecimalConstantInitialization(body) : null;
        var index = new BodyIndex(instructions, skipped);

        if (body.HasVariables)
        {
            // Written straight into the text, as instructions are: most bodies have this line.
            _text.Append(".locals").Append(body.InitLocals ? " init " : " ");
            for (int i = 0; i < body.Variables.Count; i++)
            {
                if (i > 0)
                    _text.Append(',');
                AppendTypeName(body.Variables[i].VariableType, _text);
            }
            EndLine(method, null);
        }

        for (int i = 0; i < instructions.Count; i++)
        {
            var instruction = instructions[i];
            if (skipped != null && skipped.Contains(instruction))
                continue;
            _text.Append(index.NumberAt(i)).Append(' ');
            AppendInstruction(method, instruction, index);
            EndLine(method, instruction);
        }

        foreach (var handler in body.ExceptionHandlers)
        {
            Emit(method, handler.HandlerStart, ".try " + Index(index, handler.TryStart) + "-" + Index(index, handler.TryEnd)
                + " " + handler.HandlerType.ToString()
                + " " + Index(index, handler.HandlerStart) + "-" + Index(index, handler.HandlerEnd)
                + (handler.CatchType is null ? "" : " " + TypeName(handler.CatchType))
                + (handler.FilterStart is null ? "" : " filter " + Index(index, handler.FilterStart)));
        }
    }

    private static string Index(BodyIndex index, Instruction? instruction)
        => instruction is null ? "end" : index.Of(instruction).ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// The numbers instructions are rendered with: their positions in the body, except in a static
    /// constructor whose <c>const decimal</c> stores are left out of the text
    /// (<see cref="GeneratedCode.DecimalConstantInitialization"/>). There the kept instructions are
    /// numbered in order and a skipped one takes the number of the next kept one, so branch targets
    /// stay valid.
    /// </summary>
    private readonly struct BodyIndex
    {
        private readonly Collection<Instruction> _instructions;
        private readonly int[]? _numbers;

        public BodyIndex(Collection<Instruction> instructions, HashSet<Instruction>? skipped)
        {
            _instructions = instructions;
            if (skipped is null)
                return;
            _numbers = new int[instructions.Count];
            int kept = 0;
            for (int i = 0; i < instructions.Count; i++)
            {
                _numbers[i] = kept;
                if (!skipped.Contains(instructions[i]))
                    kept++;
            }
        }

        /// <summary>The number of the instruction at position <paramref name="position"/>.</summary>
        public int NumberAt(int position) => _numbers is null ? position : _numbers[position];

        /// <summary>The number of a branch target or handler boundary.</summary>
        public int Of(Instruction target) => NumberAt(IndexOf(_instructions, target));
    }

    /// <summary>
    /// The position of a branch target or handler boundary in its body, by binary search on the
    /// offsets Cecil gave the instructions in order: no per-body dictionary to build (and hash every
    /// instruction into) for the few lookups a body needs.
    /// </summary>
    private static int IndexOf(Collection<Instruction> instructions, Instruction target)
    {
        ArgumentNullException.ThrowIfNull(target);
        int low = 0, high = instructions.Count - 1;
        while (low <= high)
        {
            int middle = low + (high - low) / 2;
            var at = instructions[middle];
            if (at.Offset < target.Offset)
                low = middle + 1;
            else if (at.Offset > target.Offset)
                high = middle - 1;
            else if (ReferenceEquals(at, target))
                return middle;
            else
                break;
        }
        throw new KeyNotFoundException("branch target IL_" + target.Offset.ToString("x4", CultureInfo.InvariantCulture) + " is not an instruction of this body");
    }

    private void AppendInstruction(MethodDefinition method, Instruction instruction, BodyIndex index)
    {
        var (name, implicitOperand) = CanonicalOpCode(instruction.OpCode);
        _text.Append(name);
        if (implicitOperand is { } n)
        {
            _text.Append(' ').Append(n);
            return;
        }

        var operand = instruction.Operand;
        if (operand is null)
            return;
        _text.Append(' ');
        switch (operand)
        {
            case Instruction target:
                _text.Append("->").Append(index.Of(target));
                break;
            case Instruction[] targets:
                _text.Append("->[");
                for (int i = 0; i < targets.Length; i++)
                {
                    if (i > 0)
                        _text.Append(',');
                    _text.Append(index.Of(targets[i]));
                }
                _text.Append(']');
                break;
            case VariableDefinition variable:
                _text.Append(variable.Index);
                break;
            case ParameterDefinition parameter:
                // The IL argument number: 'this' is 0 in instance methods.
                _text.Append(parameter.Index + (method.HasThis ? 1 : 0));
                break;
            case string s:
                AppendString(s);
                break;
            case sbyte sb:
                _text.Append(sb);
                break;
            case byte b:
                _text.Append(b);
                break;
            case int i:
                _text.Append(i);
                break;
            case long l:
                _text.Append(l);
                break;
            case float f:
                _text.Append("f:").Append(BitConverter.SingleToInt32Bits(f));
                break;
            case double d:
                _text.Append("d:").Append(BitConverter.DoubleToInt64Bits(d));
                break;
            case TypeReference type:
                AppendTypeName(type, _text);
                break;
            case MethodReference callee:
                AppendMethodReference(callee, _text);
                break;
            case FieldReference field:
                AppendFieldReference(field, _text);
                break;
            case CallSite site:
                _text.Append(TypeName(site.ReturnType)).Append(" *(")
                    .Append(string.Join(",", site.Parameters.Select(p => TypeName(p.ParameterType)))).Append(") ")
                    .Append(site.CallingConvention);
                break;
            default:
                _text.Append(Convert.ToString(operand, CultureInfo.InvariantCulture));
                break;
        }
    }

    private void AppendString(string s)
    {
        _text.Append('"');
        foreach (char c in s)
        {
            if (c is '"' or '\\')
                _text.Append('\\').Append(c);
            else if (c < ' ' || c > '~')
                _text.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
            else
                _text.Append(c);
        }
        _text.Append('"');
    }

    /// <summary>Short and macro forms map to one long form: <c>ldc.i4.s 5</c>, <c>ldc.i4.5</c> and <c>ldc.i4 5</c> are one instruction.</summary>
    private static (string Name, int? ImplicitOperand) CanonicalOpCode(OpCode opCode) => opCode.Code switch
    {
        Code.Ldarg_0 => ("ldarg", 0),
        Code.Ldarg_1 => ("ldarg", 1),
        Code.Ldarg_2 => ("ldarg", 2),
        Code.Ldarg_3 => ("ldarg", 3),
        Code.Ldarg_S => ("ldarg", null),
        Code.Ldarga_S => ("ldarga", null),
        Code.Starg_S => ("starg", null),
        Code.Ldloc_0 => ("ldloc", 0),
        Code.Ldloc_1 => ("ldloc", 1),
        Code.Ldloc_2 => ("ldloc", 2),
        Code.Ldloc_3 => ("ldloc", 3),
        Code.Ldloc_S => ("ldloc", null),
        Code.Ldloca_S => ("ldloca", null),
        Code.Stloc_0 => ("stloc", 0),
        Code.Stloc_1 => ("stloc", 1),
        Code.Stloc_2 => ("stloc", 2),
        Code.Stloc_3 => ("stloc", 3),
        Code.Stloc_S => ("stloc", null),
        Code.Ldc_I4_M1 => ("ldc.i4", -1),
        Code.Ldc_I4_0 => ("ldc.i4", 0),
        Code.Ldc_I4_1 => ("ldc.i4", 1),
        Code.Ldc_I4_2 => ("ldc.i4", 2),
        Code.Ldc_I4_3 => ("ldc.i4", 3),
        Code.Ldc_I4_4 => ("ldc.i4", 4),
        Code.Ldc_I4_5 => ("ldc.i4", 5),
        Code.Ldc_I4_6 => ("ldc.i4", 6),
        Code.Ldc_I4_7 => ("ldc.i4", 7),
        Code.Ldc_I4_8 => ("ldc.i4", 8),
        Code.Ldc_I4_S => ("ldc.i4", null),
        Code.Br_S => ("br", null),
        Code.Brfalse_S => ("brfalse", null),
        Code.Brtrue_S => ("brtrue", null),
        Code.Beq_S => ("beq", null),
        Code.Bge_S => ("bge", null),
        Code.Bgt_S => ("bgt", null),
        Code.Ble_S => ("ble", null),
        Code.Blt_S => ("blt", null),
        Code.Bne_Un_S => ("bne.un", null),
        Code.Bge_Un_S => ("bge.un", null),
        Code.Bgt_Un_S => ("bgt.un", null),
        Code.Ble_Un_S => ("ble.un", null),
        Code.Blt_Un_S => ("blt.un", null),
        Code.Leave_S => ("leave", null),
        _ => (opCode.Name, null),
    };

    private void Emit(MethodDefinition? method, Instruction? instruction, string line)
    {
        _text.Append(line);
        EndLine(method, instruction);
    }

    private void EndLine(MethodDefinition? method, Instruction? instruction)
    {
        _text.Append('\n');
        _lineEnds.Add(_text.Length);
        _origins?.Add((method!, instruction));
    }

    /// <summary>SHA-256 of lines [from, to), each followed by '\n', in UTF-8: exactly the buffer's text there.</summary>
    private byte[] Hash(int fromLine, int toLine)
    {
        int start = LineStart(fromLine);
        return HashText(_text, start, LineStart(toLine) - start);
    }

    private static byte[] HashText(StringBuilder text, int start, int length)
    {
        var chars = ArrayPool<char>.Shared.Rent(Math.Max(length, 1));
        var bytes = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(length));
        try
        {
            text.CopyTo(start, chars, 0, length);
            int count = Encoding.UTF8.GetBytes(chars, 0, length, bytes, 0);
            return SHA256.HashData(bytes.AsSpan(0, count));
        }
        finally
        {
            ArrayPool<char>.Shared.Return(chars);
            ArrayPool<byte>.Shared.Return(bytes);
        }
    }

    private readonly StringBuilder _sectionText = new();

    /// <summary>
    /// The hash of one section, lines [from, to), with the canonical IDs (<c>#12</c>) renumbered by
    /// first appearance within the section; string literals are skipped whole. Global IDs follow the
    /// order of first reference in the whole closure, so a new lambda referenced ahead of an existing
    /// one would renumber it and every section that names it; section hashes are used to find base
    /// lambdas unchanged in the new build (PG3006), and that must not depend on what else the closure
    /// references first.
    /// </summary>
    /// <remarks>
    /// Made only for closures whose text differs (<see cref="Render"/>, never
    /// <see cref="RendersSameAs"/>). A literal or an ID never spans lines: literals are rendered with
    /// control characters escaped.
    /// </remarks>
    private byte[] SectionHash(int fromLine, int toLine)
    {
        int start = LineStart(fromLine);
        int length = LineStart(toLine) - start;
        var chars = ArrayPool<char>.Shared.Rent(Math.Max(length, 1));
        try
        {
            _text.CopyTo(start, chars, 0, length);
            var text = chars.AsSpan(0, length);
            var local = new Dictionary<string, int>(StringComparer.Ordinal);
            var lookup = local.GetAlternateLookup<ReadOnlySpan<char>>();
            var renumbered = _sectionText.Clear();
            int i = 0;
            while (i < text.Length)
            {
                char c = text[i];
                if (c == '"' && LiteralEnd(text, i) is int end and > 0)
                {
                    renumbered.Append(text[i..end]);
                    i = end;
                }
                else if (c == '#' && i + 1 < text.Length && char.IsAsciiDigit(text[i + 1]))
                {
                    int digits = i + 1;
                    while (digits < text.Length && char.IsAsciiDigit(text[digits]))
                        digits++;
                    var id = text[i..digits];
                    if (!lookup.TryGetValue(id, out int number))
                    {
                        number = local.Count + 1;
                        lookup.TryAdd(id, number);
                    }
                    renumbered.Append('#').Append(number.ToString(CultureInfo.InvariantCulture));
                    i = digits;
                }
                else
                {
                    renumbered.Append(c);
                    i++;
                }
            }
            return HashText(renumbered, 0, renumbered.Length);
        }
        finally
        {
            ArrayPool<char>.Shared.Return(chars);
        }
    }

    /// <summary>
    /// The end (past the closing quote) of the string literal that starts at <paramref name="quote"/>,
    /// or -1 if it is not closed on its line: <c>"(?:[^"\\]|\\.)*"</c> within one line.
    /// </summary>
    private static int LiteralEnd(ReadOnlySpan<char> text, int quote)
    {
        int j = quote + 1;
        while (j < text.Length)
        {
            char c = text[j];
            if (c == '\n')
                return -1;
            if (c == '"')
                return j + 1;
            if (c == '\\')
            {
                if (j + 1 >= text.Length || text[j + 1] == '\n')
                    return -1;
                j += 2;
            }
            else
            {
                j++;
            }
        }
        return -1;
    }

    // ---- canonical names -------------------------------------------------------------------

    /// <summary>The canonical ID of a generated member or type, queuing it for rendering the first time.</summary>
    /// <param name="render">Queue it to be rendered as a section of its own (a generated type, or a lambda
    /// that lives in a user type or in <c>&lt;&gt;c</c>); members of closure and state machine types are
    /// rendered with their type and only named here.</param>
    private string IdOf(IMemberDefinition member, bool render)
    {
        if (!_ids.TryGetValue(member, out var id))
        {
            id = "#" + (_ids.Count + 1).ToString(CultureInfo.InvariantCulture);
            _ids.Add(member, id);
            if (render)
                _pending.Enqueue(member);
        }
        return id;
    }

    private TypeDefinition? OwnDefinition(TypeReference type)
    {
        var element = type.GetElementType();
        return element is TypeDefinition definition && definition.Module == _module ? definition : null;
    }

    private static bool IsLambdaCache(TypeDefinition type) => type.Name == GeneratedCode.LambdaCacheClass;

    internal string TypeName(TypeReference type)
    {
        var builder = new StringBuilder();
        AppendTypeName(type, builder);
        return builder.ToString();
    }

    internal void AppendTypeName(TypeReference type, StringBuilder builder)
    {
        switch (type)
        {
            case ByReferenceType byRef:
                AppendTypeName(byRef.ElementType, builder);
                builder.Append('&');
                return;
            case PointerType pointer:
                AppendTypeName(pointer.ElementType, builder);
                builder.Append('*');
                return;
            case ArrayType array:
                AppendTypeName(array.ElementType, builder);
                builder.Append('[').Append(',', array.Rank - 1).Append(']');
                return;
            case GenericParameter parameter:
                builder.Append(parameter.Type == GenericParameterType.Method ? "!!" : "!").Append(parameter.Position);
                return;
            case RequiredModifierType required:
                AppendTypeName(required.ElementType, builder);
                builder.Append(" modreq(");
                AppendTypeName(required.ModifierType, builder);
                builder.Append(')');
                return;
            case OptionalModifierType optional:
                AppendTypeName(optional.ElementType, builder);
                builder.Append(" modopt(");
                AppendTypeName(optional.ModifierType, builder);
                builder.Append(')');
                return;
            case PinnedType pinned:
                AppendTypeName(pinned.ElementType, builder);
                builder.Append(" pinned");
                return;
            case SentinelType sentinel:
                builder.Append("...");
                AppendTypeName(sentinel.ElementType, builder);
                return;
            case FunctionPointerType function:
                builder.Append("method ");
                AppendTypeName(function.ReturnType, builder);
                builder.Append(" *(");
                for (int i = 0; i < function.Parameters.Count; i++)
                {
                    if (i > 0)
                        builder.Append(',');
                    AppendTypeName(function.Parameters[i].ParameterType, builder);
                }
                builder.Append(')').Append(function.CallingConvention);
                return;
            case GenericInstanceType instance:
                AppendTypeName(instance.ElementType, builder);
                builder.Append('<');
                for (int i = 0; i < instance.GenericArguments.Count; i++)
                {
                    if (i > 0)
                        builder.Append(',');
                    AppendTypeName(instance.GenericArguments[i], builder);
                }
                builder.Append('>');
                return;
        }

        if (OwnDefinition(type) is { } own && !GeneratedCode.IsUserType(own))
        {
            if (GeneratedCode.IsSharedGeneratedType(own))
            {
                builder.Append(SharedGeneratedTypeName(own));
                return;
            }
            if (IsLambdaCache(own))
            {
                // The lambda cache is shared by every method of its type: its methods are owned one by one.
                AppendTypeName(own.DeclaringType, builder);
                builder.Append("/<>c");
                return;
            }
            builder.Append(IdOf(own, render: true));
            return;
        }

        if (type.DeclaringType is { } outer)
        {
            AppendTypeName(outer, builder);
            builder.Append('/');
        }
        else if (!string.IsNullOrEmpty(type.Namespace))
        {
            builder.Append(type.Namespace).Append('.');
        }
        builder.Append(type.Name);
    }

    /// <summary>Anonymous types by their property names; other shared generated types by their (stable) names.</summary>
    private static string SharedGeneratedTypeName(TypeDefinition type)
    {
        if (type.DeclaringType is null && type.Name.StartsWith("<>f__AnonymousType", StringComparison.Ordinal))
            return "<anonymous{" + string.Join(",", type.GenericParameters.Select(p => p.Name)) + "}>";
        if (type.DeclaringType is { } outer)
            return SharedGeneratedTypeName(outer) + "/" + type.Name;
        return type.FullName;
    }

    private string Signature(IMethodSignature method)
    {
        var builder = new StringBuilder();
        AppendSignature(method, builder);
        return builder.ToString();
    }

    private void AppendSignature(IMethodSignature method, StringBuilder builder)
    {
        if (method.HasThis)
            builder.Append("instance ");
        AppendTypeName(method.ReturnType, builder);
        builder.Append('(');
        for (int i = 0; i < method.Parameters.Count; i++)
        {
            if (i > 0)
                builder.Append(',');
            AppendTypeName(method.Parameters[i].ParameterType, builder);
        }
        builder.Append(')');
        if (method is MethodDefinition { HasGenericParameters: true } definition)
            builder.Append(" generic=").Append(definition.GenericParameters.Count);
    }

    private string MethodName(MethodDefinition method)
        => GeneratedCode.IsGeneratedName(method.Name) && !GeneratedCode.IsUserMethod(method) ? IdOf(method, render: false) : method.Name;

    private string FieldName(FieldDefinition field)
        => IsLambdaCache(field.DeclaringType) ? IdOf(field, render: false) : field.Name;

    /// <summary>Appends straight to the instruction's line: no string per operand.</summary>
    private void AppendMethodReference(MethodReference method, StringBuilder builder)
    {
        var element = method.GetElementMethod();
        MethodDefinition? own = null;
        if (OwnDefinition(element.DeclaringType) is not null)
            own = TryResolve(element);

        AppendTypeName(method.DeclaringType, builder);
        builder.Append("::");
        if (own != null && GeneratedCode.IsGeneratedName(own.Name) && !GeneratedCode.IsUserMethod(own))
        {
            // A lambda or local function. In a user type or in <>c it is owned on its own; in a
            // closure or state machine type, the whole type was queued by AppendTypeName above.
            if (GeneratedCode.IsUserType(own.DeclaringType) || IsLambdaCache(own.DeclaringType))
                builder.Append(IdOf(own, render: true));
            else
                builder.Append(MethodName(own));
        }
        else
        {
            builder.Append(method.Name);
        }

        if (method is GenericInstanceMethod instance)
        {
            builder.Append('<');
            for (int i = 0; i < instance.GenericArguments.Count; i++)
            {
                if (i > 0)
                    builder.Append(',');
                AppendTypeName(instance.GenericArguments[i], builder);
            }
            builder.Append('>');
        }
        builder.Append(' ');
        AppendSignature(element, builder);
    }

    /// <summary>Appends straight to the instruction's line, like <see cref="AppendMethodReference"/>.</summary>
    private void AppendFieldReference(FieldReference field, StringBuilder builder)
    {
        var declaring = OwnDefinition(field.DeclaringType);
        if (declaring != null && declaring.Name == GeneratedCode.PrivateImplementationDetails && declaring.DeclaringType is null)
        {
            // Array-initializer and UTF-8 literal data: by content, since the field names are hashes or ordinals.
            var definition = TryResolve(field);
            if (definition is { InitialValue.Length: > 0 })
            {
                builder.Append("<data " + definition.InitialValue.Length + " " + Convert.ToHexString(SHA256.HashData(definition.InitialValue)) + ">");
                return;
            }
        }

        AppendTypeName(field.DeclaringType, builder);
        builder.Append("::");
        if (declaring != null && IsLambdaCache(declaring) && TryResolve(field) is { } cacheField)
            builder.Append(IdOf(cacheField, render: false));
        else
            builder.Append(field.Name);
        builder.Append(' ');
        AppendTypeName(field.FieldType, builder);
    }

    private static MethodDefinition? TryResolve(MethodReference method)
    {
        try
        {
            return method.Resolve();
        }
        catch (Exception e) when (e is AssemblyResolutionException or ResolutionException)
        {
            return null;
        }
    }

    private static FieldDefinition? TryResolve(FieldReference field)
    {
        try
        {
            return field.Resolve();
        }
        catch (Exception e) when (e is AssemblyResolutionException or ResolutionException)
        {
            return null;
        }
    }
}
