using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace PatchGen.TestSupport;

/// <summary>
/// The exact output of a function over a large input, pinned by its SHA-256 and line count: a test
/// that records what a function gives today, so that a rewrite of it can be shown to give the same.
/// The dump itself is too large to commit; with <c>PATCHGEN_PIN_DUMP</c> set to a folder, every
/// dump is also written there (as <c>name.txt</c>), to find what changed.
/// </summary>
public sealed class PinnedDump : IDisposable
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly StreamWriter? _file;
    private readonly SortedSet<string>? _sorted;

    /// <param name="name">What is pinned, also the dump's file name.</param>
    /// <param name="sorted">Lines are kept, deduplicated and sorted before hashing (for inputs gathered in bulk); otherwise hashed in order.</param>
    public PinnedDump(string name, bool sorted = false)
    {
        Name = name;
        if (sorted)
            _sorted = new SortedSet<string>(StringComparer.Ordinal);
        if (Environment.GetEnvironmentVariable("PATCHGEN_PIN_DUMP") is { Length: > 0 } folder)
        {
            Directory.CreateDirectory(folder);
            _file = new StreamWriter(Path.Combine(folder, name + ".txt"), false, new UTF8Encoding(false));
        }
    }

    public string Name { get; }

    public int Count { get; private set; }

    public void Add(string line)
    {
        if (_sorted is not null)
        {
            _sorted.Add(line);
            return;
        }
        Write(line);
    }

    private void Write(string line)
    {
        _hash.AppendData(Encoding.UTF8.GetBytes(line));
        _hash.AppendData("\n"u8);
        _file?.WriteLine(line);
        Count++;
    }

    /// <summary>The SHA-256 of the lines, each followed by '\n', and how many there are: <c>hash/count</c>.</summary>
    public string Finish()
    {
        if (_sorted is not null)
        {
            foreach (var line in _sorted)
                Write(line);
            _sorted.Clear();
        }
        _file?.Flush();
        return Convert.ToHexString(_hash.GetHashAndReset()).ToLowerInvariant()[..32] + "/" + Count.ToString(CultureInfo.InvariantCulture);
    }

    public void Dispose()
    {
        _hash.Dispose();
        _file?.Dispose();
    }
}
