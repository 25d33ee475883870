using System.ComponentModel;

namespace PatchGen.Runtime.Instrumentation;

/// <summary>
/// The runtime side of one patched function (livepatch's <c>klp_ops</c>): the stack of implementations
/// patches have installed for it. An instrumented method's site slot holds this object while at least
/// one patch touches the method, and <c>null</c> otherwise. Called by instrumented code; not an API.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class PatchSite
{
    // The current stack, replaced as a whole (never mutated) under PatchEngine.Gate. A reader may act
    // on a snapshot that is a moment old; SiteState.Select explains why that is still consistent.
    private volatile SiteState? _state;

    internal PatchSite(int key, InstrumentedAssembly assembly, int site)
    {
        Key = key;
        Assembly = assembly;
        Site = site;
    }

    /// <summary>The global site key (the assembly's base plus the site number).</summary>
    internal int Key { get; }

    internal InstrumentedAssembly Assembly { get; }

    internal int Site { get; }

    internal SiteState? State
    {
        get => _state;
        set => _state = value;
    }

    /// <summary>
    /// The implementation the calling thread must run, or <c>null</c> to run the original body.
    /// <paramref name="thread"/> is the state <see cref="ThreadPatchState.Enter"/> returned (the site is
    /// already on its shadow stack), or <c>null</c> from a leaf method, which pushes nothing.
    /// </summary>
    public Delegate? Resolve(ThreadPatchState? thread)
    {
        var state = _state;
        if (state is null)
            return null;
        if (state.Transition is null)
            return state.Top.Implementation;
        return state.Select(thread)?.Implementation;
    }

    /// <summary>As <see cref="Resolve"/>, for a site in generic code: <paramref name="delegateType"/> is the
    /// dispatch delegate type instantiated for the running instantiation.</summary>
    public Delegate? ResolveGeneric(ThreadPatchState? thread, RuntimeTypeHandle delegateType)
    {
        var state = _state;
        if (state is null)
            return null;
        var entry = state.Transition is null ? state.Top : state.Select(thread);
        return entry?.ImplementationFor(delegateType);
    }
}
