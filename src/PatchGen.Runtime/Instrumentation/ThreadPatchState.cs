using System.ComponentModel;
using System.Runtime.CompilerServices;

namespace PatchGen.Runtime.Instrumentation;

/// <summary>
/// One thread's part of the consistency model (livepatch's <c>task-&gt;patch_state</c> plus what
/// <c>klp_check_stack()</c> reads): the shadow stack of tracked patch sites it is inside, and its
/// universe in the current transition. Called by instrumented code (docs/patch-sites.md); not an API.
/// </summary>
/// <remarks>
/// Only the owning thread writes <see cref="_frames"/> and <see cref="_depth"/>. The transition worker
/// reads them from another thread; it is always conservative: a stale or torn view can only make it
/// see a frame that is already gone (and retry later), never miss one that was pushed before the last
/// process-wide barrier (see <see cref="Transition"/> for the handshake).
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class ThreadPatchState
{
    [ThreadStatic] private static ThreadPatchState? t_current;

    private int[] _frames = new int[32];
    private int _depth;

    /// <summary>
    /// The universe word: <c>(generation &lt;&lt; 2) | universe</c>, universe being
    /// <see cref="Universe.Unpatched"/>, <see cref="Universe.Patched"/> or <see cref="Universe.Switching"/>.
    /// Changed only with compare-and-swap (by the thread itself, the transition worker or a force).
    /// </summary>
    internal long Word;

    internal ThreadPatchState(Thread thread, long word)
    {
        Thread = thread;
        Word = word;
    }


    /// <summary>The thread this state belongs to.</summary>
    internal Thread Thread { get; }

    /// <summary>Pushes a tracked site on the calling thread's shadow stack; returns the thread's state for <see cref="Exit"/>.</summary>
    public static ThreadPatchState Enter(int siteKey)
    {
        var state = t_current ?? Register();
        int depth = state._depth;
        var frames = state._frames;
        if ((uint)depth >= (uint)frames.Length)
            frames = state.Grow();
        frames[depth] = siteKey;
        // Release: a reader that sees the new depth also sees the frame. The instrumented caller reads
        // its site slot only after this store (a volatile load after a volatile store, which the JIT
        // keeps in order); the hardware's store-load reordering is closed by the transition worker's
        // process-wide barrier, not here, so this path costs no fence.
        Volatile.Write(ref state._depth, depth + 1);
        return state;
    }

    /// <summary>Pops the frame pushed by the matching <see cref="Enter"/>.</summary>
    public void Exit() => _depth--;

    /// <summary>The calling thread's state, registering the thread on first use.</summary>
    internal static ThreadPatchState Current => t_current ?? Register();

    /// <summary>The calling thread's state if it ever ran tracked code.</summary>
    internal static ThreadPatchState? CurrentOrNull => t_current;

    /// <summary>How many tracked frames the thread is inside (an observation; may be stale for other threads).</summary>
    internal int Depth => Volatile.Read(ref _depth);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static ThreadPatchState Register()
    {
        var state = PatchEngine.RegisterThread(Thread.CurrentThread);
        t_current = state;
        return state;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private int[] Grow()
    {
        var larger = new int[_frames.Length * 2];
        Array.Copy(_frames, larger, _frames.Length);
        // Published before the frame written into it; a reader holding the old array sees a depth
        // beyond its length and counts the thread as busy.
        Volatile.Write(ref _frames, larger);
        return larger;
    }

    /// <summary>
    /// Whether any frame on the shadow stack belongs to <paramref name="functions"/> (indexed by site
    /// key). <paramref name="excludeTop"/> skips the frame being entered right now. Conservative when
    /// read from another thread: a view it cannot trust counts as "yes".
    /// </summary>
    internal bool HasAnyOnStack(bool[] functions, bool excludeTop)
    {
        var frames = Volatile.Read(ref _frames);
        int depth = Volatile.Read(ref _depth);
        if (excludeTop)
            depth--;
        if (depth > frames.Length)
            return true;
        for (int i = 0; i < depth; i++)
        {
            int key = frames[i];
            if ((uint)key < (uint)functions.Length && functions[key])
                return true;
        }
        return false;
    }

    /// <summary>The site keys on the shadow stack, outermost first (for straggler reports).</summary>
    internal int[] SnapshotFrames()
    {
        var frames = Volatile.Read(ref _frames);
        int depth = Math.Min(Volatile.Read(ref _depth), frames.Length);
        return depth <= 0 ? Array.Empty<int>() : frames.AsSpan(0, depth).ToArray();
    }
}
