namespace PatchGen.Diagnostics;

/// <summary>
/// The names that tie an instrumented assembly to the runtime, the diff engine and the emitter
/// (docs/patch-sites.md), defined once. They live here because this is the one project that every
/// stage references, including the runtime inside applications and the analyzer inside compilers.
/// </summary>
public static class PatchSiteFormat
{
    /// <summary>
    /// The patch-site format this build of PatchGen writes when it outlined a body: format 4, plus outlined bodies
    /// (docs/patch-sites.md, "Outlined bodies"): a large non-virtual method keeps its name, metadata and site, its body
    /// moves into its site-less clone <c>&lt;PatchGen&gt;c$Name</c>, and its own body forwards to it. A runtime must count
    /// a frame of such a clone as its method, and a diff engine must give the method its body back, which only a patch
    /// of format <see cref="PatchFormat.OutlinedBodyAware"/> or later promises.
    /// </summary>
    public const int Version = 5;

    /// <summary>
    /// Format 4: format 3's sites, plus the site-less inline clones of small methods that direct calls inside the
    /// assembly use (<see cref="InlineClonePrefix"/>, docs/patch-sites.md, "Inline clones"). A patch of such a build must
    /// replace every caller of a changed method's clone, which only a patch of format
    /// <see cref="PatchFormat.InlineCloneAware"/> or later promises. What the instrumenter writes when it outlined no body.
    /// </summary>
    public const int InlineClonesVersion = 4;

    /// <summary>
    /// Format 3: every site as in <see cref="Version"/>, no clones. What <c>patchgen instrument --inline-clones 0
    /// --outline-bodies 0</c> writes, and what PatchGen wrote before clones; the runtime reads it.
    /// </summary>
    public const int WithoutInlineClonesVersion = 3;

    /// <summary>Whether this build of PatchGen reads an instrumented assembly of site format <paramref name="version"/>.</summary>
    public static bool Reads(int version) => version is WithoutInlineClonesVersion or InlineClonesVersion or Version;

    /// <summary>The type that holds the site slots and the dispatch stubs. C# cannot spell the name, so no user type collides with it.</summary>
    public const string SitesTypeName = "<PatchGen>Sites";

    /// <summary>Prefix of the slot of site N (<c>s17</c>): the static <c>bool</c> field a method checks on entry.</summary>
    public const char SlotPrefix = 's';

    /// <summary>
    /// Prefix of the slot of a site whose method the instrumenter marked
    /// <see cref="System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining"/> (<c>i17</c>): its
    /// original body was small enough for the JIT to inline it always, and the flag keeps it so.
    /// The diff engine removes the flag again when it restores the original.
    /// </summary>
    public const char AggressiveSlotPrefix = 'i';

    /// <summary>The static field of the sites type through which dispatch stubs find a site by number.</summary>
    public const string TableFieldName = "Table";

    /// <summary>Prefix of the dispatch stubs (<c>d0</c>, <c>d1</c>, ...), one per erased dispatch signature.</summary>
    public const string StubPrefix = "d";

    /// <summary>
    /// Suffix of the full dispatch stub of a non-generic signature (<c>d0t</c>), which its steady stub <c>d0</c> calls
    /// while a transition changes the function (docs/patch-sites.md, "The dispatch stubs").
    /// </summary>
    public const string TransitionStubSuffix = "t";

    /// <summary>The runtime type and method the module initializer of an instrumented assembly calls first.</summary>
    public const string PatchSitesTypeFullName = RuntimeNames.Namespace + ".Instrumentation.PatchSites";
    public const string ObserveMethodName = "Observe";

    /// <summary>
    /// Prefix of the site-less clone <c>&lt;PatchGen&gt;c$Name</c> of a small method (format 4), which direct calls inside
    /// the assembly use so that the copies the JIT inlines carry no check; a cloned constructor keeps its name and carries
    /// <c>modopt(&lt;PatchGen&gt;Sites)</c> on its return type instead.
    /// </summary>
    public const string InlineClonePrefix = "<PatchGen>c$";

    /// <summary>The site number a slot field's name carries, or -1 when the name is not a slot's.</summary>
    public static int SiteOfSlot(string fieldName)
    {
        if (fieldName.Length < 2 || (fieldName[0] != SlotPrefix && fieldName[0] != AggressiveSlotPrefix))
            return -1;
        int site = 0;
        for (int i = 1; i < fieldName.Length; i++)
        {
            char c = fieldName[i];
            if (c < '0' || c > '9' || site > (int.MaxValue - 9) / 10)
                return -1;
            site = site * 10 + (c - '0');
        }
        return site;
    }

    /// <summary>The name of the slot of <paramref name="site"/>.</summary>
    public static string SlotName(int site, bool aggressiveInliningAdded)
        => (aggressiveInliningAdded ? AggressiveSlotPrefix : SlotPrefix) + site.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
