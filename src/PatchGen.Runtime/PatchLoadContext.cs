using System.Reflection;
using System.Runtime.Loader;

namespace PatchGen.Runtime;

/// <summary>
/// The collectible load context a patch lives in. It loads nothing itself: every reference (the base
/// assembly, PatchGen.Runtime, the framework) resolves to the copy the process already runs, so the
/// patch's code works on the very types and objects of the running base.
/// </summary>
internal sealed class PatchLoadContext : AssemblyLoadContext
{
    public PatchLoadContext(string patchId)
        : base("PatchGen patch " + patchId, isCollectible: true)
    {
    }

    protected override Assembly? Load(AssemblyName assemblyName) => null;
}
