using System.Buffers;
using System.Buffers.Text;
using System.Text;

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
        byte[]? maps = null;
        try
        {
            maps = ReadWhole("/proc/self/maps", out int length);
            return new ImageRanges(Parse(maps.AsSpan(0, length)));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new ImageRanges(Array.Empty<(ulong, ulong, string)>());
        }
        finally
        {
            if (maps is not null)
                ArrayPool<byte>.Shared.Return(maps);
        }
    }

    /// <summary>
    /// The executable file mappings of a maps file's text, sorted. Read as bytes, and only the lines of executable
    /// mappings decoded: a service's process has about a thousand mappings, and splitting every line into strings
    /// took 1–6 ms of each stack snapshot (docs/benchmarks.md, "Transitions").
    /// </summary>
    internal static (ulong, ulong, string)[] Parse(ReadOnlySpan<byte> maps)
    {
        var ranges = new List<(ulong, ulong, string)>();
        while (!maps.IsEmpty)
        {
            int newline = maps.IndexOf((byte)'\n');
            ReadOnlySpan<byte> line = newline < 0 ? maps : maps[..newline];
            maps = newline < 0 ? default : maps[(newline + 1)..];
            // start-end perms offset dev inode path
            if (Field(ref line) is not { Length: > 0 } addresses || Field(ref line) is not { Length: >= 3 } perms || perms[2] != (byte)'x')
                continue;
            Field(ref line); // offset
            Field(ref line); // dev
            Field(ref line); // inode
            line = line.Trim((byte)' ');
            if (line.IsEmpty || line[0] != (byte)'/' || line.StartsWith(MemoryFilePrefixBytes))
                continue;
            int dash = addresses.IndexOf((byte)'-');
            if (dash < 0
                || !Utf8Parser.TryParse(addresses[..dash], out ulong start, out int used, 'x') || used != dash
                || !Utf8Parser.TryParse(addresses[(dash + 1)..], out ulong end, out used, 'x') || used != addresses.Length - dash - 1)
                continue;
            ranges.Add((start, end, Encoding.UTF8.GetString(line)));
        }
        ranges.Sort();
        return ranges.ToArray();
    }

    private static readonly byte[] MemoryFilePrefixBytes = Encoding.ASCII.GetBytes(MemoryFilePrefix);

    /// <summary>The next space-separated field of <paramref name="line"/>, which is left after it.</summary>
    private static ReadOnlySpan<byte> Field(ref ReadOnlySpan<byte> line)
    {
        line = line.TrimStart((byte)' ');
        int space = line.IndexOf((byte)' ');
        ReadOnlySpan<byte> field = space < 0 ? line : line[..space];
        line = space < 0 ? default : line[space..];
        return field;
    }

    /// <summary>A file of the proc file system, whose length is not known before it is read, into a pooled buffer.</summary>
    private static byte[] ReadWhole(string path, out int length)
    {
        using var file = File.OpenHandle(path, FileMode.Open, FileAccess.Read);
        byte[] buffer = ArrayPool<byte>.Shared.Rent(128 * 1024);
        length = 0;
        while (true)
        {
            if (length == buffer.Length)
            {
                byte[] larger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                buffer.AsSpan(0, length).CopyTo(larger);
                ArrayPool<byte>.Shared.Return(buffer);
                buffer = larger;
            }
            int read = RandomAccess.Read(file, buffer.AsSpan(length), length);
            if (read == 0)
                return buffer;
            length += read;
        }
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
