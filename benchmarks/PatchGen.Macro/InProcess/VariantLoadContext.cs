using System.Reflection;
using System.Runtime.Loader;

namespace PatchGen.Macro.InProcess;

/// <summary>
/// A load context for one copy of a library, so that identical assemblies (same name, same identity) can be
/// loaded side by side. Its own dependencies that sit beside it load into it; everything else (the framework,
/// PatchGen.Runtime) resolves to the default context. That matters: an instrumented copy must call the one
/// PatchGen.Runtime of the process, or its sites would register with a second runtime no patch ever reaches.
/// </summary>
internal sealed class VariantLoadContext(string name, string directory) : AssemblyLoadContext(name, isCollectible: false)
{
    public Assembly LoadMain(string fileName) => LoadFromAssemblyPath(Path.Combine(directory, fileName));

    protected override Assembly? Load(AssemblyName assemblyName)
    {
        if (assemblyName.Name is null || assemblyName.Name.StartsWith("PatchGen.", StringComparison.Ordinal))
            return null;
        var beside = Path.Combine(directory, assemblyName.Name + ".dll");
        return File.Exists(beside) ? LoadFromAssemblyPath(beside) : null;
    }
}
