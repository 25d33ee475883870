using System.Runtime.InteropServices;
using Mono.Cecil;

namespace PatchGen.Instrumentation;

/// <summary>
/// Finds referenced assemblies in the given build folders, then in the shared framework of the running
/// runtime. Never in the current folder or "bin", Cecil's defaults: what a command does must not depend on
/// where it happens to run.
/// </summary>
internal class BuildFolderResolver : DefaultAssemblyResolver
{
    public BuildFolderResolver(IEnumerable<string> buildFolders)
    {
        foreach (var directory in GetSearchDirectories())
            RemoveSearchDirectory(directory);
        foreach (var folder in buildFolders.Distinct(StringComparer.Ordinal))
            AddSearchDirectory(folder);
        AddSearchDirectory(RuntimeEnvironment.GetRuntimeDirectory());
    }
}
