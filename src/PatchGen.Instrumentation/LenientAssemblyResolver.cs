using Mono.Cecil;

namespace PatchGen.Instrumentation;

/// <summary>
/// Finds referenced assemblies beside the input and in the shared framework of the running runtime,
/// and answers "not found" (null) instead of throwing. The rewrite itself never needs a referenced
/// assembly: whether a type is a struct is read from its signature encoding (<c>valuetype</c> or
/// <c>class</c>), so an app whose dependencies are not on this machine can still be instrumented.
/// </summary>
internal sealed class LenientAssemblyResolver : BuildFolderResolver
{
    public LenientAssemblyResolver(string inputDirectory)
        : base([inputDirectory])
    {
    }

    public override AssemblyDefinition Resolve(AssemblyNameReference name)
    {
        try
        {
            return base.Resolve(name);
        }
        catch (AssemblyResolutionException)
        {
            return null!;
        }
    }
}
