using Mono.Cecil;

namespace PatchGen.Diff;

/// <summary>
/// Methods that run for the life of the process, whose change a patch cannot bring to the code already running
/// in them (PG3008): the thread in a synchronous entry point never leaves it (an ASP.NET Core app's
/// <c>&lt;Main&gt;$</c> blocks in <c>app.Run()</c>), so a transition waiting for it completes only when forced,
/// and an async entry point's state machine is in flight for as long as the app runs. Recognised by metadata
/// alone: the module's entry point, and the user method an async entry point's synthesized <c>&lt;Main&gt;</c>
/// wraps. A loop in a hosted service is not recognised (its type comes from another assembly); PG3005 still
/// says that the instance in flight keeps its old code.
/// </summary>
internal static class LifetimeFunction
{
    /// <summary>Why <paramref name="method"/> runs for the life of the process, or null when nothing says it does.</summary>
    public static string? Why(MethodDefinition method)
    {
        var entry = method.Module.EntryPoint;
        if (entry is null)
            return null;
        if (entry == method)
            return "the process's entry point";
        // async Main: the compiler's <Main> calls the user's Main (or <Main>$) and waits on the task it returns.
        if (entry.Name == "<Main>" && entry.DeclaringType == method.DeclaringType && method.IsStatic
            && (method.Name == "Main" || method.Name == "<Main>$")
            && entry.Body?.Instructions.Any(i => i.Operand is MethodReference callee && callee.Resolve() == method) == true)
            return "the process's async entry point";
        return null;
    }
}
