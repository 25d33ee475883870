using System.Text;

namespace PatchGen.SourcePatching.Tests;

/// <summary>A throw-away folder of files for one test, with byte-exact helpers.</summary>
internal sealed class TempTree : IDisposable
{
    public TempTree(IDictionary<string, string>? files = null)
    {
        Root = Path.Combine(Path.GetTempPath(), "patchgen-tests-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(Root);
        foreach (var (path, content) in files ?? new Dictionary<string, string>())
            Write(path, content);
    }

    public string Root { get; }

    public string PathOf(string relative) => Path.Combine(Root, relative.Replace('/', Path.DirectorySeparatorChar));

    public void Write(string relative, string content)
    {
        var full = PathOf(relative);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllBytes(full, Encoding.UTF8.GetBytes(content));
    }

    public string Read(string relative) => Encoding.UTF8.GetString(File.ReadAllBytes(PathOf(relative)));

    public bool Exists(string relative) => File.Exists(PathOf(relative));

    /// <summary>Every file's relative path and bytes, to prove a failed apply left the tree as it was.</summary>
    public SortedDictionary<string, string> Snapshot()
    {
        var snapshot = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(Root, "*", SearchOption.AllDirectories))
            snapshot[Path.GetRelativePath(Root, file).Replace('\\', '/')] = Convert.ToHexString(File.ReadAllBytes(file));
        foreach (var folder in Directory.EnumerateDirectories(Root, "*", SearchOption.AllDirectories))
            snapshot[Path.GetRelativePath(Root, folder).Replace('\\', '/') + "/"] = "";
        return snapshot;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder must not fail a test.
        }
    }
}
