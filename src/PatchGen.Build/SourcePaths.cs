namespace PatchGen.Build;

/// <summary>
/// Turns a source path from a PDB into a file on this machine: a path the compiler mapped
/// (<c>$(PathMap)</c>, as deterministic CI builds do: <c>/_/Cart.cs</c>) is mapped back, and a
/// relative one is taken relative to the project. MSBuild and IDEs link only absolute paths.
/// </summary>
internal static class SourcePaths
{
    public static string Resolve(string path, string? projectDirectory, string? pathMap)
    {
        var mapped = Unmap(path, pathMap);
        if (mapped != null)
            return Normalize(mapped);
        if (!IsRooted(path) && !string.IsNullOrEmpty(projectDirectory))
            return Normalize(Path.Combine(projectDirectory, path));
        return path;
    }

    /// <summary>The local path of a mapped one, by the longest mapped prefix; null when none applies.</summary>
    private static string? Unmap(string path, string? pathMap)
    {
        if (string.IsNullOrEmpty(pathMap))
            return null;
        string? best = null;
        int bestLength = -1;
        foreach (var entry in pathMap!.Split(','))
        {
            int equals = entry.IndexOf('=');
            if (equals <= 0)
                continue;
            var local = entry.Substring(0, equals).Trim();
            var mapped = entry.Substring(equals + 1).Trim();
            if (mapped.Length == 0 || mapped.Length <= bestLength || !path.StartsWith(mapped, StringComparison.Ordinal))
                continue;
            best = local + path.Substring(mapped.Length);
            bestLength = mapped.Length;
        }
        return best;
    }

    private static bool IsRooted(string path)
    {
        try
        {
            return Path.IsPathRooted(path);
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static string Normalize(string path)
    {
        try
        {
            return Path.GetFullPath(path);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            return path;
        }
    }
}
