using Mono.Cecil;
using Mono.Cecil.Cil;

namespace PatchGen.Instrumentation;

/// <summary>Which methods get a patch site, and which of those are tracked (docs/patch-sites.md).</summary>
internal static class SiteEligibility
{
    public const string GeneratedPrefix = "<PatchGen>";

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
        if (method.Body.Instructions.Count == 0)
            return "empty body";
        foreach (var instruction in method.Body.Instructions)
        {
            // jmp leaves the method with its own arguments: nothing may be on the stack or in a try.
            if (instruction.OpCode.Code == Code.Jmp)
                return "body uses jmp";
        }
        return null;
    }

    /// <summary>
    /// A method is tracked when it can call anything: then it may be the old half of a mixed call chain,
    /// so it must be on the shadow stack while it runs. A leaf cannot, and pushes nothing.
    /// </summary>
    public static bool IsTracked(MethodDefinition method)
    {
        foreach (var instruction in method.Body.Instructions)
        {
            switch (instruction.OpCode.Code)
            {
                case Code.Call:
                case Code.Callvirt:
                case Code.Calli:
                case Code.Newobj:
                case Code.Ldftn:
                case Code.Ldvirtftn:
                    return true;
            }
        }
        return false;
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

    /// <summary>The types a delegate's Invoke cannot take (they live only on the stack of varargs calls).</summary>
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
