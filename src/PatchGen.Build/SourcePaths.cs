namespace PatchGen.Build;

/// <summary>
/// MSBuild and IDEs link only absolute paths. The tool is asked for full paths (mapped back to this
/// machine when the compiler mapped them); a relative path that still comes through is the project's.
/// </summary>
internal static class SourcePaths
{
    public static string Resolve(string path, string? projectDirectory)
    {
        try
        {
            if (Path.IsPathRooted(path) || string.IsNullOrEmpty(projectDirectory))
                return path;
            return Path.GetFullPath(Path.Combine(projectDirectory, path));
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            return path;
        }
    }
}
