namespace PatchGen.SourcePatching;

/// <summary>
/// Copies a source tree without its build outputs. Leaving <c>bin</c> and <c>obj</c> behind makes
/// each copy build from scratch, so that nothing of an earlier build (or of the developer's own
/// checkout) leaks into the assemblies being compared.
/// </summary>
internal static class SourceTreeCopier
{
    private static readonly HashSet<string> Skipped = new(StringComparer.Ordinal) { "bin", "obj", ".git", ".vs", ".idea", "TestResults" };

    public static void Copy(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var entry in new DirectoryInfo(from).EnumerateFileSystemInfos())
        {
            string target = Path.Combine(to, entry.Name);
            if (entry.LinkTarget is { } link)
            {
                // Links are recreated, not followed: a link to a parent folder would copy forever.
                if (entry is DirectoryInfo)
                    Directory.CreateSymbolicLink(target, link);
                else
                    File.CreateSymbolicLink(target, link);
                continue;
            }
            if (entry is DirectoryInfo directory)
            {
                if (!Skipped.Contains(directory.Name))
                    Copy(directory.FullName, target);
                continue;
            }
            File.Copy(entry.FullName, target);
        }
    }
}
