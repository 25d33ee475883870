using System.Collections.Concurrent;
using System.Reflection;

namespace PatchGen.Runtime.Consistency;

/// <summary>
/// The threads blocked in PatchGen's own code (a caller waiting for a transition, a control client waiting
/// for its process), with their frames outside PatchGen.Runtime, innermost first. Such a thread cannot
/// switch itself, and its stack may be deeper than the sampler shows (a test host's is), but its frames do
/// not change while it waits: certifiers check the frames recorded here exactly as the thread would check
/// its own stack (<see cref="StackCheck"/>). When the park ends the thread returns into those frames, and
/// any patched function it then enters goes through <see cref="ThreadUniverse.GenerationFor"/> as usual.
/// <para>
/// Process-wide, not per engine: a thread's stack belongs to the process, and the certifier of every
/// engine samples every thread of it. A thread waiting for one engine must look parked to all of them;
/// parked for its own engine only, two engines whose callers wait for each other's transitions would each
/// hold the other's open.
/// </para>
/// </summary>
internal static class ParkedThreads
{
    // Each parked thread's frames and when it parked (a Stopwatch timestamp: the code its frames run was
    // compiled before), written together so that a reader never sees one without the other.
    private static readonly ConcurrentDictionary<int, Parking> Parked = new();

    internal readonly record struct Parking(MethodBase?[] Frames, long Since);

    // The OS's ID of a managed thread never changes; asking the OS at every park would be a system call.
    [ThreadStatic] private static int t_osThreadId;

    /// <summary>Declares the calling thread parked for as long as the returned scope lives.</summary>
    public static Scope Park()
    {
        int id = t_osThreadId;
        if (id == 0)
            t_osThreadId = id = OsThreadId.Current();
        // A thread whose ID is unknown is matched to no snapshot entry: there is nothing to record it under.
        if (id == -1)
            return default;
        Parked.TryGetValue(id, out var outer);
        Parked[id] = new Parking(StackCheck.CallerFrames(), System.Diagnostics.Stopwatch.GetTimestamp());
        return new Scope(id, outer);
    }

    /// <summary>A parked thread's record (frames, and when it parked), or null when the thread is not parked.</summary>
    public static Parking? Of(int osThreadId) => Parked.TryGetValue(osThreadId, out var parking) ? parking : null;

    /// <summary>The parked threads now, by OS thread ID.</summary>
    public static IReadOnlyList<KeyValuePair<int, Parking>> All => Parked.ToArray();

    /// <summary>Ends a <see cref="Park"/>; a park inside another gives the outer one's frames back.</summary>
    public readonly struct Scope : IDisposable
    {
        private readonly int _osThreadId;
        private readonly Parking _outer;

        internal Scope(int osThreadId, Parking outer)
        {
            _osThreadId = osThreadId;
            _outer = outer;
        }

        public void Dispose()
        {
            if (_osThreadId == 0)
                return;
            if (_outer.Frames is null) // default: no park around this one
                Parked.TryRemove(_osThreadId, out _);
            else
                Parked[_osThreadId] = _outer;
        }
    }
}
