namespace PatchGen.SourcePatching;

/// <summary>
/// The extended header lines after <c>diff --git</c>: they say what <c>---</c>/<c>+++</c> cannot
/// (an empty file added or deleted, a rename) and are the only description of such changes.
/// </summary>
internal sealed class GitHeader
{
    private static readonly string[] Ignored =
    {
        "index ", "old mode ", "new mode ", "similarity index ", "dissimilarity index ",
    };

    public GitHeader(int line, string paths)
    {
        Line = line;
        Paths = paths;
    }

    /// <summary>1-based line of <c>diff --git</c> in the patch.</summary>
    public int Line { get; }

    /// <summary>What follows <c>diff --git </c>: <c>a/x b/x</c>.</summary>
    public string Paths { get; }

    public bool IsNewFile { get; private set; }

    public bool IsDeletedFile { get; private set; }

    public bool IsCopy { get; private set; }

    public string? RenameFrom { get; private set; }

    public string? RenameTo { get; private set; }

    public bool IsRename => RenameFrom is not null && RenameTo is not null;

    /// <summary>Takes an extended header line; false when <paramref name="line"/> is not one.</summary>
    public bool Extend(string line)
    {
        if (line.StartsWith("new file mode ", StringComparison.Ordinal))
            IsNewFile = true;
        else if (line.StartsWith("deleted file mode ", StringComparison.Ordinal))
            IsDeletedFile = true;
        else if (line.StartsWith("rename from ", StringComparison.Ordinal))
            RenameFrom = line["rename from ".Length..];
        else if (line.StartsWith("rename to ", StringComparison.Ordinal))
            RenameTo = line["rename to ".Length..];
        else if (line.StartsWith("copy from ", StringComparison.Ordinal) || line.StartsWith("copy to ", StringComparison.Ordinal))
            IsCopy = true;
        else if (!Ignored.Any(prefix => line.StartsWith(prefix, StringComparison.Ordinal)))
            return false;
        return true;
    }

    /// <summary>
    /// The path of <c>diff --git a/P b/P</c> with <paramref name="strip"/> components removed from
    /// each side, when both sides agree (the only case where the line is unambiguous, as git says).
    /// </summary>
    public string? SamePath(int strip)
    {
        if (Paths.Length % 2 == 0)
            return null;
        int half = Paths.Length / 2;
        if (Paths[half] != ' ')
            return null;
        string left = Strip(Paths[..half], strip);
        string right = Strip(Paths[(half + 1)..], strip);
        return left.Length > 0 && left == right ? Paths[..half] : null;
    }

    private static string Strip(string path, int strip)
    {
        var parts = path.Split('/');
        return parts.Length <= strip ? "" : string.Join('/', parts.Skip(strip));
    }
}
