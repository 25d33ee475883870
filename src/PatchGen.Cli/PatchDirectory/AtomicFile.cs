using System.Runtime.InteropServices;

namespace PatchGen.Cli.PatchDirectory;

/// <summary>
/// Changes a patch directory so that a process following it never sees a half-written patch, even
/// after a crash: the bytes go to a temporary name in the same folder (a dot name the runtime ignores),
/// are flushed to disk, and one rename(2) puts them in place; then the folder itself is flushed, so that
/// the rename survives a power cut too.
/// </summary>
internal static class AtomicFile
{
    private const UnixFileMode ReadableByAllWritableByOwner = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    private static extern int OpenNative(string path, int flags);

    [DllImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static extern int FsyncNative(int fd);

    [DllImport("libc", EntryPoint = "close")]
    private static extern int CloseNative(int fd);

    /// <summary>Puts <paramref name="bytes"/> at <paramref name="path"/> (mode 0644), replacing what was there in one step.</summary>
    public static void Write(string path, byte[] bytes)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var temporary = Path.Combine(folder, "." + Path.GetFileName(path) + "." + Guid.NewGuid().ToString("N")[..8] + ".tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                stream.Write(bytes);
                stream.Flush(flushToDisk: true);
            }
            // Whatever the umask: a patch file nobody else may change (the runtime refuses one they could).
            if (!OperatingSystem.IsWindows())
                File.SetUnixFileMode(temporary, ReadableByAllWritableByOwner);
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary))
                File.Delete(temporary);
        }
        SyncFolder(folder);
    }

    /// <summary>Removes <paramref name="path"/> (one unlink) and flushes its folder.</summary>
    public static void Delete(string path)
    {
        File.Delete(path);
        SyncFolder(Path.GetDirectoryName(Path.GetFullPath(path))!);
    }

    /// <summary>fsync on the folder: its entries (the rename) reach the disk. Best effort; .NET has no API for it.</summary>
    private static void SyncFolder(string folder)
    {
        if (OperatingSystem.IsWindows())
            return;
        int fd = OpenNative(folder, 0); // O_RDONLY
        if (fd < 0)
            return;
        try
        {
            FsyncNative(fd);
        }
        finally
        {
            CloseNative(fd);
        }
    }
}
