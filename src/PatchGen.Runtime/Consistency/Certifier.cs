namespace PatchGen.Runtime.Consistency;

/// <summary>
/// The background thread that certifies one transition of one engine (livepatch's <c>klp_transition_work</c>,
/// which there checks the stacks of tasks that did not switch themselves). Threads switch on their own when
/// they next enter a patched function; the certifier proves that every thread of the process either has
/// switched or has nothing of the transition on its stack and cannot start an old activation any more. It does so in
/// rounds, each a handshake with the threads around one stack snapshot of the whole process
/// (docs/consistency-model.md, "Certification"), retried with a back-off while some thread is still
/// inside a changed function.
/// </summary>
internal sealed class Certifier
{
    private static readonly int[] BackoffMilliseconds = { 0, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000 };
    private static readonly TimeSpan SnapshotTimeout = TimeSpan.FromSeconds(5);
    private readonly PatchEngine _engine;
    private readonly Transition _transition;
    private volatile bool _stopped;

    public Certifier(PatchEngine engine, Transition transition)
    {
        _engine = engine;
        _transition = transition;
    }

    public void Start()
    {
        var thread = new Thread(Run)
        {
            IsBackground = true,
            Name = "PatchGen certifier " + _transition.Patch.Id + (_engine.IsProcessEngine ? "" : " (" + _engine.Name + ")"),
            // Its rounds are short, and every busy thread waits on them to stop looking at its stack.
            Priority = ThreadPriority.Highest,
        };
        thread.Start();
    }

    /// <summary>Asks the certifier to stop (its transition was forced or reversed); it ends at its next round.</summary>
    public void Stop() => _stopped = true;

