namespace PatchGen.Cli.Demo;

/// <summary>Finds a sample of the repository's <c>testdata/apps</c> by walking up from the current folder and from the tool's own folder.</summary>
internal static class SampleLocator
{
    /// <returns>The full path of <paramref name="relativePath"/> (a file or a folder) under the first folder that has it, or null.</returns>
    public static string? Find(string relativePath)
    {
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir != null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, relativePath);
                if (File.Exists(candidate) || Directory.Exists(candidate))
                    return candidate;
            }
        }
        return null;
    }
}
