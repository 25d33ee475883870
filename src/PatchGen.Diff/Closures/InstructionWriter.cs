using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Mono.Cecil;
using Mono.Cecil.Cil;

namespace PatchGen.Diff.Closures;

/// <summary>
/// Writes one instruction of a closure text: its long opcode form (<see cref="CanonicalOpCodes"/>)
/// and its operand, members by resolved name and signature (generated ones by canonical ID),
/// branch targets by instruction number, array-initializer data by content (not by the field that
/// holds it), literals escaped so that none spans lines.
/// </summary>
internal sealed class InstructionWriter
{
    private readonly ClosureNames _names;
    private readonly ClosureTextWriter _out;

    /// <summary>
    /// The text of member and type operands that name no generated member, by metadata token: such a text is the same
    /// wherever the token is used, so it is written once per token, not once per instruction (see <see cref="WriteMember"/>).
    /// </summary>
    private readonly Dictionary<uint, string?> _memberTexts = new();

    public InstructionWriter(ClosureNames names, ClosureTextWriter output)
    {
        _names = names;
        _out = output;
    }

    private StringBuilder Text => _out.Text;

    /// <summary>The instruction after its number: long opcode form, then its operand.</summary>
    public void Write(MethodDefinition method, Instruction instruction, InstructionNumbers numbers)
    {
        var (name, implicitOperand) = CanonicalOpCodes.Of(instruction.OpCode);
        Text.Append(name);
        if (implicitOperand is { } n)
        {
            Text.Append(' ').Append(n);
            return;
        }

        var operand = instruction.Operand;
        if (operand is null)
            return;
        Text.Append(' ');
        int start = Text.Length;
        switch (operand)
        {
            case Instruction target:
                Text.Append("->").Append(numbers.Of(target));
                _out.Mark(ClosureTokenKind.BranchTarget, start);
                break;
            case Instruction[] targets:
                Text.Append("->[");
                for (int i = 0; i < targets.Length; i++)
                {
                    if (i > 0)
                        Text.Append(',');
                    Text.Append(numbers.Of(targets[i]));
                }
                Text.Append(']');
                _out.Mark(ClosureTokenKind.BranchTarget, start);
                break;
            case VariableDefinition variable:
                Text.Append(variable.Index);
                break;
            case ParameterDefinition parameter:
                // The IL argument number: 'this' is 0 in instance methods.
                Text.Append(parameter.Index + (method.HasThis ? 1 : 0));
                break;
            case string s:
                WriteString(s);
                break;
            case sbyte sb:
                Text.Append(sb);
                break;
            case byte b:
                Text.Append(b);
                break;
            case int i:
                Text.Append(i);
                break;
            case long l:
                Text.Append(l);
                break;
            case float f:
                Text.Append("f:").Append(BitConverter.SingleToInt32Bits(f));
                break;
            case double d:
                Text.Append("d:").Append(BitConverter.DoubleToInt64Bits(d));
                break;
            case MemberReference member:
                WriteMember(member);
                break;
            case CallSite site:
                WriteCallSite(site);
                break;
            default:
                Text.Append(Convert.ToString(operand, CultureInfo.InvariantCulture));
                break;
        }
    }

    /// <summary>
    /// A type, method or field operand. Its text depends only on the metadata row it was read from, unless it names a
    /// compiler-generated member (<c>#n</c>, numbered by order of first reference in each closure): generic
    /// parameters are written by position, never through the context Cecil read them in, and resolving a reference
    /// gives the same definition every time. So a text without an ID is kept by token and copied for the next use of
    /// it; most of a large assembly's calls go to a few thousand members. A reference made after reading (row 0: the
    /// calls of undone inline clones, <see cref="InstrumentationView"/>) is always written out.
    /// </summary>
    private void WriteMember(MemberReference member)
    {
        var token = member.MetadataToken;
        bool cacheable = token.RID != 0;
        bool seen = false;
        if (cacheable && _memberTexts.TryGetValue(token.ToUInt32(), out var known))
        {
            if (known is not null)
            {
                Text.Append(known);
                return;
            }
            seen = true;
        }
        int start = Text.Length;
        long ids = _names.Ids.Written;
        WriteMemberText(member);
        // Kept from its second use on: a member used once (most are) costs no copy of its text.
        if (cacheable && _names.Ids.Written == ids)
            _memberTexts[token.ToUInt32()] = seen ? Text.ToString(start, Text.Length - start) : null;
    }

