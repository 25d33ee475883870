namespace PatchGen.Runtime.Instrumentation;

/// <summary>
/// An immutable snapshot of one function's stack of entries, bottom first, and the transition its top
/// entry is part of (null when no transition touches the function).
/// </summary>
internal sealed class SiteState
{
    public SiteState(SiteEntry[] entries, Transition? transition)
    {
        Entries = entries;
        Transition = transition;
        Top = entries[^1];
    }

    public SiteEntry[] Entries { get; }

    public SiteEntry Top { get; }

    public Transition? Transition { get; }

    /// <summary>
    /// livepatch's <c>klp_ftrace_handler</c>: the top entry, unless the function is in a transition and
    /// the thread is still in the universe before it, in which case the entry below (or the original,
    /// <c>null</c>).
    /// </summary>
    /// <remarks>
    /// The snapshot may be stale by the time it is used: a transition may have completed, or another
    /// begun, since it was read. That is still consistent: the thread's universe word carries the
    /// generation of the transition it belongs to (<see cref="Transition.UniverseOf"/> answers for a
    /// completed transition by its target), and a tracked caller has already pushed this function on
    /// its shadow stack, so no transition can move the thread to another universe before this call
    /// returns.
    /// </remarks>
    public SiteEntry? Select(ThreadPatchState? thread)
    {
        var transition = Transition;
        if (transition is null)
            return Top;
        var state = thread ?? ThreadPatchState.Current;
        if (transition.UniverseOf(state, excludeTop: thread is not null) == Universe.Patched)
            return Top;
        return Entries.Length >= 2 ? Entries[^2] : null;
    }
}
