using System.Globalization;
using System.Text;

namespace PatchGen.Runtime.PatchDirectory;

/// <summary>
/// A cheap summary of the folder, taken by the poll every 2 s without reading a file: the folder's and
/// every patch file's status through links (device, inode, size, times, mode, owner). Any change a scan
/// would see changes it: a new, removed or rewritten file, a <c>chmod</c> (the change time), a folder
/// deleted and created again (its inode), and a Kubernetes <c>..data</c> swap (every visible name now
/// leads to a file with another inode).
/// </summary>
internal sealed record FolderFingerprint(string Text)
{
    public static FolderFingerprint Take(string folder)
    {
        var text = new StringBuilder();
        var status = Status(folder);
        Append(text, ".", status);
        if (status is { IsDirectory: true })
        {
            try
            {
                foreach (var name in Directory.EnumerateFileSystemEntries(folder).Select(Path.GetFileName).OfType<string>()
                             .Where(PatchFileNames.IsPatchFileName).Order(PatchFileNames.Order))
                    Append(text, name, Status(Path.Combine(folder, name)));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                text.Append("unlistable: ").Append(e.Message);
            }
        }
        return new FolderFingerprint(text.ToString());
    }

    /// <summary>A file's status as text, for the scan to tell whether a file changed while it read it.</summary>
    public static string Stamp(FileStatus? status)
        => status is null
            ? "-"
            : string.Join(':',
                status.Device.ToString(CultureInfo.InvariantCulture), status.Inode.ToString(CultureInfo.InvariantCulture),
                status.Size.ToString(CultureInfo.InvariantCulture), status.ModifiedNs.ToString(CultureInfo.InvariantCulture),
                status.ChangedNs.ToString(CultureInfo.InvariantCulture), Convert.ToString(status.Mode, 8),
                status.Owner?.ToString(CultureInfo.InvariantCulture) ?? "?");

    private static FileStatus? Status(string path)
    {
        try
        {
            return FileStatus.Of(path, followLinks: true);
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static void Append(StringBuilder text, string name, FileStatus? status)
        => text.Append(name).Append('=').Append(Stamp(status)).Append('\n');
}
