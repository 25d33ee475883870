namespace PatchGen.Runtime.Instrumentation;

/// <summary>
/// One transition of the process from one universe to the other (livepatch's <c>klp_transition_patch</c>
/// and <c>klp_target_state</c>): which patch, towards which universe, and which functions hold a
/// thread back while they are on its stack.
/// </summary>
/// <remarks>
/// <para><b>The handshake.</b> A thread about to decide which code to run has first pushed the function
/// on its shadow stack (<see cref="ThreadPatchState.Enter"/>) and then reads its universe word. The
/// transition worker first marks a thread <see cref="Universe.Switching"/> (compare-and-swap), then
/// issues <see cref="Interlocked.MemoryBarrierProcessWide"/>, then reads the thread's shadow stack. This
/// is a Dekker pattern with the fence on one side only (the same asymmetry as Linux's <c>membarrier</c>):
/// the process-wide barrier makes every other core execute a full barrier, so either the thread's push
/// happened before it (and the worker sees the frame and backs off) or the thread's later read of its
/// universe happens after it (and sees <c>Switching</c>, and waits for the verdict). The hot path of
/// the thread never pays a fence. The second seed thread (shared/seeds/002) is the same race in the
/// kernel: the flag a task reads must be ordered against the state another CPU publishes.</para>
/// <para><b>Stale readers.</b> A thread may hold a site snapshot of a transition that has completed
/// since. Its universe word then carries a newer generation, and <see cref="UniverseOf"/> answers with
/// the old transition's target, which is what every thread reached when it completed.</para>
/// </remarks>
internal sealed class Transition
{
    public Transition(long generation, int target, LoadedPatch patch, bool[] functions, IReadOnlyList<LoadedPatch> replaced)
    {
        Generation = generation;
        Target = target;
        Patch = patch;
        Functions = functions;
        Replaced = replaced;
        StartTime = DateTime.UtcNow;
    }

    public long Generation { get; }

    /// <summary><see cref="Universe.Patched"/> when enabling, <see cref="Universe.Unpatched"/> when disabling.</summary>
    public int Target { get; }

    public int Initial => 1 - Target;

    public LoadedPatch Patch { get; }

    /// <summary>Site keys of the functions that hold a thread back (the patch's, plus those of the patches it replaces).</summary>
    public bool[] Functions { get; }

    /// <summary>The patches an atomic-replace transition removes when it completes.</summary>
    public IReadOnlyList<LoadedPatch> Replaced { get; }

    public DateTime StartTime { get; }

    /// <summary>
    /// Set once every site of the transition has been published. Until then no thread may switch: a
    /// thread that switched while some of the patch's sites still showed the state before the
    /// transition would run new code from one site and old code from another within one chain (the
    /// stress test caught exactly this). livepatch orders it the same way: every func is marked
    /// "in transition" before any task is allowed to switch (klp_init_transition, then
    /// klp_start_transition).
    /// </summary>
    public volatile bool Started;

    /// <summary>Set when every thread reached <see cref="Target"/> (or the transition was forced).</summary>
    public volatile bool Completed;

    /// <summary>Set when the transition was forced (PG4002).</summary>
    public bool Forced;

    /// <summary>The transition that reversed this one before it completed (livepatch's klp_reverse_transition).</summary>
    public volatile Transition? Successor;

    /// <summary>
    /// The universe the thread runs in for this transition. May switch the thread itself (livepatch's
    /// switch at a safe point) when no function of the transition is on its stack apart from the one it
    /// is entering (<paramref name="excludeTop"/>).
    /// </summary>
    public int UniverseOf(ThreadPatchState thread, bool excludeTop)
    {
        var spin = new SpinWait();
        while (true)
        {
            long word = Volatile.Read(ref thread.Word);
            long generation = Universe.GenerationOf(word);
            if (generation != Generation)
            {
                // A newer generation: this transition was reversed (ask its successor, which carried
                // every thread's universe over) or it completed before the thread's current transition
                // began, so every thread reached its target. An older generation cannot happen (threads
                // are brought to a transition's generation before its sites are published).
                if (generation > Generation)
                    return Successor is { } successor ? successor.UniverseOf(thread, excludeTop) : Target;
                return Initial;
            }
            int universe = Universe.UniverseOf(word);
            if (universe == Universe.Switching)
            {
                // The worker is between its barrier and its verdict: a few microseconds.
                spin.SpinOnce();
                continue;
            }
            if (universe == Target || Completed || !Started)
                return universe;
            if (thread.HasAnyOnStack(Functions, excludeTop))
                return universe;
            // Nothing of the patch is on this thread's stack: switch now. Only the thread itself and the
            // worker change the word, both by compare-and-swap, so one of them wins.
            if (Interlocked.CompareExchange(ref thread.Word, Universe.Word(Generation, Target), word) == word)
                return Target;
        }
    }
}
