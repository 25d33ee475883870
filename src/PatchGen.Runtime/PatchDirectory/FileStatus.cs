using System.Runtime.InteropServices;

namespace PatchGen.Runtime.PatchDirectory;

/// <summary>
/// What the patch directory needs to know of a path without opening it: type, owner, mode, and an
/// identity that changes whenever the content may have (device and inode, size, modification and
/// change times). <c>statx</c> on Linux, where struct statx has one layout on every architecture;
/// elsewhere what .NET itself can tell (no owner, no inode), which the callers take into account.
/// </summary>
/// <param name="Owner">The owner's uid, or null where the OS cannot tell (not Linux).</param>
/// <param name="FileType">The S_IFMT bits.</param>
/// <param name="Mode">The permission bits (07777).</param>
/// <param name="Device">The device holding it (0 where unknown).</param>
/// <param name="Inode">Its inode (0 where unknown).</param>
/// <param name="Size">Its size in bytes.</param>
/// <param name="ModifiedNs">Its content's last change, in nanoseconds since 1970.</param>
/// <param name="ChangedNs">Its last change of content or status (mode, owner, links), in nanoseconds since 1970.</param>
internal sealed record FileStatus(uint? Owner, int FileType, int Mode, ulong Device, ulong Inode, long Size, long ModifiedNs, long ChangedNs)
{
    public const int TypeMask = 0xF000;
    public const int RegularFileType = 0x8000;
    public const int DirectoryType = 0x4000;
    public const int SymbolicLinkType = 0xA000;

    private const int AtFdCwd = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const uint StatxBasicStats = 0x7FF;
    private const int StatxSize = 256;
    private const int ENOENT = 2, EPERM = 1, ENOTDIR = 20, ENOSYS = 38, ELOOP = 40;

    private static volatile bool s_noStatx;

    public bool IsDirectory => FileType == DirectoryType;

    public bool IsRegularFile => FileType == RegularFileType;

    [DllImport("libc", EntryPoint = "statx", SetLastError = true)]
    private static extern int StatxNative(int directoryFd, string path, int flags, uint mask, byte[] buffer);

    /// <summary>
    /// The status of <paramref name="path"/> (of the link itself when <paramref name="followLinks"/> is
    /// false), or null when nothing is there (or a link in the way dangles).
    /// </summary>
    /// <exception cref="IOException">The path exists but cannot be examined.</exception>
    public static FileStatus? Of(string path, bool followLinks)
    {
        if (OperatingSystem.IsLinux() && !s_noStatx)
        {
            var buffer = new byte[StatxSize];
            int result;
            try
            {
                result = StatxNative(AtFdCwd, path, followLinks ? 0 : AtSymlinkNoFollow, StatxBasicStats, buffer);
            }
            catch (EntryPointNotFoundException)
            {
                s_noStatx = true; // glibc older than 2.28
                return Portable(path, followLinks);
            }
            if (result != 0)
            {
                int errno = Marshal.GetLastPInvokeError();
                if (errno is ENOENT or ENOTDIR or ELOOP)
                    return null;
                if (errno is ENOSYS or EPERM)
                {
                    s_noStatx = true; // a sandbox that filters the call
                    return Portable(path, followLinks);
                }
                throw new IOException($"{path}: statx failed (errno {errno})");
            }
            int mode = BitConverter.ToUInt16(buffer, 28);
            return new FileStatus(
                Owner: BitConverter.ToUInt32(buffer, 20),
                FileType: mode & TypeMask,
                Mode: mode & 0xFFF,
                Device: ((ulong)BitConverter.ToUInt32(buffer, 136) << 32) | BitConverter.ToUInt32(buffer, 140),
                Inode: BitConverter.ToUInt64(buffer, 32),
                Size: (long)BitConverter.ToUInt64(buffer, 40),
                ModifiedNs: Nanoseconds(buffer, 112),
                ChangedNs: Nanoseconds(buffer, 96));
        }
        return Portable(path, followLinks);
    }

    private static long Nanoseconds(byte[] buffer, int offset)
        => BitConverter.ToInt64(buffer, offset) * 1_000_000_000L + BitConverter.ToUInt32(buffer, offset + 8);

    /// <summary>What .NET can tell without statx: no owner, no inode (macOS, Windows, a filtering sandbox).</summary>
    private static FileStatus? Portable(string path, bool followLinks)
    {
        if (!followLinks && new FileInfo(path).LinkTarget is not null)
            return new FileStatus(null, SymbolicLinkType, 0x1FF, 0, 0, 0, 0, 0);
        // Exists, the times and the length below all follow links.
        if (Directory.Exists(path))
        {
            var directory = new DirectoryInfo(path);
            long changed = Ticks(directory.LastWriteTimeUtc);
            return new FileStatus(null, DirectoryType, PortableMode(path), 0, 0, 0, changed, changed);
        }
        if (File.Exists(path))
        {
            var file = new FileInfo(path);
            if (file.LinkTarget is not null && file.ResolveLinkTarget(returnFinalTarget: true) is FileInfo target)
                file = target;
            long modified = Ticks(file.LastWriteTimeUtc);
            return new FileStatus(null, RegularFileType, PortableMode(path), 0, 0, file.Length, modified, modified);
        }
        return null;
    }

    private static int PortableMode(string path) => OperatingSystem.IsWindows() ? 0 : (int)File.GetUnixFileMode(path);

    private static long Ticks(DateTime utc) => (utc.Ticks - DateTime.UnixEpoch.Ticks) * 100;
}
