using Mono.Cecil;
using Mono.Cecil.Cil;

namespace PatchGen.Instrumentation;

/// <summary>Which methods get a patch site (docs/patch-sites.md, "Which methods get a site").</summary>
internal static class SiteEligibility
{
    public const string GeneratedPrefix = "<PatchGen>";

    /// <summary>
    /// The largest IL body the JIT inlines without weighing it (its "always inline" size, ALWAYS_INLINE_SIZE):
    /// a method this small is inlined wherever the JIT can inline at all, and the instrumenter marks it
    /// AggressiveInlining so that the few bytes of its patch site do not change that.
    /// </summary>
    public const int AlwaysInlineSize = 16;

    /// <summary>
    /// The largest original IL body that is also marked AggressiveInlining when it looks like one the JIT's
    /// default policy inlines (<see cref="LooksInlinable"/>). Between 17 and this many bytes the plain JIT
    /// weighs the callee's estimated native size against the call's, and the site (7 bytes of check, a
    /// dispatch call in a block of its own) tips that estimate: every inline the instrumented Newtonsoft.Json
    /// and Markdig builds lost for that reason had a callee of at most this size but a few
    /// (docs/benchmarks.md, "Inlining decisions").
    /// </summary>
    public const int ForcedInlineSize = 32;

    /// <summary>
    /// The default of <see cref="InstrumentOptions.InlineCloneMaxCodeSize"/>: the largest IL body the JIT inlines at all
    /// without profile data (DEFAULT_MAX_INLINE_SIZE), so every method the JIT could inline has a clone to inline.
    /// </summary>
    public const int InlineCloneDefaultSize = 128;

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
        if (PatchGen.Cecil.Methods.AutoPropertyAccessor.Is(method))
            return "an auto-property accessor";
        return null;
    }

    /// <summary>
    /// Whether the instrumenter marks <paramref name="method"/> AggressiveInlining (and names its slot
    /// <c>i&lt;N&gt;</c>), decided on the original body: one of at most <see cref="AlwaysInlineSize"/> bytes,
    /// or of at most <see cref="ForcedInlineSize"/> bytes that <see cref="LooksInlinable"/>, and in both
    /// cases one that returns (a throw helper stays a call, as the plain JIT keeps it: "does not return").
    /// A method that already says NoInlining, NoOptimization or AggressiveInlining is left as it is.
    /// </summary>
    public static bool AddsAggressiveInlining(MethodDefinition method)
    {
        const MethodImplAttributes blocking = MethodImplAttributes.NoInlining | MethodImplAttributes.NoOptimization | MethodImplAttributes.AggressiveInlining;
        if ((method.ImplAttributes & blocking) != 0 || !method.HasBody)
            return false;
        int size = method.Body.CodeSize;
        return size <= AlwaysInlineSize ? Returns(method.Body) : size <= ForcedInlineSize && LooksInlinable(method.Body);
    }

    /// <summary>
    /// A body the default inline policy accepts as a matter of course once it is a candidate: it returns,
    /// and it has no exception handler (never inlined), no loop (a backward branch cuts the policy's benefit
    /// to 0.7) and no switch (a switch that does not fold sets the benefit to 0). AggressiveInlining on
    /// anything else would force inlines the plain build does not do.
    /// </summary>
    public static bool LooksInlinable(MethodBody body)
    {
        if (body.HasExceptionHandlers || !Returns(body))
            return false;
        foreach (var instruction in body.Instructions)
        {
            if (instruction.OpCode.Code == Code.Switch)
                return false;
            if (instruction.Operand is Instruction target && target.Offset <= instruction.Offset)
                return false;
        }
        return true;
    }

    private static bool Returns(MethodBody body)
        => body.Instructions.Any(i => i.OpCode.Code == Code.Ret);

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
