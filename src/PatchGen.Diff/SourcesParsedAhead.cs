namespace PatchGen.Diff;

/// <summary>
/// The source files of a build's PDB, parsed for their declarations on a thread of their own from the moment the
/// PDB's document table is read, while the builds are still being read and compared: locating the first finding needs
/// them, and on a large build (Roslyn's three generated syntax files, ~2 MB each) parsing them is a tenth of a diff.
/// </summary>
/// <remarks>
/// What is parsed here is what <see cref="SourceLocator"/> would parse itself, keyed by path and text: a document's
/// embedded text, else the file at its local path. The locator takes a file's parse from here only when it is of the
/// very text it is to parse (the same string, or equal), and parses any other file itself, so the declarations found
/// never depend on which thread parsed what, or when: each file's are a function of its path and text
/// (<see cref="SourceLocator.Parse"/>), and the locator merges them in the order of the paths. The thread touches no
/// Cecil object (the document list was decoded from the PDB's own bytes) and nothing of the locator: it only fills
/// <c>_parsed</c>, which the locator reads after waiting for the thread to finish (the task's completion orders the
/// writes before the reads).
/// </remarks>
internal sealed class SourcesParsedAhead
{
    private readonly Task<Dictionary<string, SourceLocator.ParsedSource>> _parsing;
    private readonly CancellationTokenSource _cancellation = new();

    private SourcesParsedAhead(IReadOnlyList<SymbolDocument> documents, SourcePathOptions paths, Task? startAfter)
    {
        Paths = paths;
        var cancellation = _cancellation.Token;
        // A thread of its own (LongRunning), not one of the pool's: the pool starts with one thread per core, which
        // reading the two builds already takes, and would add another only after a delay.
        _parsing = Task.Factory.StartNew(
            () => ParseAll(documents, paths, startAfter, cancellation),
            cancellation,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);
    }

    /// <summary>The path options the files were read with (a locator with other options parses on its own).</summary>
    public SourcePathOptions Paths { get; }

    /// <summary>How many files <see cref="Find"/> gave (for tests: that the parses made here are the ones used).</summary>
    public int FilesFound { get; private set; }

    /// <summary>Starts parsing <paramref name="documents"/> on another thread (after <paramref name="startAfter"/>, for tests that order the threads).</summary>
    public static SourcesParsedAhead Start(IReadOnlyList<SymbolDocument> documents, SourcePathOptions paths, Task? startAfter = null)
        => new(documents, paths, startAfter);

    /// <summary>Waits until every file is parsed (what the locator does before its first lookup).</summary>
    public void Wait() => _parsing.GetAwaiter().GetResult();

    /// <summary>
    /// The parse of the file at <paramref name="path"/> if it was parsed with the same text, after waiting for the
    /// parsing thread; null if not (the caller parses it). A failure of the parsing thread is thrown here, as it would
    /// have been by the caller's own parse.
    /// </summary>
    public SourceLocator.ParsedSource? Find(string path, string text)
    {
        var parsed = _parsing.GetAwaiter().GetResult();
        if (!parsed.TryGetValue(path, out var found) || !string.Equals(found.Source, text, StringComparison.Ordinal))
            return null;
        FilesFound++;
        return found;
    }

    /// <summary>Stops the parsing (the build is disposed: nothing will look anything up).</summary>
    public void Cancel() => _cancellation.Cancel();

    private static Dictionary<string, SourceLocator.ParsedSource> ParseAll(IReadOnlyList<SymbolDocument> documents, SourcePathOptions paths, Task? startAfter, CancellationToken cancellation)
    {
        startAfter?.GetAwaiter().GetResult();
        var parsed = new Dictionary<string, SourceLocator.ParsedSource>(StringComparer.Ordinal);
        foreach (var document in documents)
        {
            cancellation.ThrowIfCancellationRequested();
            if (parsed.ContainsKey(document.Path))
                continue;
            var text = document.EmbeddedText ?? SourceLocator.ReadFile(paths.ToLocal(document.Path));
            if (text != null)
                parsed[document.Path] = SourceLocator.Parse(document.Path, text, cancellation);
        }
        return parsed;
    }
}
