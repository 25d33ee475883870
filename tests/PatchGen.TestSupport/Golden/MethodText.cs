using System.Globalization;
using System.Text;
using Mono.Cecil;
using Mono.Cecil.Cil;

namespace PatchGen.TestSupport.Golden;

/// <summary>
/// A method as golden text, in the spirit of Cecil's own <c>AssertCode</c> tests: a header with the
/// attributes that change what the JIT and the runtime do, then one instruction per line labelled by
/// its IL offset, operands by full name, the locals and the exception handlers. Sequence points are
/// shown (line and column only) when the module was read with its symbols: where the rewrite puts
/// them is part of the contract (docs/patch-sites.md). Nothing depends on tokens, MVIDs or paths.
/// </summary>
public static class MethodText
{
    private const string Indent = "  ";

    public static string Of(MethodDefinition method)
    {
        var text = new StringBuilder();
        text.Append(".method ").Append(Signature(method)).Append('\n');
        foreach (var parameter in method.GenericParameters)
            text.Append(Indent).Append(".generic ").Append(GenericParameterText.Of(parameter)).Append('\n');
        if (ImplFlags(method) is { Length: > 0 } impl)
            text.Append(Indent).Append(".impl ").Append(impl).Append('\n');
        foreach (var attribute in method.CustomAttributes)
            text.Append(Indent).Append(".custom ").Append(AttributeText.Of(attribute)).Append('\n');
        foreach (var parameter in method.Parameters.Where(p => p.HasCustomAttributes))
        {
            foreach (var attribute in parameter.CustomAttributes)
                text.Append(Indent).Append(".param ").Append(ParameterName(parameter)).Append(' ').Append(AttributeText.Of(attribute)).Append('\n');
        }
        if (method.HasBody)
            AppendBody(text, method);
        return text.ToString();
    }

    /// <summary>"public hidebysig static R T::M(P0 a, P1 b)": attributes, then Cecil's names with parameter names added.</summary>
    private static string Signature(MethodDefinition method)
    {
        var parameters = method.Parameters.Select(p => ParameterModifiers(p) + p.ParameterType.FullName + (p.Name.Length > 0 ? " " + p.Name : ""));
        string generic = method.HasGenericParameters ? "<" + string.Join(",", method.GenericParameters.Select(g => g.Name)) + ">" : "";
        return string.Join(" ", MethodFlags(method).Append(method.ReturnType.FullName))
            + " " + method.DeclaringType.FullName + "::" + method.Name + generic + "(" + string.Join(", ", parameters) + ")";
    }

    private static IEnumerable<string> MethodFlags(MethodDefinition method)
    {
        yield return (method.Attributes & MethodAttributes.MemberAccessMask) switch
        {
            MethodAttributes.Public => "public",
            MethodAttributes.Private => "private",
            MethodAttributes.Assembly => "assembly",
            MethodAttributes.Family => "family",
            MethodAttributes.FamANDAssem => "famandassem",
            MethodAttributes.FamORAssem => "famorassem",
            _ => "compilercontrolled",
        };
        var flags = new (bool Set, string Name)[]
        {
            (method.IsHideBySig, "hidebysig"),
            (method.IsNewSlot, "newslot"),
            (method.IsSpecialName, "specialname"),
            (method.IsRuntimeSpecialName, "rtspecialname"),
            (method.IsAbstract, "abstract"),
            (method.IsVirtual, "virtual"),
            (method.IsFinal, "final"),
            (method.IsStatic, "static"),
            (method.IsPInvokeImpl, "pinvokeimpl"),
            (method.CallingConvention == MethodCallingConvention.VarArg, "vararg"),
        };
        foreach (var (set, name) in flags)
        {
            if (set)
                yield return name;
        }
    }

    /// <summary>The implementation flags the JIT acts on, most importantly aggressiveinlining and noinlining.</summary>
    private static string ImplFlags(MethodDefinition method)
    {
        var flags = new (bool Set, string Name)[]
        {
            (method.IsRuntime, "runtime"),
            (method.IsNative, "native"),
            (method.IsInternalCall, "internalcall"),
            (method.AggressiveInlining, "aggressiveinlining"),
            (method.NoInlining, "noinlining"),
            (method.NoOptimization, "nooptimization"),
            (method.AggressiveOptimization, "aggressiveoptimization"),
            (method.IsSynchronized, "synchronized"),
            (method.IsPreserveSig, "preservesig"),
        };
        return string.Join(" ", flags.Where(f => f.Set).Select(f => f.Name));
    }

