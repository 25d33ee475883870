using System.Diagnostics;
using PatchGen.Runtime.Instrumentation;

namespace PatchGen.Runtime.Consistency;

/// <summary>
/// One thread's part of the consistency model (livepatch's <c>task-&gt;patch_state</c>) in one engine: the
/// generation of that engine whose code the thread runs. Only the thread itself moves it forward, and only
/// at the moment it enters a patched function with no function changed since its generation on its stack
/// (checked on its own stack, <see cref="StackCheck"/>), so no call chain ever mixes two generations'
/// versions of a function. Created the first time the thread enters a patched function that a transition
/// of the engine is changing (<see cref="ThreadRegistry.Current"/>); a thread that never does that costs
/// nothing and is never registered.
/// </summary>
internal sealed class ThreadUniverse
{
    /// <summary>How long a thread that found a changed function on its stack waits before looking again.</summary>
    private static readonly long ValidationInterval = Stopwatch.Frequency / 1000;

    private long _generation;
    private int _doomedRound;

    // Set while the thread works out which generation's version to run at a function entry (GenerationFor): it may
    // look at its own stack and act on what it saw.
    private volatile bool _deciding;

    // When the thread may look again, per function it failed to switch entering: a thread looping inside
    // an old function keeps entering the functions it calls from there (and finds them busy), while the
    // function it enters from a clean place is a different one, which must not wait for that (owner only).
    private Dictionary<PatchSite, long>? _retryAt;

    public ThreadUniverse(PatchEngine engine, Thread thread, int osThreadId, long generation)
    {
        Engine = engine;
        Thread = new WeakReference<Thread>(thread);
        ManagedThreadId = thread.ManagedThreadId;
        OsThreadId = osThreadId;
        _generation = generation;
    }

    /// <summary>The engine whose generations <see cref="Generation"/> counts.</summary>
    public PatchEngine Engine { get; }

    public WeakReference<Thread> Thread { get; }

    public int ManagedThreadId { get; }

    /// <summary>The operating system's ID of the thread: what stack snapshots name threads by.</summary>
    public int OsThreadId { get; }

    /// <summary>The generation whose code this thread runs (an observation when read from another thread).</summary>
    public long Generation => Volatile.Read(ref _generation);

    /// <summary>The certification round this thread has declared it cannot pass (see <see cref="Certifier"/>).</summary>
    public int DoomedRound => Volatile.Read(ref _doomedRound);

    /// <summary>
    /// Whether the thread is deciding at a function entry right now: looking at its own stack, or acting on what it saw.
    /// It leaves the decision switched (<see cref="Generation"/> raised before this turns false) or old. A certifier
    /// that sampled it "entering a patched function" may wait for the switch instead of failing the round at once
    /// (docs/consistency-model.md, "Waiting for threads that decide").
    /// </summary>
    public bool IsDeciding => _deciding;

    /// <summary>Moves the generation forward (never back); returns the generation the thread is now in.</summary>
    private long Raise(long to)
    {
        while (true)
        {
            long current = Volatile.Read(ref _generation);
            if (current >= to)
                return current;
            if (Interlocked.CompareExchange(ref _generation, to, current) == current)
                return to;
        }
    }

    /// <summary>Raised by the certifier for a thread a certification has shown clean, and by force.</summary>
    public void RaiseTo(long generation) => Raise(generation);

    /// <summary>
    /// The generation whose version of <paramref name="entering"/> this thread must run now. The thread
    /// switches to the newest generation when nothing changed since its own is on its stack; otherwise it
    /// stays, and looks again at most once per <see cref="ValidationInterval"/> (at once when a
    /// certification round needs to know, see <see cref="Certifier"/>).
    /// </summary>
    public long GenerationFor(PatchSite entering)
    {
        // Deciding from here to the answer (a round that samples the thread anywhere in it, GC polls included, may wait
        // for the answer); cleared after it, so a switch has written the generation first.
        _deciding = true;
        try
        {
            long generation = Volatile.Read(ref _generation);
            long certified = Engine.CertifiedGeneration;
            if (generation < certified)
                generation = Raise(certified);
            if (generation >= Engine.PublishedGeneration)
                return generation;
            return Advance(generation, entering);
        }
        finally
        {
            _deciding = false;
        }
    }

