using System.Reflection;
using PatchGen.Runtime.Instrumentation;

namespace PatchGen.Runtime;

/// <summary>
/// A patch assembly loaded into its own collectible load context, with what it replaces resolved
/// against the running base (livepatch's <c>klp_patch</c>).
/// </summary>
internal sealed class LoadedPatch
{
    private PatchLoadContext? _context;

    /// <summary>A loaded patch of its bases (<c>targets</c>): the <see cref="PatchAttribute"/> target first, then the others of a patch of several assemblies.</summary>
    public LoadedPatch(string id, string source, PatchLoadContext context, Assembly assembly, IReadOnlyList<InstrumentedAssembly> targets, bool cumulative)
    {
        Id = id;
        Source = source;
        _context = context;
        ContextReference = new WeakReference(context, trackResurrection: false);
        Assembly = assembly;
        Targets = targets;
        Cumulative = cumulative;
    }

    public string Id { get; }

    /// <summary>Where the patch came from (a path, or a description for in-memory patches).</summary>
    public string Source { get; }

    /// <summary>The patch assembly; cleared when the patch is unloaded.</summary>
    public Assembly? Assembly { get; private set; }

    /// <summary>The assemblies whose functions the patch replaces; one transition switches all of them.</summary>
    public IReadOnlyList<InstrumentedAssembly> Targets { get; }

    /// <summary>The <see cref="PatchAttribute"/> target, which names the patch in status and logs.</summary>
    public InstrumentedAssembly Target => Targets[0];

    /// <summary>The bases' names as status, logs and telemetry show them: <c>Shop</c>, or <c>Shop.Domain,Shop.Web</c>.</summary>
    public string TargetNames => string.Join(",", Targets.Select(t => t.Name));

    /// <summary>Whether the two patches change functions of a common assembly (an atomic replace of one retires the other).</summary>
    public bool SharesBaseWith(LoadedPatch other) => Targets.Any(t => other.Targets.Contains(t));

    public bool Cumulative { get; }

    /// <summary>The token of the key whose strong-name signature on the patch verified, or null.</summary>
    public string? PublicKeyToken { get; set; }

    /// <summary>Every function the patch replaces, with its replacement.</summary>
    public List<(PatchSite Site, SiteEntry Entry)> Replacements { get; } = new();

    /// <summary>The patch's copy of the original body of every function it replaces.</summary>
    public Dictionary<PatchSite, SiteEntry> Originals { get; } = new();

    /// <summary>
    /// What the patch installs while enabled: its replacements, plus (for an atomic replace, until it is
    /// certified) the originals it reverts the replaced patches' other functions to.
    /// </summary>
    public Dictionary<PatchSite, SiteEntry> Entries { get; } = new();

    public Dictionary<PatchCallbackKind, MethodInfo> Callbacks { get; } = new();

    public List<(int Id, int Version)> SystemStates { get; } = new();

    /// <summary>The fields the fix added to base types that this patch keeps (extended model: statics in its holders, PG3011; instance fields in shadow variables, PG3012), by documentation ID.</summary>
    public HashSet<string> AddedStatics { get; } = new(StringComparer.Ordinal);

    public PatchState State { get; set; } = PatchState.Enabling;

    /// <summary>A forced transition may have left threads in this patch's code: it can never be unloaded (PG4002).</summary>
    public bool Forced { get; set; }

    public WeakReference ContextReference { get; }

    /// <summary>Starts unloading the load context and drops every strong reference this object holds to it.</summary>
    public void BeginUnload()
    {
        Replacements.Clear();
        Originals.Clear();
        Entries.Clear();
        Callbacks.Clear();
        Assembly = null;
        var context = _context;
        _context = null;
        context?.Unload();
    }

    public override string ToString() => Id;
}