    /// <summary>
    /// The text a type, method or field operand is written as, or null if it names a compiler-generated member (whose
    /// <c>#n</c> depends on the closure it is written in). Written at the end of the closure buffer and taken back out:
    /// asked between closures (<see cref="UnchangedBodies"/>), when the buffer holds nothing anyone reads. An ID
    /// written here numbers its member in <see cref="CanonicalIds"/>; the caller clears them.
    /// </summary>
    public string? TextOf(MemberReference member)
    {
        int start = Text.Length;
        long ids = _names.Ids.Written;
        WriteMemberText(member);
        var text = _names.Ids.Written == ids ? Text.ToString(start, Text.Length - start) : null;
        Text.Length = start;
        return text;
    }

    private void WriteMemberText(MemberReference member)
    {
        switch (member)
        {
            case TypeReference type:
                _names.AppendType(type, Text);
                break;
            case MethodReference callee:
                WriteMethodReference(callee);
                break;
            case FieldReference field:
                WriteFieldReference(field);
                break;
            default:
                Text.Append(Convert.ToString(member, CultureInfo.InvariantCulture));
                break;
        }
    }

    /// <summary>A string literal, quoted, with quotes, backslashes and anything outside printable ASCII escaped: a literal never spans lines.</summary>
    private void WriteString(string s)
    {
        Text.Append('"');
        foreach (char c in s)
        {
            if (c is '"' or '\\')
                Text.Append('\\').Append(c);
            else if (c < ' ' || c > '~')
                Text.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
            else
                Text.Append(c);
        }
        Text.Append('"');
    }

    private void WriteCallSite(CallSite site)
    {
        _names.AppendType(site.ReturnType, Text).Append(" *(");
        for (int i = 0; i < site.Parameters.Count; i++)
        {
            if (i > 0)
                Text.Append(',');
            _names.AppendType(site.Parameters[i].ParameterType, Text);
        }
        Text.Append(") ").Append(site.CallingConvention);
    }

    private void WriteMethodReference(MethodReference method)
    {
        var element = method.GetElementMethod();
        MethodDefinition? own = null;
        if (_names.OwnDefinition(element.DeclaringType) is not null)
            own = TryResolve(element);

        _names.AppendType(method.DeclaringType, Text).Append("::");
        if (own != null && GeneratedCode.IsGeneratedName(own.Name) && !GeneratedCode.IsUserMethod(own))
        {
            // A lambda or local function. In a user type or in <>c it is owned on its own; in a
            // closure or state machine type, the whole type was queued by naming it above.
            if (GeneratedCode.IsUserType(own.DeclaringType) || ClosureNames.IsLambdaCache(own.DeclaringType))
                _names.Ids.Append(own, render: true, Text);
            else
                _names.AppendMethodName(own, Text);
        }
        else
        {
            Text.Append(method.Name);
        }

        if (method is GenericInstanceMethod instance)
        {
            Text.Append('<');
            for (int i = 0; i < instance.GenericArguments.Count; i++)
            {
                if (i > 0)
                    Text.Append(',');
                _names.AppendType(instance.GenericArguments[i], Text);
            }
            Text.Append('>');
        }
        Text.Append(' ');
        _names.AppendSignature(element, Text);
    }

    private void WriteFieldReference(FieldReference field)
    {
        var declaring = _names.OwnDefinition(field.DeclaringType);
        if (declaring != null && declaring.Name == GeneratedCode.PrivateImplementationDetails && declaring.DeclaringType is null)
        {
            // Array-initializer and UTF-8 literal data: by content, since the field names are hashes or ordinals.
            var definition = TryResolve(field);
            if (definition is { InitialValue.Length: > 0 })
            {
                Text.Append("<data " + definition.InitialValue.Length + " " + Convert.ToHexString(SHA256.HashData(definition.InitialValue)) + ">");
                return;
            }
        }

        _names.AppendType(field.DeclaringType, Text).Append("::");
        if (declaring != null && ClosureNames.IsLambdaCache(declaring) && TryResolve(field) is { } cacheField)
            _names.Ids.Append(cacheField, render: false, Text);
        else if (declaring != null && !GeneratedCode.IsUserType(declaring) && TryResolve(field) is { } generatedField)
            Text.Append(_names.FieldName(generatedField));
        else
            Text.Append(field.Name);
        Text.Append(' ');
        _names.AppendType(field.FieldType, Text);
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
