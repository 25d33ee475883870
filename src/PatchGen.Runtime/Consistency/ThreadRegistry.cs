using System.Collections.Concurrent;

namespace PatchGen.Runtime.Consistency;

/// <summary>
/// The threads that have a <see cref="ThreadUniverse"/>, by OS thread ID (what stack snapshots name them
/// by). Lock-free, and independent of the engine's lock: a thread registers from inside whatever it is
/// doing (holding a user lock, say), so registering must never wait for the engine. Dead threads are
/// dropped as soon as anyone looks, and an ID the OS reuses replaces the dead thread's entry.
/// </summary>
internal static class ThreadRegistry
{
    private static readonly ConcurrentDictionary<int, ThreadUniverse> Threads = new();

    public static void Add(ThreadUniverse universe)
    {
        Threads[universe.OsThreadId] = universe;
        // Keep the registry at the size of the live threads without waiting for a transition: a service
        // that starts and ends many threads must not grow it without bound.
        if (Threads.Count > 64 && (Threads.Count & 63) == 0)
            Prune();
    }

    public static ThreadUniverse? Find(int osThreadId)
        => Threads.TryGetValue(osThreadId, out var universe) && universe.IsAlive ? universe : null;

    /// <summary>The live registered threads (dead ones are dropped on the way).</summary>
    public static List<ThreadUniverse> Live()
    {
        var live = new List<ThreadUniverse>(Threads.Count);
        foreach (var (id, universe) in Threads)
        {
            if (universe.IsAlive)
                live.Add(universe);
            else
                Threads.TryRemove(new KeyValuePair<int, ThreadUniverse>(id, universe));
        }
        return live;
    }

    public static int Count => Threads.Count;

    public static void Prune() => _ = Live();
}
