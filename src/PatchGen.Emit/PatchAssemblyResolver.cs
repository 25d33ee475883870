using System.Runtime.InteropServices;
using Mono.Cecil;

namespace PatchGen.Emit;

/// <summary>
/// How the patch module finds the assemblies it references when Cecil needs one to write it (an enum
/// constant is written as its underlying type, so a parameter default of a dependency's enum needs that
/// dependency): beside the base and beside the fix, then the shared framework of the running runtime. Never
/// the current folder, Cecil's default: the same command gave a patch or "Failed to resolve assembly"
/// depending on where it was run from (issue 12).
/// </summary>
internal sealed class PatchAssemblyResolver : DefaultAssemblyResolver
{
    public PatchAssemblyResolver(IEnumerable<string> buildFolders)
    {
        foreach (var directory in GetSearchDirectories())
            RemoveSearchDirectory(directory);
        foreach (var folder in buildFolders.Distinct(StringComparer.Ordinal))
            AddSearchDirectory(folder);
        AddSearchDirectory(RuntimeEnvironment.GetRuntimeDirectory());
    }

    /// <summary>The folders of the inputs of a build: where their own dependencies are.</summary>
    public static PatchAssemblyResolver ForInputs(params string[] inputPaths)
        => new(inputPaths.Select(p => Path.GetDirectoryName(Path.GetFullPath(p))!));
}
