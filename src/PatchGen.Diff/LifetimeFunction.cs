using Mono.Cecil;

namespace PatchGen.Diff;

/// <summary>
/// Methods that run for the life of the process, whose change a patch cannot bring to the code already running
/// in them (PG3008): the thread in a synchronous entry point never leaves it (an ASP.NET Core app's
/// <c>&lt;Main&gt;$</c> blocks in <c>app.Run()</c>), so a transition waiting for it completes only when forced,
/// and an async entry point's state machine is in flight for as long as the app runs. Recognised by metadata
/// alone: the module's entry point, and the user method an async entry point's synthesized <c>&lt;Main&gt;</c>
/// wraps; and a hosted service's <c>ExecuteAsync</c> (an override of
/// <c>Microsoft.Extensions.Hosting.BackgroundService.ExecuteAsync(CancellationToken)</c>, found by name along
/// the base types: the host calls it once at start and it usually loops until shutdown).
/// </summary>
internal static class LifetimeFunction
{
    /// <summary>Why <paramref name="method"/> runs for the life of the process, or null when nothing says it does.</summary>
    public static string? Why(MethodDefinition method)
    {
        if (IsBackgroundServiceLoop(method))
            return "a hosted service's ExecuteAsync, which the host starts once";
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

    private const string BackgroundService = "Microsoft.Extensions.Hosting.BackgroundService";

    private static bool IsBackgroundServiceLoop(MethodDefinition method)
    {
        if (method.Name != "ExecuteAsync" || !method.IsVirtual || method.IsNewSlot || method.IsStatic || method.Parameters.Count != 1
            || method.Parameters[0].ParameterType.FullName != "System.Threading.CancellationToken")
            return false;
        // Up the base types, by name: BackgroundService lives in another assembly, and so may a base of ours.
        for (var type = method.DeclaringType.BaseType; type is not null;)
        {
            if (type.FullName == BackgroundService)
                return true;
            TypeDefinition? definition;
            try
            {
                definition = type.Resolve();
            }
            catch (AssemblyResolutionException)
            {
                return false;
            }
            type = definition?.BaseType;
        }
        return false;
    }
}
