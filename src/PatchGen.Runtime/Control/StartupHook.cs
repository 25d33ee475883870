using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.Loader;

/// <summary>
/// The .NET startup hook: <c>DOTNET_STARTUP_HOOKS=&lt;path&gt;/PatchGen.Runtime.dll</c> makes any process
/// patchable through the control channel without a change to its code. The runtime requires this exact
/// name, in the global namespace.
/// </summary>
internal static class StartupHook
{
    public static void Initialize()
    {
        // A hook is loaded by path, but its own references resolve only against the application's
        // list; PatchGen.Diagnostics, beside this file, may not be on it.
        AssemblyLoadContext.Default.Resolving += ResolveBesideRuntime;
        Listen();
        FollowPatchDirectory();
    }

    // PATCHGEN_PATCH_DIR (docs/patch-directory.md): the folder's patches are enabled before Main runs.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void FollowPatchDirectory() => PatchGen.Runtime.PatchDirectory.ConfiguredPatchDirectory.StartOnce();

    // Kept out of Initialize so the resolver is in place before anything is compiled that needs more
    // than this assembly.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Listen()
    {
        try
        {
            PatchGen.Runtime.PatchRuntime.Listen();
        }
        catch (Exception e)
        {
            // The application must start anyway: being unpatchable is not a reason to be down.
            Console.Error.WriteLine($"patchgen: warning: no control channel for this process: {e.Message}");
        }
    }

    private static Assembly? ResolveBesideRuntime(AssemblyLoadContext context, AssemblyName name)
    {
        if (name.Name is null || !name.Name.StartsWith("PatchGen.", StringComparison.Ordinal))
            return null;
        var directory = Path.GetDirectoryName(typeof(StartupHook).Assembly.Location);
        if (string.IsNullOrEmpty(directory))
            return null;
        var path = Path.Combine(directory, name.Name + ".dll");
        return File.Exists(path) ? context.LoadFromAssemblyPath(path) : null;
    }
}
