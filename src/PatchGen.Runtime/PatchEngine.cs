#pragma warning disable CS0649 // assigned by the operations (work in progress)
using PatchGen.Runtime.Instrumentation;

namespace PatchGen.Runtime;

/// <summary>
/// The process-wide state of live patching: applied patches, the transition in progress, and every
/// thread that ever ran tracked code. All changes happen under <see cref="Gate"/>; the hot paths of
/// instrumented code read published snapshots and never take it.
/// </summary>
internal static partial class PatchEngine
{
    public static readonly object Gate = new();
    private static readonly List<ThreadPatchState> Threads = new();
    private static long s_generation;
    private static Transition? s_transition;

    /// <summary>The transition in progress, if any.</summary>
    public static Transition? CurrentTransition => Volatile.Read(ref s_transition);

    /// <summary>
    /// Registers a thread on its first tracked entry. A thread registered during a transition has no
    /// function of the patch on its stack (it has no tracked frame at all), so it starts at the target.
    /// </summary>
    public static ThreadPatchState RegisterThread(Thread thread)
    {
        lock (Gate)
        {
            var transition = s_transition;
            var word = transition is null
                ? Universe.Word(s_generation, Universe.Patched)
                : Universe.Word(transition.Generation, transition.Target);
            var state = new ThreadPatchState(thread, word);
            Threads.Add(state);
            return state;
        }
    }
}
