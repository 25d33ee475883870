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

    public LoadedPatch(string id, string source, PatchLoadContext context, Assembly assembly, InstrumentedAssembly target, bool cumulative)
    {
        Id = id;
        Source = source;
        _context = context;
        ContextReference = new WeakReference(context, trackResurrection: false);
        Assembly = assembly;
        Target = target;
        Cumulative = cumulative;
    }

    public string Id { get; }

    /// <summary>Where the patch came from (a path, or a description for in-memory patches).</summary>
    public string Source { get; }

    /// <summary>The patch assembly; cleared when the patch is unloaded.</summary>
    public Assembly? Assembly { get; private set; }

    public InstrumentedAssembly Target { get; }

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
