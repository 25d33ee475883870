using System.Globalization;

namespace PatchGen.Runtime.Consistency;

/// <summary>
/// The address ranges of files mapped into this process (<c>/proc/self/maps</c>): code there was
/// precompiled (ReadyToRun code of an assembly image, or native code), not compiled by the JIT, which
/// writes its code to anonymous memory. Lets a stack snapshot tell a frame of precompiled framework code
/// (which the runtime's events never describe) from JIT-compiled code whose event has not arrived yet.
/// Outside Linux nothing is known, and every unnamed frame counts as unknown.
/// </summary>
internal sealed class ImageRanges
{
    private readonly (ulong Start, ulong End, string Path)[] _ranges;

    private ImageRanges((ulong, ulong, string)[] ranges) => _ranges = ranges;

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
                if (fields.Length < 6 || !fields[5].StartsWith('/') || fields[1].Length < 3 || fields[1][2] != 'x')
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
