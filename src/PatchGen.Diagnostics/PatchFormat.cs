namespace PatchGen.Diagnostics;

/// <summary>
/// The versions and attribute argument names of the patch assembly format (docs/patch-format.md), defined
/// once: the emitter writes them, the runtime, the inspector and the patch directory read them.
/// </summary>
public static class PatchFormat
{
    /// <summary>
    /// Format 1: one base, named by <c>[assembly: Patch(id, target, mvid)]</c>; no version is written
    /// (patches written before versions existed are format 1).
    /// </summary>
    public const int SingleBase = 1;

    /// <summary>
    /// Format 2: format 1 plus one <c>[assembly: PatchBase(name, mvid)]</c> per further base, and
    /// <see cref="AssemblyProperty"/> on each <c>[Replaces]</c> and <c>[Original]</c> of a method of one of them.
    /// </summary>
    public const int MultiBase = 2;

    /// <summary>
    /// Format 3: format 2, written by a PatchGen that replaces, with every method of a base with inline clones (site
    /// format <see cref="PatchSiteFormat.InlineClonesVersion"/> or later), each method that reaches the method's clone through direct calls
    /// (docs/patch-format.md). The runtime refuses an older patch for such a base: it could leave an inlined copy of
    /// the old body running in a caller that is not part of the patch.
    /// </summary>
    public const int InlineCloneAware = 3;

    /// <summary>
    /// Format 4: format 3, written by a PatchGen whose diff engine gives an outlined method (site format
    /// <see cref="PatchSiteFormat.Version"/>) its body back, so that the patch's <c>[Original]</c> of it is the old body
    /// and not the forwarder. The runtime refuses an older patch for a base with outlined bodies.
    /// </summary>
    public const int OutlinedBodyAware = 4;

    /// <summary>The newest format this build of PatchGen reads (and the one it writes for a base with outlined bodies).</summary>
    public const int Current = OutlinedBodyAware;

    /// <summary>The named argument of <c>[Patch]</c> that carries the format version (absent: <see cref="SingleBase"/>).</summary>
    public const string FormatVersionProperty = "FormatVersion";

    /// <summary>The named argument of <c>[Replaces]</c> and <c>[Original]</c> naming the base of the method (absent: the <c>[Patch]</c> target).</summary>
    public const string AssemblyProperty = "Assembly";
}
