using System.Runtime.InteropServices;

namespace PatchGen.Runtime.Control;

/// <summary>
/// The few libc calls the control channel needs and .NET does not expose: the effective uid (to compare
/// with SO_PEERCRED) and the owner of a folder. Classic <c>DllImport</c> with blittable arguments, so the
/// runtime needs no unsafe code.
/// </summary>
internal static class UnixNative
{
    private const int AtFdCwd = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const uint StatxType = 0x1, StatxMode = 0x2, StatxUid = 0x8;
    private const int StatxSize = 256;
    private const int StatxUidOffset = 20, StatxModeOffset = 28;
    private const int FileTypeMask = 0xF000;

    /// <summary>The S_IFDIR file type bits.</summary>
    public const int DirectoryType = 0x4000;

    /// <summary>The S_IFSOCK file type bits.</summary>
    public const int SocketType = 0xC000;

    [DllImport("libc", EntryPoint = "geteuid")]
    private static extern uint GetEffectiveUserIdNative();

    // statx, not stat: struct stat differs between architectures (and glibc before 2.33 exports no
    // plain `stat` symbol), while struct statx has one layout everywhere on Linux.
    [DllImport("libc", EntryPoint = "statx", SetLastError = true)]
    private static extern int StatxNative(int directoryFd, string path, int flags, uint mask, byte[] buffer);

    public static uint EffectiveUserId() => GetEffectiveUserIdNative();

    /// <summary>
    /// Owner, file type and mode of <paramref name="path"/> itself (a symbolic link is not followed), or
    /// null where statx is not available (not Linux, or a sandbox that filters the system call).
    /// </summary>
    public static (uint Owner, int FileType, int Mode)? TryStatWithoutFollowing(string path)
    {
        if (!OperatingSystem.IsLinux())
            return null;
        var buffer = new byte[StatxSize];
        int result;
        try
        {
            result = StatxNative(AtFdCwd, path, AtSymlinkNoFollow, StatxType | StatxMode | StatxUid, buffer);
        }
        catch (EntryPointNotFoundException)
        {
            return null; // glibc older than 2.28
        }
        if (result != 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            const int ENOENT = 2, EPERM = 1, ENOSYS = 38;
            if (errno is ENOSYS or EPERM)
                return null;
            if (errno == ENOENT)
                throw new FileNotFoundException("no such file or directory", path);
            throw new IOException($"{path}: statx failed (errno {errno})");
        }
        uint owner = BitConverter.ToUInt32(buffer, StatxUidOffset);
        int mode = BitConverter.ToUInt16(buffer, StatxModeOffset);
        return (owner, mode & FileTypeMask, mode & 0xFFF);
    }
}
