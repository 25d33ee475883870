using System.Reflection;

namespace PatchGen.Runtime;

/// <summary>
/// Functions that return only when the process ends: a transition that waits for a thread to leave one waits
/// forever (issue 13: an ASP.NET Core app's <c>&lt;Main&gt;$</c> sits in <c>app.Run()</c> for the life of the
/// process). Recognised: the entry point of any loaded assembly. The PG4001 warning says so, and what
/// forcing means for that function, instead of leaving the operator to wait.
/// </summary>
internal static class LifetimeFunctions
{
    /// <summary>Documentation IDs of the loaded assemblies' entry points.</summary>
    public static HashSet<string> EntryPoints()
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var assembly in AppDomain.CurrentDomain.GetAssemblies())
        {
            MethodInfo? entry;
            try
            {
                entry = assembly.EntryPoint;
            }
            catch (Exception e) when (e is NotSupportedException or TypeLoadException or BadImageFormatException)
            {
                continue; // dynamic or broken assemblies have none we could patch
            }
            if (entry is not null)
                ids.Add(ReflectionDocumentationId.ForMethod(entry));
        }
        return ids;
    }

    /// <summary>The sentence PG4001 adds for a pending thread held by <paramref name="function"/>, an entry point.</summary>
    public static string Explain(string function)
        => $"{function} is the process's entry point and returns only when the process ends, so this transition can complete only "
         + "with force (patchgen force --pid, PatchRuntime.Force); forced, that thread goes on running the old body of "
         + $"{function} until it returns, and every call it makes from there runs the patch's code";
}
