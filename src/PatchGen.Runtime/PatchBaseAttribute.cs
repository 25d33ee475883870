namespace PatchGen.Runtime;

/// <summary>
/// A further base of a patch that changes several assemblies of one application (format 2,
/// docs/patch-format.md): its simple name and the MVID of the instrumented build the patch was made for.
/// The runtime applies such a patch only when every base is loaded with its MVID (PG0005), and switches
/// the functions of all of them in one transition.
/// </summary>
[AttributeUsage(AttributeTargets.Assembly, AllowMultiple = true)]
public sealed class PatchBaseAttribute : Attribute
{
    public PatchBaseAttribute(string targetAssembly, string baseModuleVersionId)
    {
        TargetAssembly = targetAssembly;
        BaseModuleVersionId = baseModuleVersionId;
    }

    /// <summary>The simple name of the base.</summary>
    public string TargetAssembly { get; }

    /// <summary>The MVID of the loaded (instrumented) base the patch was built against.</summary>
    public string BaseModuleVersionId { get; }
}
