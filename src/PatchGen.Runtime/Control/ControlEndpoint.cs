using System.Globalization;
using System.Runtime.Versioning;

namespace PatchGen.Runtime.Control;

/// <summary>
/// Where the control channel of a process lives (docs/control-channel.md): a Unix domain socket
/// <c>&lt;dir&gt;/patchgen-&lt;pid&gt;.sock</c> on Linux and macOS, a named pipe <c>patchgen-&lt;pid&gt;</c> on
/// Windows, and the checks that keep the socket's folder private to the process's user.
/// </summary>
internal static class ControlEndpoint
{
    private const UnixFileMode OwnerOnlyDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const int GroupOrOtherBits = 0b000_111_111; // 0077

    /// <summary>
    /// Replaces the folder for this process (both ends), so tests use their own folder without
    /// changing the environment, which other code in the process reads too.
    /// </summary>
    internal static string? DirectoryOverride { get; set; }

    /// <summary><c>$PATCHGEN_CONTROL_DIR</c>, else <c>&lt;temp&gt;/patchgen-&lt;uid&gt;</c>, <c>&lt;temp&gt;</c> being <c>$TMPDIR</c> or <c>/tmp</c>.</summary>
    [UnsupportedOSPlatform("windows")]
    public static string Directory
    {
        get
        {
            var configured = DirectoryOverride ?? NonEmpty(Environment.GetEnvironmentVariable("PATCHGEN_CONTROL_DIR"));
            if (configured is not null)
                return Path.GetFullPath(configured);
            var temp = NonEmpty(Environment.GetEnvironmentVariable("TMPDIR")) ?? "/tmp";
            return Path.Combine(Path.GetFullPath(temp), "patchgen-" + UnixNative.EffectiveUserId().ToString(CultureInfo.InvariantCulture));
        }
    }

    [UnsupportedOSPlatform("windows")]
    public static string SocketPath(int pid) => SocketPath(Directory, pid);

    public static string SocketPath(string directory, int pid)
        => Path.Combine(directory, "patchgen-" + pid.ToString(CultureInfo.InvariantCulture) + ".sock");

    public static string PipeName(int pid) => "patchgen-" + pid.ToString(CultureInfo.InvariantCulture);

    /// <summary>The endpoint of <paramref name="pid"/> on this OS: the socket path, or the pipe name on Windows.</summary>
    public static string For(int pid) => OperatingSystem.IsWindows() ? PipeName(pid) : SocketPath(pid);

    /// <summary>
    /// Creates <paramref name="directory"/> with mode 0700 if it does not exist, then refuses it
    /// (<see cref="ControlChannelException"/>) unless it is a directory, not a symbolic link, owned by
    /// the effective user, with no access for group or others: anyone who can write there could put
    /// their own socket in place of ours.
    /// </summary>
    [UnsupportedOSPlatform("windows")]
    public static void PrepareDirectory(string directory)
    {
        try
        {
            if (!Path.Exists(directory) && !IsSymbolicLink(directory))
                System.IO.Directory.CreateDirectory(directory, OwnerOnlyDirectory);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ControlChannelException($"cannot create the control folder {directory}: {e.Message}", e);
        }
        var problem = FindProblem(directory);
        if (problem is not null)
            throw new ControlChannelException($"refusing the control folder {directory}: it {problem}");
    }

    /// <summary>Why <paramref name="directory"/> cannot be a control folder of this user (null when it can): both ends check it.</summary>
    [UnsupportedOSPlatform("windows")]
    internal static string? FindProblem(string directory)
    {
        try
        {
            uint user = UnixNative.EffectiveUserId();
            if (UnixNative.TryStatWithoutFollowing(directory) is var (owner, type, mode))
            {
                if (type != UnixNative.DirectoryType)
                    return "is not a directory";
                if (owner != user)
                    return $"is owned by uid {owner}, not by this process's user (uid {user})";
                if ((mode & GroupOrOtherBits) != 0)
                    return $"has mode {Convert.ToString(mode, 8)}; it must give no access to group or others (chmod 700)";
                return null;
            }
            // No statx (macOS, a filtering sandbox): .NET cannot tell the owner, so only type and mode
            // are checked; a folder we can write that gives nobody else access is ours unless we are root.
            if (IsSymbolicLink(directory) || !System.IO.Directory.Exists(directory))
                return "is not a directory";
            var unixMode = (int)File.GetUnixFileMode(directory);
            if ((unixMode & GroupOrOtherBits) != 0)
                return $"has mode {Convert.ToString(unixMode, 8)}; it must give no access to group or others (chmod 700)";
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "cannot be examined: " + e.Message;
        }
    }

    /// <summary>
    /// Why the socket at <paramref name="path"/> cannot be this user's control socket (null when it can):
    /// it must be a socket, owned by the effective user, with no access for group or others. Null also
    /// where the OS cannot say who owns it (the folder and the peer's credentials are checked anyway).
    /// </summary>
    [UnsupportedOSPlatform("windows")]
    internal static string? FindSocketProblem(string path)
    {
        try
        {
            if (UnixNative.TryStatWithoutFollowing(path) is not var (owner, type, mode))
                return null;
            uint user = UnixNative.EffectiveUserId();
            if (type != UnixNative.SocketType)
                return "is not a socket";
            if (owner != user)
                return $"is owned by uid {owner}, not by this process's user (uid {user})";
            if ((mode & GroupOrOtherBits) != 0)
                return $"has mode {Convert.ToString(mode, 8)}; a control socket gives no access to group or others";
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "cannot be examined: " + e.Message;
        }
    }

    // readlink on the path itself: null for anything that is not a link, including nothing at all.
    private static bool IsSymbolicLink(string path) => new FileInfo(path).LinkTarget is not null;

    private static string? NonEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
