using System.Text;

namespace PatchGen.SourcePatching;

/// <summary>
/// A unified diff (<c>git diff</c>, <c>diff -u</c>) of one or more files: parsed once, then applied
/// to a folder exactly. Context must match line for line (a hunk may be found some lines away from
/// where it says, but is never fuzzed), and a diff that does not apply changes nothing.
/// Errors are <see cref="PatchGenException"/>s carrying PG0001 that name the patch, the file and
/// the hunk.
/// </summary>
public sealed class UnifiedDiff
{
    private UnifiedDiff(string sourceName, IReadOnlyList<FilePatch> files)
    {
        SourceName = sourceName;
        Files = files;
    }

    /// <summary>What the diff is called in messages: its path, or the name given to <see cref="Parse"/>.</summary>
    public string SourceName { get; }

    public IReadOnlyList<FilePatch> Files { get; }

    /// <summary>
    /// Parses diff text. <paramref name="stripComponents"/> leading path components are removed from
    /// <c>---</c>/<c>+++</c> paths (1, the default, removes git's <c>a/</c> and <c>b/</c>, like <c>patch -p1</c>).
    /// </summary>
    public static UnifiedDiff Parse(string text, string sourceName = "patch", int stripComponents = 1)
    {
        ArgumentNullException.ThrowIfNull(text);
        return new UnifiedDiff(sourceName, UnifiedDiffParser.Parse(text, sourceName, stripComponents));
    }

    /// <summary>Reads and parses a diff file (UTF-8); the file's path names it in messages.</summary>
    public static UnifiedDiff Load(string path, int stripComponents = 1)
    {
        string text;
        try
        {
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(File.ReadAllBytes(path));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or DecoderFallbackException or ArgumentException or NotSupportedException)
        {
            string why = e is DecoderFallbackException ? "it is not UTF-8 text" : e.Message;
            throw SourcePatchError.Create(path, "cannot read the patch: " + why, path, inner: e);
        }
        return Parse(text, path, stripComponents);
    }

    /// <summary>
    /// Applies the diff to the files under <paramref name="directory"/>: all of it, or (on any
    /// error) none of it.
    /// </summary>
    public DiffApplication ApplyTo(string directory) => new DiffApplier(this, directory).Apply();

    public override string ToString() => $"{SourceName} ({Files.Count} file(s))";
}
