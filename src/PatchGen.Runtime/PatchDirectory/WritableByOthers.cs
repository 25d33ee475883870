using System.Globalization;
using PatchGen.Runtime.Control;

namespace PatchGen.Runtime.PatchDirectory;

/// <summary>
/// Who can write a patch directory can patch the process (docs/patch-directory.md, "Threat model"), so
/// the runtime refuses a folder, a patch file, or a folder holding one, that a user other than this
/// process's user or root could change: owned by someone else, or writable by group or others.
/// Above them, every ancestor must be owned by this user or root and not writable by group or others
/// unless it is sticky (<c>/tmp</c>: others may add entries there but not rename or remove ours).
/// Where the OS cannot tell owners (statx is Linux only), only the modes are checked; on Windows
/// nothing is (ACLs are out of scope).
/// </summary>
internal static class WritableByOthers
{
    private const int GroupOrOtherWrite = 0b000_010_010; // 0022
    private const int Sticky = 0b001_000_000_000;        // 01000

    /// <summary>Why <paramref name="realFolder"/> (a canonical path) or one of its ancestors could be changed by another user; null when it cannot.</summary>
    public static string? FolderProblem(string realFolder, IDictionary<string, string?> ancestorCache)
    {
        if (OperatingSystem.IsWindows())
            return null;
        return Problem(realFolder, allowSticky: false) ?? AncestorProblem(realFolder, ancestorCache);
    }

    /// <summary>
    /// Why the patch file <paramref name="realFile"/> (a canonical path, links resolved) could be
    /// changed by another user: the file itself, and the folder that really holds it when that is not
    /// <paramref name="realFolder"/> (a Kubernetes volume keeps its files in <c>..2026_.../</c>).
    /// </summary>
    public static string? FileProblem(string realFile, string realFolder, IDictionary<string, string?> ancestorCache)
    {
        if (OperatingSystem.IsWindows())
            return null;
        var problem = Problem(realFile, allowSticky: false);
        if (problem is not null)
            return problem;
        var holder = Path.GetDirectoryName(realFile);
        if (holder is null || string.Equals(holder, realFolder, StringComparison.Ordinal))
            return null;
        if (!ancestorCache.TryGetValue(holder, out var cached))
            ancestorCache[holder] = cached = Problem(holder, allowSticky: false) ?? AncestorProblem(holder, ancestorCache);
        return cached;
    }

    private static string? AncestorProblem(string path, IDictionary<string, string?> cache)
    {
        var parent = Path.GetDirectoryName(path);
        if (parent is null)
            return null;
        if (!cache.TryGetValue(parent, out var problem))
            cache[parent] = problem = Problem(parent, allowSticky: true) ?? AncestorProblem(parent, cache);
        return problem;
    }

    /// <summary>The one path's owner and mode (not following a link: canonical paths have none).</summary>
    private static string? Problem(string path, bool allowSticky)
    {
        FileStatus? status;
        try
        {
            status = FileStatus.Of(path, followLinks: false);
        }
        catch (IOException e)
        {
            return $"{path} cannot be examined: {e.Message}";
        }
        if (status is null)
            return $"{path} does not exist";
        uint self = UnixNative.EffectiveUserId();
        if (status.Owner is uint owner && owner != self && owner != 0)
            return $"{path} is owned by uid {owner.ToString(CultureInfo.InvariantCulture)}, neither this process's user (uid {self.ToString(CultureInfo.InvariantCulture)}) nor root";
        if ((status.Mode & GroupOrOtherWrite) != 0 && !(allowSticky && (status.Mode & Sticky) != 0))
            return $"{path} is writable by group or others (mode {Convert.ToString(status.Mode, 8)}; chmod go-w)";
        return null;
    }
}
