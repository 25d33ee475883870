namespace PatchGen.Runtime.Consistency;

/// <summary>
/// The background thread that certifies one transition (livepatch's <c>klp_transition_work</c>, which
/// there checks the stacks of tasks that did not switch themselves). Threads switch on their own when they
/// next enter a patched function; the certifier proves that every thread either has switched or has
/// nothing of the transition on its stack and cannot start an old activation any more. It does so in
/// rounds, each a handshake with the threads around one stack snapshot of the whole process
/// (docs/consistency-model.md, "Certification"), retried with a back-off while some thread is still
/// inside a changed function.
/// </summary>
internal sealed class Certifier
{
    private static readonly int[] BackoffMilliseconds = { 0, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000 };
    private static readonly TimeSpan SnapshotTimeout = TimeSpan.FromSeconds(5);
    private readonly Transition _transition;
    private volatile bool _stopped;

    public Certifier(Transition transition) => _transition = transition;

    public void Start()
    {
        var thread = new Thread(Run)
        {
            IsBackground = true,
            Name = "PatchGen certifier " + _transition.Patch.Id,
            // Its rounds are short, and every busy thread waits on them to stop looking at its stack.
            Priority = ThreadPriority.Highest,
        };
        thread.Start();
    }

    /// <summary>Asks the certifier to stop (its transition was forced or reversed); it ends at its next round.</summary>
    public void Stop() => _stopped = true;

    private void Run()
    {
        GiveRunningThreadsAMoment();
        int pass = 0;
        while (!IsStale)
        {
            try
            {
                if (TryCertify())
                    return;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // A round that fails for a reason of its own certifies nothing and changes nothing; say so and retry.
                _transition.Stragglers = new[] { new Straggler(0, null, null, new[] { "certification round failed: " + e.GetType().Name + ": " + e.Message }) };
            }
            Thread.Sleep(BackoffMilliseconds[Math.Min(pass++, BackoffMilliseconds.Length - 1)]);
        }
    }

