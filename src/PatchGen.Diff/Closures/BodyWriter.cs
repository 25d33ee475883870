using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Mono.Cecil;
using Mono.Cecil.Cil;

namespace PatchGen.Diff.Closures;

/// <summary>
/// Writes the IL of one method body as canonical lines: locals, one line per instruction (long
/// opcode forms, operands by resolved name and signature, branch targets by instruction number),
/// exception handlers. Array-initializer data is written by content, not by the field that holds it.
/// </summary>
internal sealed class BodyWriter
{
    private readonly ClosureNames _names;
    private readonly ClosureTextWriter _out;

    public BodyWriter(ClosureNames names, ClosureTextWriter output)
    {
        _names = names;
        _out = output;
    }

    private StringBuilder Text => _out.Text;

    public void Write(MethodDefinition method)
    {
        if (!method.HasBody)
        {
            // Import data too: a local extern function's DllImport (the private P/Invoke inside a
            // LibraryImport stub) is generated code of its owner, and its library or entry point
            // can change while the owner's IL stays the same.
            Text.Append(".nobody ").Append(MetadataText.NoBody(method));
            _out.EndLine(ClosureLineKind.NoBody, method, null);
            return;
        }

        var body = method.Body;
        var instructions = body.Instructions;
        var skipped = method.IsConstructor && method.IsStatic ? GeneratedCode.DecimalConstantInitialization(body) : null;
        var numbers = new InstructionNumbers(instructions, skipped);

        if (body.HasVariables)
        {
            Text.Append(".locals").Append(body.InitLocals ? " init " : " ");
            for (int i = 0; i < body.Variables.Count; i++)
            {
                if (i > 0)
                    Text.Append(',');
                _names.AppendType(body.Variables[i].VariableType, Text);
            }
            _out.EndLine(ClosureLineKind.Locals, method, null);
        }

        for (int i = 0; i < instructions.Count; i++)
        {
            var instruction = instructions[i];
            if (skipped != null && skipped.Contains(instruction))
                continue;
            int start = Text.Length;
            Text.Append(numbers.NumberAt(i)).Append(' ');
            _out.Mark(ClosureTokenKind.InstructionNumber, start);
            WriteInstruction(method, instruction, numbers);
            _out.EndLine(ClosureLineKind.Instruction, method, instruction);
        }

        foreach (var handler in body.ExceptionHandlers)
            WriteHandler(method, handler, numbers);
    }

    /// <summary><c>.try 6-48 Catch 48-57 System.Exception</c>, or <c>... filter 30</c>.</summary>
    private void WriteHandler(MethodDefinition method, ExceptionHandler handler, InstructionNumbers numbers)
    {
        Text.Append(".try ");
        int start = Text.Length;
        Text.Append(numbers.OfBoundary(handler.TryStart)).Append('-').Append(numbers.OfBoundary(handler.TryEnd)).Append(' ');
        _out.Mark(ClosureTokenKind.HandlerBounds, start);
        Text.Append(handler.HandlerType.ToString());
        start = Text.Length;
        Text.Append(' ').Append(numbers.OfBoundary(handler.HandlerStart)).Append('-').Append(numbers.OfBoundary(handler.HandlerEnd));
        _out.Mark(ClosureTokenKind.HandlerBounds, start);
        if (handler.CatchType is not null)
            _names.AppendType(handler.CatchType, Text.Append(' '));
        if (handler.FilterStart is not null)
        {
            Text.Append(" filter");
            start = Text.Length;
            Text.Append(' ').Append(numbers.OfBoundary(handler.FilterStart));
            _out.Mark(ClosureTokenKind.HandlerBounds, start);
        }
        _out.EndLine(ClosureLineKind.Handler, method, handler.HandlerStart);
    }

    private void WriteInstruction(MethodDefinition method, Instruction instruction, InstructionNumbers numbers)
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
            case TypeReference type:
                _names.AppendType(type, Text);
                break;
            case MethodReference callee:
                WriteMethodReference(callee);
                break;
            case FieldReference field:
                WriteFieldReference(field);
                break;
            case CallSite site:
                WriteCallSite(site);
                break;
            default:
                Text.Append(Convert.ToString(operand, CultureInfo.InvariantCulture));
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
