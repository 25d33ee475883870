using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Mono.Cecil;
using Mono.Cecil.Cil;

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
    private readonly List<string> _lines = new();
    private List<(MethodDefinition Method, Instruction? Instruction)>? _origins;
    private readonly StringBuilder _line = new();

    public ClosureRenderer(ModuleDefinition module)
    {
        _module = module;
    }

    /// <summary>Renders the closure of <paramref name="owner"/>.</summary>
    /// <param name="keepOrigins">Also record, for every line, the method and instruction it came from (for source locations).</param>
    public RenderedClosure Render(MethodDefinition owner, bool keepOrigins = false)
    {
        _ids.Clear();
        _pending.Clear();
        _lines.Clear();
        _origins = keepOrigins ? new() : null;

        var sections = new List<ClosureSection>();
        int start = _lines.Count;
        RenderBody(owner);
        sections.Add(new ClosureSection(ClosureSectionKind.Owner, owner, SectionHash(start)));

        var generatedTypes = new List<TypeDefinition>();
        var generatedMethods = new List<MethodDefinition>();
        while (_pending.Count > 0)
        {
            var next = _pending.Dequeue();
            start = _lines.Count;
            switch (next)
            {
                case TypeDefinition type:
                    generatedTypes.Add(type);
                    RenderGeneratedType(type, sections);
                    break;
                case MethodDefinition method:
                    generatedMethods.Add(method);
                    Emit(method, null, ".lambda " + _ids[method] + " " + Signature(method));
                    RenderBody(method);
                    sections.Add(new ClosureSection(ClosureSectionKind.Lambda, method, SectionHash(start)));
                    break;
            }
        }

        return new RenderedClosure(
            owner,
            HashAll(),
            sections,
            generatedTypes,
            generatedMethods,
            keepOrigins ? _lines.ToArray() : null,
            _origins?.ToArray());
    }

    /// <summary>The canonical text of just one method body, with its own generated references named canonically.</summary>
    public string RenderSingleBody(MethodDefinition method)
    {
        _ids.Clear();
        _pending.Clear();
        _lines.Clear();
        _origins = null;
        RenderBody(method);
        return string.Join('\n', _lines);
    }

    private static bool IsStateMachine(TypeDefinition type)
        => type.Interfaces.Any(i => i.InterfaceType.FullName is "System.Runtime.CompilerServices.IAsyncStateMachine"
            or "System.Collections.IEnumerator" or "System.Collections.Generic.IAsyncEnumerable`1");

    /// <summary>
    /// Renders a closure class or state machine and adds its sections. A state machine is one
    /// section (it is the code of one method). A closure class is its shape (header and fields) plus
    /// one section per method: a new lambda that joins an existing closure class adds a section
    /// but leaves the base ones unchanged.
    /// </summary>
    private void RenderGeneratedType(TypeDefinition type, List<ClosureSection> sections)
    {
        int start = _lines.Count;
        bool stateMachine = IsStateMachine(type);
        Emit(null, null, ".type " + _ids[type] + (type.IsValueType ? " struct" : " class")
            + " base=" + (type.BaseType is null ? "-" : TypeName(type.BaseType))
            + " generic=" + type.GenericParameters.Count
            + " implements=" + string.Join(",", type.Interfaces.Select(i => TypeName(i.InterfaceType)).OrderBy(s => s, StringComparer.Ordinal)));
        foreach (var field in type.Fields)
            Emit(null, null, ".field " + (field.IsStatic ? "static " : "") + FieldName(field) + " " + TypeName(field.FieldType));
        if (!stateMachine)
            sections.Add(new ClosureSection(ClosureSectionKind.Closure, type, SectionHash(start)));
        foreach (var method in type.Methods)
        {
            int methodStart = _lines.Count;
            Emit(method, null, ".method " + MethodName(method) + " " + Signature(method));
            RenderBody(method);
            if (!stateMachine)
                sections.Add(new ClosureSection(ClosureSectionKind.Lambda, method, SectionHash(methodStart)));
        }
        if (stateMachine)
            sections.Add(new ClosureSection(ClosureSectionKind.StateMachine, type, SectionHash(start)));
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
        var skipped = method.IsConstructor && method.IsStatic ? GeneratedCode.DecimalConstantInitialization(body) : null;
        // Skipped instructions take the number of the next kept one, so branch targets stay valid.
        var index = new Dictionary<Instruction, int>(body.Instructions.Count);
        int kept = 0;
        foreach (var instruction in body.Instructions)
        {
            index[instruction] = kept;
            if (skipped is null || !skipped.Contains(instruction))
                kept++;
        }

        if (body.HasVariables)
            Emit(method, null, ".locals" + (body.InitLocals ? " init " : " ") + string.Join(",", body.Variables.Select(v => TypeName(v.VariableType))));

        foreach (var instruction in body.Instructions)
        {
            if (skipped != null && skipped.Contains(instruction))
                continue;
            _line.Clear();
            _line.Append(index[instruction]).Append(' ');
            AppendInstruction(method, instruction, index);
            Emit(method, instruction, _line.ToString());
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

    private static string Index(Dictionary<Instruction, int> index, Instruction? instruction)
        => instruction is null ? "end" : index[instruction].ToString(CultureInfo.InvariantCulture);

    private void AppendInstruction(MethodDefinition method, Instruction instruction, Dictionary<Instruction, int> index)
    {
        var (name, implicitOperand) = CanonicalOpCode(instruction.OpCode);
        _line.Append(name);
        if (implicitOperand is { } n)
        {
            _line.Append(' ').Append(n);
            return;
        }

        var operand = instruction.Operand;
        if (operand is null)
            return;
        _line.Append(' ');
        switch (operand)
        {
            case Instruction target:
                _line.Append("->").Append(index[target]);
                break;
            case Instruction[] targets:
                _line.Append("->[").Append(string.Join(",", targets.Select(t => index[t]))).Append(']');
                break;
            case VariableDefinition variable:
                _line.Append(variable.Index);
                break;
            case ParameterDefinition parameter:
                // The IL argument number: 'this' is 0 in instance methods.
                _line.Append(parameter.Index + (method.HasThis ? 1 : 0));
                break;
            case string s:
                AppendString(s);
                break;
            case sbyte sb:
                _line.Append(sb);
                break;
            case byte b:
                _line.Append(b);
                break;
            case int i:
                _line.Append(i);
                break;
            case long l:
                _line.Append(l);
                break;
            case float f:
                _line.Append("f:").Append(BitConverter.SingleToInt32Bits(f));
                break;
            case double d:
                _line.Append("d:").Append(BitConverter.DoubleToInt64Bits(d));
                break;
            case TypeReference type:
                _line.Append(TypeName(type));
                break;
            case MethodReference callee:
                _line.Append(MethodReferenceName(callee));
                break;
            case FieldReference field:
                _line.Append(FieldReferenceName(field));
                break;
            case CallSite site:
                _line.Append(TypeName(site.ReturnType)).Append(" *(")
                    .Append(string.Join(",", site.Parameters.Select(p => TypeName(p.ParameterType)))).Append(") ")
                    .Append(site.CallingConvention);
                break;
            default:
                _line.Append(Convert.ToString(operand, CultureInfo.InvariantCulture));
                break;
        }
    }

    private void AppendString(string s)
    {
        _line.Append('"');
        foreach (char c in s)
        {
            if (c is '"' or '\\')
                _line.Append('\\').Append(c);
            else if (c < ' ' || c > '~')
                _line.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
            else
                _line.Append(c);
        }
        _line.Append('"');
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
        _lines.Add(line);
        _origins?.Add((method!, instruction));
    }

    private byte[] Hash(int fromLine)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        for (int i = fromLine; i < _lines.Count; i++)
        {
            hash.AppendData(Encoding.UTF8.GetBytes(_lines[i]));
            hash.AppendData("\n"u8);
        }
        return hash.GetHashAndReset();
    }

    private byte[] HashAll() => Hash(0);

    /// <summary>A canonical ID (<c>#12</c>) outside string literals, which are skipped whole.</summary>
    private static readonly Regex CanonicalId = new(@"""(?:[^""\\]|\\.)*""|#[0-9]+", RegexOptions.CultureInvariant);

    /// <summary>
    /// The hash of one section, with the canonical IDs renumbered by first appearance within the
    /// section. Global IDs follow the order of first reference in the whole closure, so a new
    /// lambda referenced ahead of an existing one would renumber it and every section that names
    /// it; section hashes are used to find base lambdas unchanged in the new build (PG3006), and
    /// that must not depend on what else the closure references first.
    /// </summary>
    private byte[] SectionHash(int fromLine)
    {
        var local = new Dictionary<string, string>(StringComparer.Ordinal);
        string Renumber(Match match)
        {
            if (match.Value[0] == '"')
                return match.Value;
            if (!local.TryGetValue(match.Value, out var id))
            {
                id = "#" + (local.Count + 1).ToString(CultureInfo.InvariantCulture);
                local.Add(match.Value, id);
            }
            return id;
        }

        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        for (int i = fromLine; i < _lines.Count; i++)
        {
            hash.AppendData(Encoding.UTF8.GetBytes(CanonicalId.Replace(_lines[i], Renumber)));
            hash.AppendData("\n"u8);
        }
        return hash.GetHashAndReset();
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

    private void AppendTypeName(TypeReference type, StringBuilder builder)
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
        return builder.ToString();
    }

    private string MethodName(MethodDefinition method)
        => GeneratedCode.IsGeneratedName(method.Name) && !GeneratedCode.IsUserMethod(method) ? IdOf(method, render: false) : method.Name;

    private string FieldName(FieldDefinition field)
        => IsLambdaCache(field.DeclaringType) ? IdOf(field, render: false) : field.Name;

    private string MethodReferenceName(MethodReference method)
    {
        var builder = new StringBuilder();
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
        builder.Append(' ').Append(Signature(element));
        return builder.ToString();
    }

    private string FieldReferenceName(FieldReference field)
    {
        var builder = new StringBuilder();
        var declaring = OwnDefinition(field.DeclaringType);
        if (declaring != null && declaring.Name == GeneratedCode.PrivateImplementationDetails && declaring.DeclaringType is null)
        {
            // Array-initializer and UTF-8 literal data: by content, since the field names are hashes or ordinals.
            var definition = TryResolve(field);
            if (definition is { InitialValue.Length: > 0 })
                return "<data " + definition.InitialValue.Length + " " + Convert.ToHexString(SHA256.HashData(definition.InitialValue)) + ">";
        }

        AppendTypeName(field.DeclaringType, builder);
        builder.Append("::");
        if (declaring != null && IsLambdaCache(declaring) && TryResolve(field) is { } cacheField)
            builder.Append(IdOf(cacheField, render: false));
        else
            builder.Append(field.Name);
        builder.Append(' ');
        AppendTypeName(field.FieldType, builder);
        return builder.ToString();
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
