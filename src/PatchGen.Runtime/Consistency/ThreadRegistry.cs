using System.Collections.Concurrent;

namespace PatchGen.Runtime.Consistency;

/// <summary>
/// The threads that have a <see cref="ThreadUniverse"/> in one engine, by OS thread ID (what stack
/// snapshots name them by), and the calling thread's own universe. One per engine: a universe holds a
/// generation of its engine's numbering, so a thread that runs patched code of two engines has a universe
/// in each. Lock-free, and independent of the engine's lock: a thread registers from inside whatever it is
/// doing (holding a user lock, say), so registering must never wait for the engine. Dead threads are
/// dropped as soon as anyone looks, and an ID the OS reuses replaces the dead thread's entry.
/// </summary>
internal sealed class ThreadRegistry
{
    // The calling thread's universe in the engine it last asked about. A process has one engine (only
    // tests make more), so for it finding the universe costs one thread-static read and one compare, as
    // it did when the universe itself was thread-static; the thread-local below answers for the others.
    [ThreadStatic] private static ThreadUniverse? t_last;

    private readonly PatchEngine _engine;
    private readonly ConcurrentDictionary<int, ThreadUniverse> _threads = new();
    private readonly ThreadLocal<ThreadUniverse?> _own = new();

    public ThreadRegistry(PatchEngine engine) => _engine = engine;

    /// <summary>The calling thread's universe in this engine, registered on first use.</summary>
    public ThreadUniverse Current
    {
        get
        {
            var last = t_last;
            if (last is not null && last.Engine == _engine)
                return last;
            var own = _own.Value ?? Register();
            t_last = own;
            return own;
        }
    }

    private ThreadUniverse Register()
    {
        // Every thread, registered or not, was shown clean up to the certified generation when it was
        // certified (a certification looks at every thread of the process), so a newcomer starts there
        // (docs/consistency-model.md, "New threads").
        var universe = new ThreadUniverse(_engine, Thread.CurrentThread, OsThreadId.Current(), _engine.CertifiedGeneration);
        _own.Value = universe;
        Add(universe);
        return universe;
    }

    private void Add(ThreadUniverse universe)
    {
        _threads[universe.OsThreadId] = universe;
        // Keep the registry at the size of the live threads without waiting for a transition: a service
        // that starts and ends many threads must not grow it without bound.
        if (_threads.Count > 64 && (_threads.Count & 63) == 0)
            Prune();
    }

    public ThreadUniverse? Find(int osThreadId)
        => _threads.TryGetValue(osThreadId, out var universe) && universe.IsAlive ? universe : null;

    /// <summary>The live registered threads (dead ones are dropped on the way).</summary>
    public List<ThreadUniverse> Live()
    {
        var live = new List<ThreadUniverse>(_threads.Count);
        foreach (var (id, universe) in _threads)
        {
            if (universe.IsAlive)
                live.Add(universe);
            else
                _threads.TryRemove(new KeyValuePair<int, ThreadUniverse>(id, universe));
        }
        return live;
    }

    public int Count => _threads.Count;

    public void Prune() => _ = Live();
}
