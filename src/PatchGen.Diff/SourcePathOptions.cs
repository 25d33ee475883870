namespace PatchGen.Diff;

/// <summary>
/// How diagnostics name source files. By default relative to the project, for people reading a
/// report; with <see cref="FullPaths"/> as full paths, which MSBuild and IDEs need to link a
/// diagnostic to its source. A deterministic (CI) build records paths the compiler mapped
/// (<c>-pathmap:/src/app/=/_/</c>, MSBuild's <c>$(PathMap)</c>): given the same map, sources are read
/// from, and reported as, the files on this machine.
/// </summary>
public sealed class SourcePathOptions
{
    private readonly List<(string Local, string Mapped)> _map = new();
    private readonly string? _pathMap;

    public static SourcePathOptions Default { get; } = new();

    /// <summary>Report files by their full path, not relative to their project.</summary>
    public bool FullPaths { get; init; }

    /// <summary>The compiler's path map, <c>local=mapped</c> pairs separated by commas.</summary>
    public string? PathMap
    {
        get => _pathMap;
        init
        {
            _pathMap = value;
            _map.Clear();
            foreach (var entry in (value ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                int equals = entry.IndexOf('=', StringComparison.Ordinal);
                if (equals > 0 && equals < entry.Length - 1)
                    _map.Add((entry[..equals], entry[(equals + 1)..]));
            }
            // The longest mapped prefix wins, as the compiler applies the most specific mapping.
            _map.Sort((a, b) => b.Mapped.Length.CompareTo(a.Mapped.Length));
        }
    }

    /// <summary>The file on this machine that a path recorded in a PDB names.</summary>
    internal string ToLocal(string recorded)
    {
        foreach (var (local, mapped) in _map)
        {
            if (recorded.StartsWith(mapped, StringComparison.Ordinal))
                return Path.GetFullPath(local + recorded[mapped.Length..]);
        }
        return recorded;
    }
}