    private static string ParameterModifiers(ParameterDefinition parameter)
        => (parameter.IsIn ? "[in] " : "") + (parameter.IsOut ? "[out] " : "") + (parameter.IsOptional ? "[opt] " : "");

    /// <summary>A parameter operand by name; Cecil gives <c>this</c> (of <c>ldarg.s 0</c>, say) no name and index -1.</summary>
    private static string ParameterName(ParameterDefinition parameter)
        => parameter.Index < 0 ? "this" : parameter.Name.Length > 0 ? parameter.Name : "A_" + parameter.Index.ToString(CultureInfo.InvariantCulture);

    private static void AppendBody(StringBuilder text, MethodDefinition method)
    {
        var body = method.Body;
        text.Append(Indent).Append(".maxstack ").Append(body.MaxStackSize.ToString(CultureInfo.InvariantCulture)).Append('\n');
        if (body.HasVariables)
        {
            var locals = body.Variables.Select(v => v.VariableType.FullName + " " + Local(v));
            text.Append(Indent).Append(".locals ").Append(body.InitLocals ? "init " : "").Append('(').AppendJoin(", ", locals).Append(")\n");
        }
        var debug = method.DebugInformation;
        foreach (var instruction in body.Instructions)
        {
            if (debug.GetSequencePoint(instruction) is { } point)
                text.Append(Indent).Append(SequencePoint(point)).Append('\n');
            text.Append(Indent).Append(Label(instruction)).Append(": ").Append(instruction.OpCode.Name);
            if (instruction.Operand is { } operand)
                text.Append(' ').Append(Operand(operand));
            text.Append('\n');
        }
        foreach (var handler in body.ExceptionHandlers)
            text.Append(Indent).Append(Handler(handler, body)).Append('\n');
    }

    /// <summary>Line and column only: the document is a path, which differs between machines.</summary>
    private static string SequencePoint(SequencePoint point)
        => point.IsHidden
            ? ".line hidden"
            : string.Create(CultureInfo.InvariantCulture, $".line {point.StartLine}:{point.StartColumn}-{point.EndLine}:{point.EndColumn}");

    private static string Operand(object operand) => operand switch
    {
        Instruction target => Label(target),
        Instruction[] targets => "(" + string.Join(", ", targets.Select(Label)) + ")",
        VariableDefinition variable => Local(variable),
        ParameterDefinition parameter => ParameterName(parameter),
        MethodReference method => MemberText.Method(method),
        FieldReference field => MemberText.Field(field),
        TypeReference type => MemberText.Type(type),
        CallSite site => MemberText.CallSite(site),
        _ => LiteralText.Of(operand),
    };

    private static string Handler(ExceptionHandler handler, MethodBody body)
    {
        string kind = handler.HandlerType switch
        {
            ExceptionHandlerType.Catch => "catch " + MemberText.Type(handler.CatchType),
            ExceptionHandlerType.Filter => "filter " + Label(handler.FilterStart),
            ExceptionHandlerType.Finally => "finally",
            _ => "fault",
        };
        return $".try {Label(handler.TryStart)} to {Label(handler.TryEnd, body)} {kind} handler {Label(handler.HandlerStart)} to {Label(handler.HandlerEnd, body)}";
    }

    private static string Local(VariableDefinition variable) => "V_" + variable.Index.ToString(CultureInfo.InvariantCulture);

    private static string Label(Instruction instruction) => "IL_" + instruction.Offset.ToString("x4", CultureInfo.InvariantCulture);

    /// <summary>A handler's end is null when it runs to the end of the body: label the offset just past the last instruction.</summary>
    private static string Label(Instruction? instruction, MethodBody body)
    {
        if (instruction is not null)
            return Label(instruction);
        var last = body.Instructions[^1];
        return "IL_" + (last.Offset + last.GetSize()).ToString("x4", CultureInfo.InvariantCulture);
    }
}
