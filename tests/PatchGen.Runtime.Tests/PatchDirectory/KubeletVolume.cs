using System.Runtime.InteropServices;

namespace PatchGen.Runtime.Tests.PatchDirectory;

/// <summary>
/// Writes a folder exactly as the kubelet's AtomicWriter (pkg/volume/util/atomic_writer.go) updates a
/// ConfigMap or Secret volume (its steps 5 to 12): the files go into a new timestamped folder; a
/// symbolic link <c>..data_tmp</c> to it is renamed over <c>..data</c> (one rename(2): the update); the
/// visible names are links <c>name -&gt; ..data/name</c>, created for new keys after the swap; then the
/// names of dropped keys are removed, and last the old timestamped folder.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
internal static class KubeletVolume
{
    private const string DataLink = "..data";
    private const string NewDataLink = "..data_tmp";

    [DllImport("libc", SetLastError = true)]
    private static extern int rename(string oldPath, string newPath);

    /// <summary>Makes the volume hold exactly <paramref name="files"/>; <paramref name="update"/> numbers the timestamped folder.</summary>
    public static void Write(string volume, IReadOnlyDictionary<string, byte[]> files, int update)
    {
        Directory.CreateDirectory(volume);
        var dataLink = Path.Combine(volume, DataLink);
        var previous = new FileInfo(dataLink).LinkTarget;
        var previousNames = previous is null ? new List<string>() : Directory.GetFiles(Path.Combine(volume, previous)).Select(Path.GetFileName).OfType<string>().ToList();

        // 1. The payload, in a folder only the kubelet knows about yet.
        var stamped = $"..2026_12_05_10_{update:D2}_00.{update:D9}";
        var stampedPath = Path.Combine(volume, stamped);
        Directory.CreateDirectory(stampedPath);
        foreach (var (name, bytes) in files)
        {
            var path = Path.Combine(stampedPath, name);
            File.WriteAllBytes(path, bytes);
            File.SetUnixFileMode(path, (UnixFileMode)0b110_100_100); // defaultMode 0644
        }
        File.SetUnixFileMode(stampedPath, (UnixFileMode)0b111_101_101);

        // 2-3. ..data_tmp -> the new folder, renamed over ..data: every visible name now reads the new payload.
        var newDataLink = Path.Combine(volume, NewDataLink);
        File.CreateSymbolicLink(newDataLink, stamped);
        if (rename(newDataLink, dataLink) != 0)
            throw new IOException($"rename {newDataLink} {dataLink}: errno {Marshal.GetLastPInvokeError()}");

        // 4. Visible names of new keys.
        foreach (var name in files.Keys)
        {
            var visible = Path.Combine(volume, name);
            if (new FileInfo(visible).LinkTarget is null)
                File.CreateSymbolicLink(visible, Path.Combine(DataLink, name));
        }

        // 5. The visible names of keys the update dropped (they dangle since the swap), 6. the old payload.
        foreach (var name in previousNames.Where(n => !files.ContainsKey(n)))
            File.Delete(Path.Combine(volume, name));
        if (previous is not null)
            Directory.Delete(Path.Combine(volume, previous), recursive: true);
    }
}
