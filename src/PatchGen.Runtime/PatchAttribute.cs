namespace PatchGen.Runtime;

/// <summary>
/// Identifies an assembly as a patch: its ID, the assembly it patches and the exact build (MVID of the
/// instrumented base) it was made for. Written by the patch emitter; the runtime refuses a patch whose
/// base MVID is not the loaded one (PG0005). A patch of several assemblies (format 2) names its first
/// base here and each further one with a <see cref="PatchBaseAttribute"/>.
/// </summary>
[AttributeUsage(AttributeTargets.Assembly, AllowMultiple = false)]
public sealed class PatchAttribute : Attribute
{
    public PatchAttribute(string id, string targetAssembly, string baseModuleVersionId)
    {
        Id = id;
        TargetAssembly = targetAssembly;
        BaseModuleVersionId = baseModuleVersionId;
    }

    /// <summary>The patch ID, unique within a process (for example <c>shop-fix-discount-1</c>).</summary>
    public string Id { get; }

    /// <summary>The simple name of the assembly the patch replaces methods of.</summary>
    public string TargetAssembly { get; }

    /// <summary>The MVID of the loaded (instrumented) base assembly the patch was built against.</summary>
    public string BaseModuleVersionId { get; }

    /// <summary>
    /// A cumulative patch (livepatch's <c>replace</c>): enabling it atomically replaces every patch
    /// applied before, in one transition; functions it does not patch revert to the original.
    /// </summary>
    public bool Cumulative { get; set; }

    /// <summary>
    /// The patch format (docs/patch-format.md): 1 (also when absent) for a patch of one base, 2 for a
    /// patch that also carries <see cref="PatchBaseAttribute"/>s. The runtime refuses a format it does not know.
    /// </summary>
    public int FormatVersion { get; set; } = PatchGen.Diagnostics.PatchFormat.SingleBase;
}
