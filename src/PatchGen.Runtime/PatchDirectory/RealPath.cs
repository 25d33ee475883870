using System.Runtime.InteropServices;
using System.Text;

namespace PatchGen.Runtime.PatchDirectory;

/// <summary>
/// The canonical path of a file, every symbolic link on the way resolved (<c>realpath(3)</c>): where a
/// Kubernetes volume's <c>fix.dll -&gt; ..data/fix.dll</c> really is, so that the folder holding the bytes
/// is the one whose writers are checked. .NET resolves only the last component's links.
/// </summary>
internal static class RealPath
{
    private const int PathMax = 4096;

    [DllImport("libc", EntryPoint = "realpath", SetLastError = true)]
    private static extern IntPtr RealPathNative(string path, byte[] resolved);

    /// <summary>The canonical path, or null when it does not exist (or a link dangles).</summary>
    public static string? Of(string path)
    {
        if (OperatingSystem.IsWindows())
            return File.Exists(path) || Directory.Exists(path) ? Path.GetFullPath(path) : null;
        var buffer = new byte[PathMax + 1];
        if (RealPathNative(path, buffer) == IntPtr.Zero)
            return null;
        int length = Array.IndexOf(buffer, (byte)0);
        return Encoding.UTF8.GetString(buffer, 0, length < 0 ? buffer.Length : length);
    }
}
