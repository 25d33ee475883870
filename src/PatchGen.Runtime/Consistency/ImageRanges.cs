using System.Globalization;

namespace PatchGen.Runtime.Consistency;

/// <summary>
/// The address ranges of files mapped into this process (<c>/proc/self/maps</c>): code there was
/// precompiled (ReadyToRun code of an assembly image, or native code), not compiled by the JIT, which
/// writes its code to anonymous memory. Lets a stack snapshot tell a frame of precompiled framework code
/// (which the runtime's events never describe) from JIT-compiled code whose event has not arrived yet.
/// Outside Linux nothing is known, and every unnamed frame counts as unknown.
/// <para>
/// Memory files (<c>/memfd:…</c>) are not images: with W^X on (the default since .NET 7) the JIT's code heap
/// is mapped executable from <c>/memfd:doublemapper</c>, so taking every executable file mapping for an
/// image would take freshly jitted code for precompiled code, and let a frame of a changed function whose
/// compilation the runtime's events have not described yet pass unseen. Snapshots used to take ~100 ms, by
/// which time those events had nearly always arrived; the few-ms file-session snapshots exposed it
/// (a transition certified while a thread was still inside a just-compiled old function, once in a full
/// run of the runtime tests).
/// </para>
/// </summary>
internal sealed class ImageRanges
{
    private readonly (ulong Start, ulong End, string Path)[] _ranges;

    private ImageRanges((ulong, ulong, string)[] ranges) => _ranges = ranges;

    /// <summary>How <c>/proc/self/maps</c> names a mapping of a <c>memfd_create</c> file (the JIT's double-mapped code heap among them).</summary>
    internal const string MemoryFilePrefix = "/memfd:";

    public static ImageRanges Read()
    {
        if (!OperatingSystem.IsLinux())
            return new ImageRanges(Array.Empty<(ulong, ulong, string)>());
        var ranges = new List<(ulong, ulong, string)>();
        try
        {
            foreach (var line in File.ReadLines("/proc/self/maps"))
            {
                // start-end perms offset dev inode path
                var fields = line.Split(' ', 6, StringSplitOptions.RemoveEmptyEntries);
                if (fields.Length < 6 || !fields[5].StartsWith('/') || fields[5].StartsWith(MemoryFilePrefix, StringComparison.Ordinal) || fields[1].Length < 3 || fields[1][2] != 'x')
                    continue;
                int dash = fields[0].IndexOf('-');
                if (dash < 0
                    || !ulong.TryParse(fields[0].AsSpan(0, dash), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var start)
                    || !ulong.TryParse(fields[0].AsSpan(dash + 1), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var end))
                    continue;
                ranges.Add((start, end, fields[5].Trim()));
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            ranges.Clear();
        }
        ranges.Sort();
        return new ImageRanges(ranges.ToArray());
    }

    public bool ContainsPrecompiled(ulong address) => FileAt(address) is not null;

    /// <summary>The file mapped at <paramref name="address"/>, or null for anonymous memory (JIT-compiled code).</summary>
    public string? FileAt(ulong address)
    {
        int low = 0, high = _ranges.Length - 1;
        while (low <= high)
        {
            int middle = (low + high) >>> 1;
            var (start, end, path) = _ranges[middle];
            if (address < start)
                high = middle - 1;
            else if (address >= end)
                low = middle + 1;
            else
                return path;
        }
        return null;
    }
}
