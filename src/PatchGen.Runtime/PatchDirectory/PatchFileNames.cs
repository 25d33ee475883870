namespace PatchGen.Runtime.PatchDirectory;

/// <summary>
/// Which entries of a patch directory are patches, and in which order they apply (docs/patch-directory.md).
/// Shared with <c>patchgen install|uninstall|list --dir</c>, so the tool and the runtime never disagree.
/// </summary>
internal static class PatchFileNames
{
    /// <summary>The only extension the runtime reads: a writer's temporary names never end in it.</summary>
    public const string Extension = ".dll";

    /// <summary>
    /// File names compare ordinally (byte by byte of their UTF-16 form), whatever the culture of the
    /// process: the order must be the same on every machine of a fleet.
    /// </summary>
    public static StringComparer Order => StringComparer.Ordinal;

    /// <summary>
    /// A <c>*.dll</c> name that does not start with a dot. Dot names are where writers stage files
    /// (<c>.fix.dll.tmp</c>, <c>patchgen install</c>'s own temporaries) and where Kubernetes keeps the
    /// machinery of a ConfigMap or Secret volume (<c>..data</c>, <c>..2026_12_05_...</c>).
    /// </summary>
    public static bool IsPatchFileName(string name)
        => name.Length > Extension.Length
           && name.EndsWith(Extension, StringComparison.OrdinalIgnoreCase)
           && name[0] != '.';
}
