using System.ComponentModel;
using PatchGen.Runtime.Consistency;

namespace PatchGen.Runtime.Instrumentation;

/// <summary>Called by the module initializer of every instrumented assembly (docs/patch-sites.md). Not an API.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class PatchSites
{
    /// <summary>
    /// Starts recording what the JIT compiles and inlines, in the background, once per process: a
    /// transition can only be certified with it (docs/consistency-model.md, "Inlining"). Returns at once.
    /// </summary>
    public static void Observe() => RuntimeObservation.EnsureStarted();
}
