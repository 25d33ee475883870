using PatchGen.Instrumentation;

namespace PatchGen.Emit;

/// <summary>
/// How the patch module finds the assemblies it references when Cecil needs one to write it (an enum
/// constant is written as its underlying type, so a parameter default of a dependency's enum needs that
/// dependency): beside the base and beside the fix, then the shared framework. Not the current folder: the
/// same command used to give a patch or "Failed to resolve assembly" depending on where it was run (issue 12).
/// Strict, unlike the instrumenter's: a dependency that cannot be found is named in the error.
/// </summary>
internal static class PatchAssemblyResolver
{
    /// <summary>A resolver over the folders of the inputs of a build: where their own dependencies are.</summary>
    public static BuildFolderResolver ForInputs(params string[] inputPaths)
        => new(inputPaths.Select(p => Path.GetDirectoryName(Path.GetFullPath(p))!));
}