    /// <summary>Runs while a thread decides, between its look at its stack and acting on it (tests: a slow decision, whatever its cause).</summary>
    internal static Action<ThreadUniverse>? WhileDecidingForTests;

    private long Advance(long generation, PatchSite entering)
    {
        int round = Engine.Rounds.Current;
        int roundNumber = Math.Abs(round);
        bool mustLook = roundNumber != 0 && Volatile.Read(ref _doomedRound) != roundNumber;
        long now = Stopwatch.GetTimestamp();
        if (!mustLook && _retryAt is not null && _retryAt.TryGetValue(entering, out long retry) && now < retry)
            return generation;

        if (DebugLog.Enabled)
            DebugLog.Write($"  deciding {OsThreadId} {Name} at {generation} entering {entering.Method.Name}");
        var changes = Engine.ChangesAfter(generation);
        bool clear = changes.IsEmpty || StackCheck.IsClear(changes, entering);
        WhileDecidingForTests?.Invoke(this);
        if (clear)
        {
            if (DebugLog.Enabled)
                DebugLog.Write($"  switch {OsThreadId} {Name} {generation}->{changes.UpTo} entering {entering.Method.Name} changes [{string.Join(",", changes.Sites.Select(x => x.Method.Name))}]");
            _retryAt?.Clear();
            return Raise(changes.UpTo);
        }
        (_retryAt ??= new Dictionary<PatchSite, long>())[entering] = now + ValidationInterval;
        if (roundNumber == 0)
            return generation;

        // A certification round is running and this thread is about to start an old activation. It must
        // be seen doing so before the round can succeed: the doom, then a full fence, then the round's
        // state (a Dekker handshake with the certifier's process-wide barrier, docs/consistency-model.md).
        Volatile.Write(ref _doomedRound, roundNumber);
        Interlocked.MemoryBarrier();
        var spin = new SpinWait();
        while (true)
        {
            long certified = Engine.CertifiedGeneration;
            if (certified > generation)
            {
                // The round certified while this thread was deciding: it saw this thread's stack clean and
                // no old activation since, so the newer generation is this thread's too.
                return Raise(certified);
            }
            if (Engine.Rounds.Current != -roundNumber)
                return generation; // open (the certifier will see the doom) or ended without certifying
            spin.SpinOnce(); // closing: the verdict is a few microseconds away
        }
    }

    /// <summary>
    /// Switches the calling thread, whose universe this is, to the engine's newest generation if nothing
    /// changed since its own is on its stack. The caller of an operation that starts a transition, and a thread
    /// asking for the status, do this: the stack sampler sees only the innermost frames of a deep stack, and the
    /// thread itself sees them all. (A thread that waits for a transition is parked instead: ParkedThreads.)
    /// </summary>
    /// <param name="mayCatchUp">
    /// False for the caller of an operation that just started a transition: where its check rests on the JIT's
    /// record it does not wait for the record (an event flush, up to 100 ms) and stays old; it is switched by
    /// its next call of a patched function, or judged by the certifier (sampled, or parked when it waits).
    /// </param>
    public void SwitchIfClear(bool mayCatchUp = true)
    {
        long generation = Math.Max(Generation, Engine.CertifiedGeneration);
        if (generation >= Engine.PublishedGeneration)
            return;
        var changes = Engine.ChangesAfter(generation);
        if (changes.IsEmpty || StackCheck.IsClear(changes, entering: null, mayCatchUp))
            Raise(changes.UpTo);
    }

    public bool IsAlive => Thread.TryGetTarget(out var thread) && thread.IsAlive;

    public string? Name => Thread.TryGetTarget(out var thread) ? thread.Name : null;
}
