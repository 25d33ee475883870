namespace PatchGen.SourcePatching;

/// <summary>
/// Which project of a source tree a file belongs to: the project file of the nearest folder at or above
/// it, inside the source root. That is how the SDK's default globs see a tree (a project compiles every
/// source file below its folder, and a nested project's folder is its own), and it needs no build.
/// </summary>
internal static class ProjectOwnership
{
    public static readonly string[] ProjectExtensions = { ".csproj", ".fsproj", ".vbproj" };

    public static bool IsProjectFile(string path)
        => ProjectExtensions.Contains(Path.GetExtension(path), StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// The project files of the nearest folder above <paramref name="relativePath"/> (relative to
    /// <paramref name="sourceRoot"/>, which may not exist yet for a file a diff adds) that has any, in
    /// ordinal order; empty when no folder up to the source root has one.
    /// </summary>
    public static IReadOnlyList<string> ProjectsOwning(string sourceRoot, string relativePath)
    {
        var root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(sourceRoot));
        var file = Path.GetFullPath(Path.Combine(root, relativePath));
        for (var folder = Path.GetDirectoryName(file); folder is not null && IsAtOrBelow(folder, root); folder = Path.GetDirectoryName(folder))
        {
            if (!Directory.Exists(folder))
                continue;
            var projects = Directory.EnumerateFiles(folder).Where(IsProjectFile).OrderBy(p => p, StringComparer.Ordinal).ToList();
            if (projects.Count > 0)
                return projects;
        }
        return Array.Empty<string>();
    }

    private static bool IsAtOrBelow(string folder, string root)
        => string.Equals(folder, root, StringComparison.Ordinal) || folder.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal);
}