    /// <summary>
    /// Busy threads switch on their own at their next call into a patched function; a round taken before
    /// they did so would only find them old. So the first round waits until every thread the runtime knows
    /// has switched, or 50 ms (idle threads never switch on their own, and need the snapshot anyway).
    /// </summary>
    private void GiveRunningThreadsAMoment()
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (clock.ElapsedMilliseconds < 50 && !_stopped)
        {
            long certified = PatchEngine.CertifiedGeneration;
            if (ThreadRegistry.Live().All(u => Math.Max(u.Generation, certified) >= _transition.Generation))
                return;
            Thread.Sleep(1);
        }
    }

    // One round at a time in the process. A transition replaced by a reversal leaves its certifier in the
    // middle of a round, which it finishes before it sees that it was stopped; the round state is global,
    // and a stale certifier ending "the" round would end its successor's, so that a thread deciding in the
    // successor's round would see none and not doom itself (the stress test caught exactly this).
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
            int round = PatchEngine.OpenRound();
            try
            {
                return TryRound(round);
            }
            finally
            {
                // Ends this round if nothing else did (a certification ends it itself).
                PatchEngine.EndRound(round);
            }
        }
    }

    private bool TryRound(int round)
    {
        long target = _transition.Generation;
        bool debug = DebugLog.Enabled;
        if (debug)
            DebugLog.Write($"round {round} opened");
        var snapshot = StackObservation.Take(SnapshotTimeout, out var whyNot);
        if (debug)
            DebugLog.Write($"round {round} snapshot {(snapshot is null ? whyNot : snapshot.Threads.Count + " threads")}");
        if (IsStale)
            return false;
        if (snapshot is null)
        {
            _transition.Stragglers = new[] { new Straggler(0, null, null, new[] { "the runtime cannot see the stacks of threads that do not run (" + whyNot + ")" }) };
            return false;
        }
        // Every thread's reads after this point see the round open; every doom written before it is visible.
        Interlocked.MemoryBarrierProcessWide();

        // Parked threads are judged from frames they recorded, by the JIT's record of inlining: bring it up
        // to the code they run (they parked before this round began).
        if (ThreadRegistry.Live().Any(u => u.ParkedFrames is not null))
            InlineKnowledge.Source?.CatchUp(SnapshotTimeout);

        var stragglers = new List<Straggler>();
        var sampled = new HashSet<int>();
        long certified = PatchEngine.CertifiedGeneration;
        foreach (var stack in snapshot.Threads)
        {
            // A round is long (a snapshot, then a verdict per thread); one of a transition replaced meanwhile
            // must give the lock to its successor's certifier at once (the stress test stalled behind one).
            if (IsStale)
                return false;
            sampled.Add(stack.OsThreadId);
            var universe = ThreadRegistry.Find(stack.OsThreadId);
            long generation = Math.Max(universe?.Generation ?? certified, certified);
            if (generation >= target)
                continue;
            var changes = PatchEngine.ChangesAfter(generation);
            // A parked thread's own record of its frames is exact where the sampler may have cut the stack.
            var reasons = universe?.ParkedFrames is { } parked
                ? (StackCheck.FirstInside(parked, changes) is { } inside ? new List<string> { ThreadStackVerdict.Describe(inside) + " (parked)" } : new List<string>())
                : ThreadStackVerdict.Inside(stack, changes);
            if (debug)
                DebugLog.Write($"  round {round} tid {stack.OsThreadId} {universe?.Name ?? OsThreadNames.Of(stack.OsThreadId)} gen {universe?.Generation.ToString() ?? "unreg"} (certified {certified}, target {target}) parked {universe?.ParkedFrames is not null} trunc {stack.Truncated}: [{string.Join(" < ", stack.Frames.Take(8).Select(f => f.Method is { } m ? m.DeclaringType?.Name + "." + m.Name : f.NameKey ?? (f.Unresolved ? "?unresolved" : "?")))}] -> {string.Join(",", reasons)}");
            if (reasons.Count > 0)
                stragglers.Add(new Straggler(stack.OsThreadId, universe?.ManagedThreadId, universe?.Name ?? OsThreadNames.Of(stack.OsThreadId), reasons));
        }
        foreach (var universe in ThreadRegistry.Live())
        {
            if (universe.DoomedRound == round)
                stragglers.Add(new Straggler(universe.OsThreadId, universe.ManagedThreadId, universe.Name, new[] { "started old code during the check" }));
            else if (!sampled.Contains(universe.OsThreadId) && Math.Max(universe.Generation, certified) < target
                     && (universe.ParkedFrames is not { } parked || StackCheck.FirstInside(parked, PatchEngine.ChangesAfter(Math.Max(universe.Generation, certified))) is not null))
                stragglers.Add(new Straggler(universe.OsThreadId, universe.ManagedThreadId, universe.Name, new[] { "not seen by the stack sampler" }));
        }
        if (stragglers.Count == 0 && PatchEngine.CloseRound(round) && !AnyDoomed(round))
        {
            _transition.Stragglers = Array.Empty<Straggler>();
            return PatchEngine.Certify(_transition);
        }
        if (stragglers.Count == 0)
            stragglers.Add(new Straggler(0, null, null, new[] { "a thread started old code while the check closed" }));
        _transition.Stragglers = stragglers;
        if (DebugLog.Enabled)
            DebugLog.Write($"round {round} gen {target}: {snapshot.Threads.Count} threads, latency {snapshot.Latency.TotalMilliseconds:0} ms, {string.Join("; ", stragglers.Select(s => s.OsThreadId + " " + s.Name + ": " + string.Join(",", s.Reasons)))}");
        return false;
    }

    /// <summary>Stopped, or no longer the current transition: nothing this certifier does can count any more.</summary>
    private bool IsStale => _stopped || PatchEngine.CurrentTransition != _transition;

    private static bool AnyDoomed(int round)
    {
        foreach (var universe in ThreadRegistry.Live())
        {
            if (universe.DoomedRound == round)
                return true;
        }
        return false;
    }
}
