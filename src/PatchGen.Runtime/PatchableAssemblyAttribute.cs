namespace PatchGen.Runtime;

/// <summary>
/// Marks an assembly rewritten by <c>patchgen instrument</c> (or the MSBuild task): every method with an
/// IL body carries a patch site. The diff engine looks for this attribute by name (PG0003).
/// </summary>
[AttributeUsage(AttributeTargets.Assembly, AllowMultiple = false)]
public sealed class PatchableAssemblyAttribute : Attribute
{
    /// <param name="siteCount">How many patch sites the assembly has (site numbers are 0..siteCount-1).</param>
    /// <param name="originalModuleVersionId">The MVID of the build before instrumentation.</param>
    /// <param name="formatVersion">The patch-site format (docs/patch-sites.md); the runtime refuses formats it does not know.</param>
    public PatchableAssemblyAttribute(int siteCount, string originalModuleVersionId, int formatVersion)
    {
        SiteCount = siteCount;
        OriginalModuleVersionId = originalModuleVersionId;
        FormatVersion = formatVersion;
    }

    /// <summary>How many patch sites the assembly has.</summary>
    public int SiteCount { get; }

    /// <summary>The MVID of the build before instrumentation, so a patch can be traced to its source build.</summary>
    public string OriginalModuleVersionId { get; }

    /// <summary>The patch-site format version; <see cref="CurrentFormatVersion"/> today.</summary>
    public int FormatVersion { get; }

    /// <summary>The format this runtime reads and the instrumenter writes.</summary>
    public const int CurrentFormatVersion = PatchGen.Diagnostics.PatchSiteFormat.Version;
}