    private void Run()
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        // An idle process (the common case: a service between requests) certifies in its first round, so that
        // round is taken at once. A busy thread makes it fail (it is still old, or dooms the round); the
        // rounds after it are as they were before this first one was added: the moment, then the back-off.
        if (Attempt())
            return;
        GiveRunningThreadsAMoment(started);
        int pass = 0;
        while (!IsStale)
        {
            if (Attempt())
                return;
            Thread.Sleep(BackoffMilliseconds[Math.Min(pass++, BackoffMilliseconds.Length - 1)]);
        }
    }

    /// <summary>One round; false when it did not certify (or the certifier is stale).</summary>
    private bool Attempt()
    {
        if (IsStale)
            return false;
        try
        {
            return TryCertify();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A round that fails for a reason of its own certifies nothing and changes nothing; say so and retry.
            _transition.Stragglers = new[] { new Straggler(0, null, null, new[] { "certification round failed: " + e.GetType().Name + ": " + e.Message }) };
            return false;
        }
    }

    /// <summary>
    /// Busy threads switch on their own at their next call into a patched function; a round taken before
    /// they did so would only find them old. So after the first round, the next waits until every thread the
    /// runtime knows has switched, or until 50 ms after the transition began (idle threads never switch on
    /// their own, and need the snapshot anyway). Waiting less when no thread is moving (tried with the
    /// file-session snapshots: 2 ms without a switch and the round starts) made the consistency stress test's
    /// busy threads start old code in round after round under CI load, so it is not done.
    /// </summary>
    private void GiveRunningThreadsAMoment(System.Diagnostics.Stopwatch clock)
    {
        while (clock.ElapsedMilliseconds < 50 && !_stopped)
        {
            long certified = _engine.CertifiedGeneration;
            if (_engine.Threads.Live().All(u => Math.Max(u.Generation, certified) >= _transition.Generation))
                return;
            Thread.Sleep(1);
        }
    }

    // One round at a time in the process. Within an engine this is what the model needs: a transition
    // replaced by a reversal leaves its certifier in the middle of a round, which it finishes before it sees
    // that it was stopped; the round state is the engine's, shared by its transitions, and a stale certifier
    // ending "the" round would end its successor's, so that a thread deciding in the successor's round would
    // see none and not doom itself (the stress test caught exactly this). Across engines (only tests make
    // more than one) nothing of the model needs it; rounds are still taken one at a time because each
    // samples every thread of the process, which suspends them all, and one sampling session at a time is
    // what the sampler is known to do well.
    private static readonly object RoundLock = new();

    /// <summary>One round: open, snapshot, check every thread and every doom, close, check again, certify.</summary>
    private bool TryCertify()
    {
        lock (RoundLock)
        {
            if (IsStale)
                return false;
            if (StackObservation.Source is null)
                RuntimeObservation.StartNow();
            int round = _engine.Rounds.Open();
            try
            {
                return TryRound(round);
            }
            finally
            {
                // Ends this round if nothing else did (a certification ends it itself).
                _engine.Rounds.End(round);
            }
        }
    }

    private bool TryRound(int round)
    {
        long target = _transition.Generation;
        // The round's verdicts are logged once it has judged them, so that the log's file writes are not among the
        // steps the timeline measures.
        var log = DebugLog.Enabled ? new System.Text.StringBuilder() : null;
        if (DebugLog.Enabled)
            DebugLog.Mark($"round {round} opened");
        BeforeSnapshotForTests?.Invoke(round);
        var snapshot = StackObservation.Take(SnapshotTimeout, out var whyNot);
        DebugLog.Mark("snapshot taken");
        log?.Append($"round {round} snapshot {(snapshot is null ? whyNot : snapshot.Threads.Count + " threads")}");
        if (IsStale)
            return false;
        if (snapshot is null)
        {
            _transition.Stragglers = new[] { new Straggler(0, null, null, new[] { "the runtime cannot see the stacks of threads that do not run (" + whyNot + ")" }) };
            return false;
        }
        // Every thread's reads after this point see the round open; every doom written before it is visible.
        Interlocked.MemoryBarrierProcessWide();

        var stragglers = new List<Straggler>();
        var sampled = new HashSet<int>();
        long certified = _engine.CertifiedGeneration;
        int self = OsThreadId.Current();
        foreach (var stack in snapshot.Threads)
        {
            // This thread was sampled while it took the snapshot: inside StackObservation.Take, below it only this
            // class's frames and the thread's start, all PatchGen's runtime code, which is never instrumented and
            // inlines no application code. Judging its frames adds nothing, and costs: the first pass samples it
            // inside the session's enable, whose reflection stub is a dynamic method, and a dynamic frame is named
            // only after a catch-up of the JIT's record (~100 ms).
            if (stack.OsThreadId == self)
            {
                sampled.Add(self);
                continue;
            }
            // A round is long (a snapshot, then a verdict per thread); one of a transition replaced meanwhile
            // must give the lock to its successor's certifier at once (the stress test stalled behind one).
            if (IsStale)
                return false;
            sampled.Add(stack.OsThreadId);
            var universe = _engine.Threads.Find(stack.OsThreadId);
            long generation = Math.Max(universe?.Generation ?? certified, certified);
            if (generation >= target)
                continue;
            var changes = _engine.ChangesAfter(generation);
            // A parked thread's own record of its frames is exact where the sampler may have cut the stack. A whole
            // sample that clears it is as good as for any thread (each frame judged by the record of the very code
            // at its address), and needs no catch-up of the JIT's record where the recorded frames may (a caller
            // parked in WaitForTransition below application code); otherwise the recorded frames decide.
            var parking = ParkedThreads.Of(stack.OsThreadId);
            var reasons = ThreadStackVerdict.Inside(stack, changes);
            if (parking is { } parked && reasons.Count > 0)
                reasons = ParkedInside(parked, changes) is { } inside ? new List<string> { inside } : new List<string>();
            log?.Append($"\n  round {round} tid {stack.OsThreadId} {universe?.Name ?? OsThreadNames.Of(stack.OsThreadId)} gen {universe?.Generation.ToString() ?? "unreg"} (certified {certified}, target {target}) parked {parking is not null} trunc {stack.Truncated}: [{string.Join(" < ", stack.Frames.Take(8).Select(f => f.Method is { } m ? m.DeclaringType?.Name + "." + m.Name : f.NameKey ?? (f.Unresolved ? "?unresolved" : "?")))}] -> {string.Join(",", reasons)}");
            if (reasons.Count > 0)
                stragglers.Add(new Straggler(stack.OsThreadId, universe?.ManagedThreadId, universe?.Name ?? OsThreadNames.Of(stack.OsThreadId), reasons));
        }
        DebugLog.Mark("stacks judged");
        foreach (var universe in _engine.Threads.Live())
        {
            if (universe.DoomedRound == round)
                stragglers.Add(new Straggler(universe.OsThreadId, universe.ManagedThreadId, universe.Name, new[] { "started old code during the check" }));
            else if (!sampled.Contains(universe.OsThreadId) && Math.Max(universe.Generation, certified) < target
                     && (ParkedThreads.Of(universe.OsThreadId) is not { } parked || ParkedInside(parked, _engine.ChangesAfter(Math.Max(universe.Generation, certified))) is not null))
                stragglers.Add(new Straggler(universe.OsThreadId, universe.ManagedThreadId, universe.Name, new[] { "not seen by the stack sampler" }));
        }
        // A parked thread that never ran this engine's patched code and that the sampler missed: judged by
        // its frames from the certified generation, as a sampled one would be.
        foreach (var (osThreadId, parked) in ParkedThreads.All)
        {
            if (!sampled.Contains(osThreadId) && _engine.Threads.Find(osThreadId) is null && ParkedInside(parked, _engine.ChangesAfter(certified)) is { } inside)
                stragglers.Add(new Straggler(osThreadId, null, OsThreadNames.Of(osThreadId), new[] { inside }));
        }
        DebugLog.Mark("threads not sampled judged");
        if (log is not null)
            DebugLog.Write(log.ToString());
        // Clears the stragglers when every one of them was deciding and has switched.
        if (stragglers.Count > 0)
            AwaitDecisions(stragglers, round, target);
        if (stragglers.Count == 0 && _engine.Rounds.Close(round) && !AnyDoomed(round))
        {
            _transition.Stragglers = Array.Empty<Straggler>();
            return _engine.Certify(_transition);
        }
        if (stragglers.Count == 0)
            stragglers.Add(new Straggler(0, null, null, new[] { "a thread started old code while the check closed" }));
        _transition.Stragglers = stragglers;
        if (DebugLog.Enabled)
            DebugLog.Write($"round {round} gen {target}: {snapshot.Threads.Count} threads, latency {snapshot.Latency.TotalMilliseconds:0} ms, {string.Join("; ", stragglers.Select(s => s.OsThreadId + " " + s.Name + ": " + string.Join(",", s.Reasons)))}");
        return false;
    }

    /// <summary>Runs in a round after it opened and before its snapshot (tests: to place threads where a race needs them when the round looks).</summary>
    internal static Action<int>? BeforeSnapshotForTests;

    /// <summary>Runs in a round that judged stragglers, before it looks whether they are all deciding (tests).</summary>
    internal static Action<int>? BeforeAwaitingDecisionsForTests;

    private static long s_roundsThatAwaitedDecisions;

    /// <summary>Rounds in this process whose stragglers were all threads deciding, and all switched while the round waited (tests).</summary>
    internal static long RoundsThatAwaitedDecisions => Interlocked.Read(ref s_roundsThatAwaitedDecisions);

    /// <summary>How long a round waits for the threads it found deciding at a function entry.</summary>
    private static readonly TimeSpan DecisionWait = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// When every straggler of the round is a thread deciding at a function entry (<see cref="ThreadUniverse.IsDeciding"/>:
    /// sampled "entering a patched function", or inside the look at its own stack that the entry makes) or one that has
    /// switched since it was judged, waits for the decisions: a thread that switched is no longer a straggler. When all
    /// switched it clears <paramref name="stragglers"/> (the round goes on to close); it leaves them as they are as soon
    /// as one is neither deciding nor switched, or doomed the round, or when the wait runs out: the round then fails as
    /// it would have at once.
    /// <para>
    /// Why this is sound: a thread switches only after its own look at its whole stack found nothing changed on it, and
    /// runs no old code from then on, whatever a sample showed of it before (the round judges threads already switched
    /// the same way). What the wait adds is time with the round open, and the handshake covers every thread that starts
    /// old code in it, as before (docs/consistency-model.md, "Waiting for threads that decide"). Without the wait, a busy
    /// process failed its first round on threads that were still searching their stacks, and paid a second snapshot.
    /// </para>
    /// </summary>
    private void AwaitDecisions(List<Straggler> stragglers, int round, long target)
    {
        BeforeAwaitingDecisionsForTests?.Invoke(round);
        // Registered threads only: the others never decide in this engine. Whether each one is deciding, has switched
        // meanwhile (judging the stacks can take long: naming fresh code waits for the JIT's record), or neither, the
        // loop below asks.
        var deciding = new List<ThreadUniverse>(stragglers.Count);
        foreach (var straggler in stragglers)
        {
            if (straggler.OsThreadId == 0 || _engine.Threads.Find(straggler.OsThreadId) is not { } universe)
                return;
            deciding.Add(universe);
        }
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            if (IsStale)
                return;
            bool pending = false;
            foreach (var universe in deciding)
            {
                if (universe.DoomedRound == round)
                    return;
                // The flag first: a thread that switched raised its generation before it stopped deciding.
                bool stillDeciding = universe.IsDeciding;
                if (Math.Max(universe.Generation, _engine.CertifiedGeneration) >= target)
                    continue;
                if (!stillDeciding)
                    return;
                pending = true;
            }
            if (!pending)
            {
                Interlocked.Increment(ref s_roundsThatAwaitedDecisions);
                stragglers.Clear();
                if (DebugLog.Enabled)
                    DebugLog.Mark($"{deciding.Count} decisions awaited");
                return;
            }
            if (clock.Elapsed >= DecisionWait)
                return;
            Thread.Sleep(1);
        }
    }

    /// <summary>
    /// What a parked thread's recorded frames are inside (a reason for PG4001), or null: judged as the thread
    /// judges its own stack (<see cref="StackCheck.IsClear"/>). Where the answer rests on the JIT's record of
    /// inlining (the IL alone could not rule a changed function out), the record must cover the code the frames
    /// run. That code was compiled before the thread parked, so a record caught up since the park does;
    /// otherwise it is caught up first (an event flush, ~100 ms). A control session's frames (PatchGen's and the
    /// framework's) are ruled out by their IL and cost nothing, and a caller below application code is mostly
    /// cleared by its whole sample before this is asked; before, every transition with a parked caller paid a
    /// catch-up. A catch-up that fails leaves the thread a
    /// straggler: its frames were cleared only by a record that may not describe them.
    /// </summary>
    private static string? ParkedInside(ParkedThreads.Parking parking, ChangeSet changes)
    {
        // Caught up since the thread parked: its frames' code is all in the record, or never will be (NoCode).
        var inlines = InlineKnowledge.Source;
        bool caughtUpSince = inlines is not null && inlines.CaughtUpThrough > parking.Since;
        var inside = StackCheck.FirstInside(parking.Frames, changes, out bool reliesOnFacts, caughtUpSince);
        if (inside is null && reliesOnFacts && !caughtUpSince && inlines is not null)
        {
            bool caughtUp = inlines.CatchUp(SnapshotTimeout);
            if (DebugLog.Enabled)
                DebugLog.Write($"  parked: caught up {(caughtUp ? "" : "NOT ")}for inlining");
            if (!caughtUp)
                return "code whose inlining the runtime's events have not caught up with (parked)";
            inside = StackCheck.FirstInside(parking.Frames, changes, out _, caughtUp: true);
        }
        return inside is null ? null : ThreadStackVerdict.Describe(inside) + " (parked)";
    }

    /// <summary>Stopped, or no longer the current transition: nothing this certifier does can count any more.</summary>
    private bool IsStale => _stopped || _engine.CurrentTransition != _transition;

    private bool AnyDoomed(int round)
    {
        foreach (var universe in _engine.Threads.Live())
        {
            if (universe.DoomedRound == round)
                return true;
        }
        return false;
    }
}
