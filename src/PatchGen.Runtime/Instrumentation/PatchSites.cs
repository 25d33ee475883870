using System.ComponentModel;
using PatchGen.Runtime.Consistency;

namespace PatchGen.Runtime.Instrumentation;

/// <summary>Called by the module initializer of every instrumented assembly (docs/patch-sites.md). Not an API.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class PatchSites
{
    /// <summary>
    /// Starts recording what the JIT compiles and inlines, in the background, once per process: a
    /// transition can only be certified with it (docs/consistency-model.md, "Inlining"). Returns at once,
    /// unless a patch directory is configured and not followed yet: the first patchable module then applies
    /// its patches before any code of the module runs (docs/patch-directory.md).
    /// </summary>
    public static void Observe()
    {
        RuntimeObservation.EnsureStarted();
        PatchDirectory.ConfiguredPatchDirectory.StartOnce();
    }
}
