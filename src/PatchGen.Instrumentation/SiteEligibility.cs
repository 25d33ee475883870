using Mono.Cecil;
using Mono.Cecil.Cil;

namespace PatchGen.Instrumentation;

/// <summary>Which methods get a patch site (docs/patch-sites.md, "Which methods get a site").</summary>
internal static class SiteEligibility
{
    public const string GeneratedPrefix = "<PatchGen>";

    /// <summary>
    /// The largest IL body the JIT inlines without weighing it (its "always inline" size): a method this
    /// small is inlined wherever the JIT can inline at all, and the instrumenter marks it
    /// AggressiveInlining so that the few bytes of its patch site do not change that.
    /// </summary>
    public const int AlwaysInlineSize = 16;

    /// <summary>Null when the method gets a site, otherwise why not.</summary>
    public static string? WhyNot(MethodDefinition method)
    {
        if (!method.HasBody)
            return method.IsAbstract ? "abstract" : method.IsPInvokeImpl ? "extern (P/Invoke)" : method.IsRuntime ? "implemented by the runtime" : "no IL body";
        if (method.IsConstructor && method.IsStatic)
            return "static constructor: it runs once, before anything could be patched";
        if (method.CallingConvention == MethodCallingConvention.VarArg)
            return "vararg calling convention";
        foreach (var parameter in method.Parameters)
        {
            if (IsSpecial(parameter.ParameterType))
                return parameter.ParameterType.Name + " parameter";
        }
        if (IsSpecial(method.ReturnType))
            return method.ReturnType.Name + " return type";
        if (method.Body.Instructions.Count == 0)
            return "empty body";
        foreach (var instruction in method.Body.Instructions)
        {
            // jmp leaves the method with its own arguments: nothing may be on the stack or in a try.
            if (instruction.OpCode.Code == Code.Jmp)
                return "body uses jmp";
        }
        if (IsAutoPropertyAccessor(method))
            return "an auto-property accessor";
        return null;
    }

    /// <summary>
    /// An accessor the compiler wrote for an auto-property: <c>ldarg.0; ldfld &lt;P&gt;k__BackingField; ret</c>
    /// or the setter's <c>stfld</c> (static: <c>ldsfld</c>/<c>stsfld</c>). Its body follows from the field,
    /// so every change to it is a change of the field, which the diff engine rejects on its own terms.
    /// These are the hottest, smallest methods of most libraries; without a site they stay exactly as
    /// the compiler made them.
    /// </summary>
    public static bool IsAutoPropertyAccessor(MethodDefinition method)
    {
        if (!method.IsSpecialName || !(method.IsGetter || method.IsSetter) || !method.HasBody)
            return false;
        var code = method.Body.Instructions;
        bool isStatic = method.IsStatic;
        var shape = method.IsGetter
            ? (isStatic ? new[] { Code.Ldsfld, Code.Ret } : new[] { Code.Ldarg_0, Code.Ldfld, Code.Ret })
            : (isStatic ? new[] { Code.Ldarg_0, Code.Stsfld, Code.Ret } : new[] { Code.Ldarg_0, Code.Ldarg_1, Code.Stfld, Code.Ret });
        if (code.Count != shape.Length)
            return false;
        for (int i = 0; i < shape.Length; i++)
        {
            if (code[i].OpCode.Code != shape[i])
                return false;
        }
        var field = code[shape.Length - 2].Operand as FieldReference;
        return field is not null
            && field.Name.EndsWith(">k__BackingField", StringComparison.Ordinal)
            && field.DeclaringType.GetElementType() == method.DeclaringType;
    }

    public static bool IsGenerated(TypeDefinition type)
    {
        for (var t = type; t != null; t = t.DeclaringType)
        {
            if (t.Name.StartsWith(GeneratedPrefix, StringComparison.Ordinal))
                return true;
        }
        return false;
    }

    /// <summary>The types a dispatch stub cannot take (they live only on the stack of varargs calls).</summary>
    private static bool IsSpecial(TypeReference type)
    {
        while (type is IModifierType modified)
            type = modified.ElementType;
        if (type is ByReferenceType byRef)
            type = byRef.ElementType;
        return type.Namespace == "System"
            && type.Name is "TypedReference" or "ArgIterator" or "RuntimeArgumentHandle"
            && type.DeclaringType is null;
    }
}
