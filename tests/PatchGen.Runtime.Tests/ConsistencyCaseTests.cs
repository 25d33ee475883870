using System.Threading;
using PatchGen.Runtime.Consistency;

namespace PatchGen.Runtime.Tests;

/// <summary>
/// The cases of the consistency guarantee one by one (docs/consistency-model.md, "What holds"), each
/// with a thread caught in the situation the case names at the moment a patch is applied. Every
/// version of every function checks that the <c>Step</c> it calls is of its own version and counts a
/// mismatch in <c>Calc.Mixed</c>; the patches replace all of them, so any mixed call chain shows there.
/// The base is plain C#, instrumented by the real instrumenter; the JIT compiles it as it would in
/// production (tiering, PGO, inlining).
/// </summary>
public sealed class ConsistencyCaseTests : IDisposable
{
    private const string Source = """
        using System;
        using System.Runtime.CompilerServices;
        using System.Threading;
        namespace Probe;

        public interface IStepper { long Run(Calc c, int n); }

        public sealed class Stepper : IStepper
        {
            // Small and monomorphic at its call site: tiered PGO devirtualizes the interface call in
            // Calc.Drive and inlines this behind a type guard.
            [MethodImpl(MethodImplOptions.AggressiveInlining)]
            public long Run(Calc c, int n) { for (int i = 0; i < n; i++) { if (c.Step() != 0) Calc.Mix("Run 0"); } return 0; }
        }

        public class Calc
        {
            public static long Mixed;
            public static string? Where;

            // Counts a mixed call chain, and remembers where the last one was seen.
            public static void Mix(string where) { Interlocked.Increment(ref Mixed); Where = where + " on " + Thread.CurrentThread.Name + " at " + DateTime.UtcNow.ToString("HH:mm:ss.ffffff"); }
            public static volatile bool Stop;
            public static readonly ManualResetEventSlim Running = new(false);
            public static readonly ManualResetEventSlim Gate = new(false);
            public static IStepper Stepper = new Stepper();

            [MethodImpl(MethodImplOptions.NoInlining)]
            public long Step() => 0;

            // A thread inside a function at the moment the function becomes part of a transition.
            public long Loop() { Running.Set(); while (!Stop) { if (Step() != 0) Mix("Loop 0"); } return 0; }

            // Inlined into Host (which the patches do not change): Host's frame is inside it.
            [MethodImpl(MethodImplOptions.AggressiveInlining)]
            public long Body(int n) { for (int i = 0; i < n; i++) { if (Step() != 0) Mix("Body 0"); } return 0; }

            // Long activations: the thread is inside one inlined Body when the transition is published
            // (slots are set a moment before, and from then on calls go through the stub).
            [MethodImpl(MethodImplOptions.AggressiveOptimization)]
            public long Host() { Running.Set(); long v = 0; while (!Stop) v += Body(100_000); return v; }

            // Not changed either; Stepper.Run is inlined into it after guarded devirtualization.
            public long Drive() { Running.Set(); long v = 0; while (!Stop) v += Stepper.Run(this, 200); return v; }

            // Exceptions unwinding through patched frames, caught inside one.
            public long Catcher() { Running.Set(); while (!Stop) { try { Thrower(); } catch (InvalidOperationException) { } if (Step() != 0) Mix("Catcher 0"); } return 0; }

            public long Thrower() { if (Step() != 0) Mix("Thrower 0"); throw new InvalidOperationException("0"); }

            // An exception leaving a patched function altogether.
            public long Escape() { if (Step() != 0) Mix("Escape 0"); throw new InvalidOperationException("0"); }

            // One call chain, for threads started during a transition: returns its version.
            public long Chain() { long first = Step(); Thread.SpinWait(50); if (Step() != first || first != 0) Mix("Chain 0"); return 0; }

            // Parks a thread inside a function of the patch until Gate is set.
            public long Park() { Running.Set(); Gate.Wait(); if (Step() != 0) Mix("Park 0"); return 0; }

            // Calls the test's code (a wait for the transition) from inside a function of the patch.
            public static Func<long>? Inner;

            public long Around() { Running.Set(); long v = Inner!(); if (Step() != 0) Mix("Around 0"); return v; }
        }
        """;

    /// <summary>Version <paramref name="k"/> of every function but Host and Drive: each checks Step against k.</summary>
    private static string Versioned(int k) => $$"""
        [Replaces("M:Probe.Calc.Step")] public static long Step(Probe.Calc self) => {{k}};
        [Replaces("M:Probe.Calc.Loop")] public static long Loop(Probe.Calc self) { Probe.Calc.Running.Set(); while (!Probe.Calc.Stop) { if (self.Step() != {{k}}) Probe.Calc.Mix("Loop {{k}}"); } return {{k}}; }
        [Replaces("M:Probe.Calc.Body(System.Int32)")] public static long Body(Probe.Calc self, int n) { for (int i = 0; i < n; i++) { if (self.Step() != {{k}}) Probe.Calc.Mix("Body {{k}}"); } return {{k}}; }
        [Replaces("M:Probe.Stepper.Run(Probe.Calc,System.Int32)")] public static long Run(Probe.Stepper self, Probe.Calc c, int n) { for (int i = 0; i < n; i++) { if (c.Step() != {{k}}) Probe.Calc.Mix("Run {{k}}"); } return {{k}}; }
        [Replaces("M:Probe.Calc.Catcher")] public static long Catcher(Probe.Calc self) { Probe.Calc.Running.Set(); while (!Probe.Calc.Stop) { try { self.Thrower(); } catch (System.InvalidOperationException) { } if (self.Step() != {{k}}) Probe.Calc.Mix("Catcher {{k}}"); } return {{k}}; }
        [Replaces("M:Probe.Calc.Thrower")] public static long Thrower(Probe.Calc self) { if (self.Step() != {{k}}) Probe.Calc.Mix("Thrower {{k}}"); throw new System.InvalidOperationException("{{k}}"); }
        [Replaces("M:Probe.Calc.Escape")] public static long Escape(Probe.Calc self) { if (self.Step() != {{k}}) Probe.Calc.Mix("Escape {{k}}"); throw new System.InvalidOperationException("{{k}}"); }
        [Replaces("M:Probe.Calc.Chain")] public static long Chain(Probe.Calc self) { long first = self.Step(); System.Threading.Thread.SpinWait(50); if (self.Step() != first || first != {{k}}) Probe.Calc.Mix("Chain {{k}}"); return {{k}}; }
        [Replaces("M:Probe.Calc.Park")] public static long Park(Probe.Calc self) { Probe.Calc.Running.Set(); Probe.Calc.Gate.Wait(); if (self.Step() != {{k}}) Probe.Calc.Mix("Park {{k}}"); return {{k}}; }
        [Replaces("M:Probe.Calc.Around")] public static long Around(Probe.Calc self) { Probe.Calc.Running.Set(); long v = Probe.Calc.Inner!(); if (self.Step() != {{k}}) Probe.Calc.Mix("Around {{k}}"); return v; }
        """;

    /// <summary>The original bodies, as the copies every patch carries.</summary>
    private static readonly Dictionary<string, string> Originals = OriginalsOf(Versioned(0));

    private static Dictionary<string, string> OriginalsOf(string versionZero)
    {
        var originals = new Dictionary<string, string>();
        foreach (var line in versionZero.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            int close = line.IndexOf("\")]", StringComparison.Ordinal);
            var id = line[(line.IndexOf("(\"", StringComparison.Ordinal) + 2)..close];
            originals[id] = line[(close + 3)..].Trim();
        }
        return originals;
    }

    public void Dispose() => RuntimeFixture.Settle();

    private readonly ProbeBase _probe = ProbeBase.CreateInstrumented(Source, Originals);

    private T Static<T>(string name) => (T)_probe.Assembly.GetType("Probe.Calc")!.GetField(name)!.GetValue(null)!;

    private void SetStatic(string name, object value) => _probe.Assembly.GetType("Probe.Calc")!.GetField(name)!.SetValue(null, value);

    private long Mixed => Static<long>("Mixed");

    private void AssertNoneMixed() => Assert.True(Mixed == 0, $"{Mixed} mixed call chains, the last in {Static<string?>("Where") ?? "?"}");

    private long Call(string method) => (long)_probe.Calc.GetType().GetMethod(method)!.Invoke(_probe.Calc, null)!;

    private Func<long> Delegate(string method) => _probe.Calc.GetType().GetMethod(method)!.CreateDelegate<Func<long>>(_probe.Calc);

    /// <summary>Starts a thread running <paramref name="method"/> until Stop, and waits until it is inside.</summary>
    private Thread RunInside(string method, string name)
    {
        var running = Static<ManualResetEventSlim>("Running");
        running.Reset();
        var function = Delegate(method);
        var thread = new Thread(() => function()) { IsBackground = true, Name = name };
        thread.Start();
        Assert.True(running.Wait(RuntimeFixture.Bound), name + " never started");
        return thread;
    }

    private void StopAndJoin(Thread thread)
    {
        SetStatic("Stop", true);
        Assert.True(thread.Join(RuntimeFixture.Bound), thread.Name + " did not stop");
    }

    private byte[] Patch(int k) => _probe.Patch("case-" + k + "-" + _probe.Name, Versioned(k));

    [Fact]
    public void ThreadInsideAFunctionWhenItIsArmedKeepsCallingOldCodeUntilItLeaves()
    {
        var looping = RunInside("Loop", "inside-loop");
        Thread.Sleep(20); // well inside, calling Step all the time
        PatchRuntime.Enable(Patch(1));

        // Loop never returns while Stop is false: the thread stays in the old generation and holds the transition.
        var held = PatchRuntime.WaitForTransition(TimeSpan.FromMilliseconds(500));
        Assert.False(held.Completed);
        WaitUntilPendingNames("inside-loop", "M:Probe.Calc.Loop");
        // This thread has nothing of the patch on its stack: it runs the new code meanwhile.
        Assert.Equal(1, Call("Step"));

        StopAndJoin(looping);
        RuntimeFixture.WaitCompleted();
        AssertNoneMixed();
        // Entered again (Stop is still set, so it returns at once): the new Loop.
        Assert.Equal(1, Call("Loop"));
    }

    [Fact]
    public void CallerThatInlinedAChangedFunctionCountsAsInsideIt()
    {
        var host = RunInside("Host", "inl-host");
        AssertInlined("Host", "Probe.Calc::Body");
        PatchRuntime.Enable(Patch(1));
        // Host returns to its loop between two Body calls: there the thread may switch, and does.
        RuntimeFixture.WaitCompleted();
        Thread.Sleep(50);
        StopAndJoin(host);
        AssertNoneMixed();
        Assert.True(Call("Host") >= 0);
    }

    [Fact]
    public void CallerThatInlinedAChangedFunctionAfterGuardedDevirtualizationCountsAsInsideIt()
    {
        var drive = RunInside("Drive", "gdv-drive");
        // Tiered PGO sees one receiver type at the interface call and recompiles Drive (on-stack
        // replacement of its loop) with Stepper.Run inlined behind a type guard.
        AssertInlined("Drive", "Probe.Stepper::Run");
        PatchRuntime.Enable(Patch(1));
        RuntimeFixture.WaitCompleted();
        Thread.Sleep(50);
        StopAndJoin(drive);
        AssertNoneMixed();
    }

    [Fact]
    public void ExceptionsUnwindingThroughPatchedFramesNeitherMixNorHoldTheTransition()
    {
        // One thread catches, inside an old Catcher, the exceptions of the Thrower it calls: it must keep
        // calling the old Thrower and Step until Catcher returns.
        var catcher = RunInside("Catcher", "catching");
        // Another lets exceptions leave the patched Escape altogether, until the test is done: it must not
        // hold the transition (it is inside Escape only for moments, and the next call switches it).
        var escapingDone = new ManualResetEventSlim(false);
        var escaping = new Thread(() =>
        {
            var escape = Delegate("Escape");
            while (!escapingDone.IsSet)
            {
                try { escape(); } catch (InvalidOperationException) { }
            }
        }) { IsBackground = true, Name = "escaping" };
        escaping.Start();
        Thread.Sleep(20);
        PatchRuntime.Enable(Patch(1));

        WaitUntilPendingNames("catching", "M:Probe.Calc.Catcher");
        StopAndJoin(catcher);
        RuntimeFixture.WaitCompleted(); // while the escaping thread goes on
        escapingDone.Set();
        Assert.True(escaping.Join(RuntimeFixture.Bound));
        AssertNoneMixed();
        var thrown = Assert.Throws<System.Reflection.TargetInvocationException>(() => Call("Escape"));
        Assert.Equal("1", thrown.InnerException!.Message);
    }

    [Fact]
    public void ThreadsCreatedDuringATransitionRunTheNewCodeWithoutMixing()
    {
        var parked = RunInside("Park", "parked-old");
        PatchRuntime.Enable(Patch(1));
        Assert.False(PatchRuntime.WaitForTransition(TimeSpan.FromMilliseconds(200)).Completed);

        var results = new long[4][];
        var threads = Enumerable.Range(0, 4).Select(i => new Thread(() =>
        {
            var chain = Delegate("Chain");
            results[i] = Enumerable.Range(0, 2000).Select(_ => chain()).ToArray();
        }) { IsBackground = true, Name = "newcomer-" + i }).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => Assert.True(t.Join(RuntimeFixture.Bound)));

        // Newcomers have nothing of the patch on their stacks: they switch at their first call.
        Assert.All(results, r => Assert.All(r, version => Assert.Equal(1, version)));
        // A round that ran while a newcomer was registering may list it until the next round: wait for one
        // that lists only the parked thread.
        var parkedOld = RuntimeFixture.OnlyPending(PatchRuntime.Engine, "parked-old");
        Assert.Contains("M:Probe.Calc.Park", parkedOld.Functions);

        Static<ManualResetEventSlim>("Gate").Set();
        Assert.True(parked.Join(RuntimeFixture.Bound));
        RuntimeFixture.WaitCompleted();
        AssertNoneMixed();
    }

    [Fact]
    public void AThreadWaitingForTheTransitionInsideAChangedFunctionHoldsItUntilItLeaves()
    {
        // The waiting thread is parked in PatchGen's own code, below Around, a function of the patch. Its sample
        // (a whole stack) shows Around, and so does its record of its frames: it is a straggler until it leaves.
        bool? innerCompleted = null;
        var gate = Static<ManualResetEventSlim>("Gate");
        SetStatic("Inner", new Func<long>(() =>
        {
            gate.Wait();
            innerCompleted = PatchRuntime.WaitForTransition(TimeSpan.FromMilliseconds(1500)).Completed;
            return 0;
        }));
        var around = RunInside("Around", "waits-inside");
        PatchRuntime.Enable(Patch(1));
        gate.Set();

        WaitUntilPendingNames("waits-inside", "M:Probe.Calc.Around");
        Assert.True(around.Join(RuntimeFixture.Bound));
        Assert.False(innerCompleted);
        RuntimeFixture.WaitCompleted();
        AssertNoneMixed();
        SetStatic("Inner", new Func<long>(() => 0));
        Assert.Equal(0, Call("Around"));
        Assert.Equal(1, Call("Step"));
    }

    [Fact]
    public void ThreadsStillDecidingWhenARoundLooksAreWaitedForAndNeverMix()
    {
        // The race: a certification round samples threads in the middle of deciding at a function entry (their look at
        // their own stack can take long: an IL search, a catch-up of the JIT's record). The round waits for their
        // decisions instead of failing (docs/consistency-model.md, "Waiting for threads that decide"). The deciders are
        // let in just after the round opens; the round's first snapshot waits until all of them are between the look and
        // the act, and they stay there until the round has judged them and is about to wait, so it finds them deciding
        // on any host (timing alone played the race in none of 8 attempts once, on a loaded CI machine). In even attempts
        // one more thread decides from inside an old Around: its look finds Around, so it must doom the round and go on
        // with old code.
        var stepOf = Delegate("Step");
        var chain = Delegate("Chain");
        long awaitedBefore = Certifier.RoundsThatAwaitedDecisions;
        CountdownEvent? deciding = null;
        ManualResetEventSlim? judged = null;
        int firstRound = 0;
        var seen = new HashSet<string>();
        ThreadUniverse.WhileDecidingForTests = universe =>
        {
            if (universe.Name?.StartsWith("decider", StringComparison.Ordinal) != true || universe.Engine.Rounds.Current == 0)
                return;
            // Each decider counts once, whatever number of decisions it makes.
            if (universe.Name != "decider-inside" && deciding is { } count)
            {
                lock (seen)
                {
                    if (seen.Add(universe.Name))
                        count.Signal();
                }
            }
            judged?.Wait(RuntimeFixture.Bound);
        };
        // Only the attempt's first round waits for the deciders: a later one (after a doomed round) finds them switched.
        Certifier.BeforeSnapshotForTests = round =>
        {
            if (Interlocked.CompareExchange(ref firstRound, round, 0) == 0)
                deciding?.Wait(RuntimeFixture.Bound);
        };
        Certifier.BeforeAwaitingDecisionsForTests = round =>
        {
            if (Volatile.Read(ref firstRound) == round)
                judged?.Set();
        };
        try
        {
            for (int k = 1; k <= 8; k++)
            {
                var go = new ManualResetEventSlim(false);
                var versions = new long[3];
                deciding = new CountdownEvent(versions.Length);
                judged = new ManualResetEventSlim(false);
                lock (seen)
                    seen.Clear();
                Volatile.Write(ref firstRound, 0);
                // A decider lives until the transition is over: one that exited before the round judged its sample is not
                // found among the engine's threads, and the round fails instead of waiting (judging 17 threads took 170 ms).
                using var over = new ManualResetEventSlim(false);
                var deciders = Enumerable.Range(0, versions.Length).Select(i => new Thread(() =>
                {
                    go.Wait();
                    versions[i] = chain();
                    over.Wait(RuntimeFixture.Bound);
                }) { IsBackground = true, Name = "decider-" + i }).ToList();
                deciders.ForEach(t => t.Start());

                Thread? inside = null;
                long insideStep = -1;
                if (k % 2 == 0)
                {
                    SetStatic("Inner", new Func<long>(() => { go.Wait(); insideStep = stepOf(); return 0; }));
                    inside = RunInside("Around", "decider-inside");
                }

                PatchRuntime.Enable(Patch(k));
                var deadline = DateTime.UtcNow + RuntimeFixture.Bound;
                while (PatchRuntime.Engine.Rounds.Current <= 0 && PatchRuntime.Engine.CurrentTransition is not null && DateTime.UtcNow < deadline)
                    Thread.SpinWait(20);
                go.Set();
                // This thread waits parked (its stack is deeper than the sampler shows: a round would otherwise hold it as
                // a straggler that is not deciding, and not wait for the others).
                RuntimeFixture.WaitCompleted();
                over.Set();

                deciders.ForEach(t => Assert.True(t.Join(RuntimeFixture.Bound), t.Name + " did not finish"));
                // A clean stack switches at its first entry: the whole chain is the new version.
                Assert.All(versions, version => Assert.Equal(k, version));
                if (inside is not null)
                {
                    Assert.True(inside.Join(RuntimeFixture.Bound), "decider-inside did not finish");
                    // Inside the old Around, its Step was the old one (the version of the patch below).
                    Assert.Equal(k - 1, insideStep);
                }
                AssertNoneMixed();
            }
        }
        finally
        {
            ThreadUniverse.WhileDecidingForTests = null;
            Certifier.BeforeSnapshotForTests = null;
            Certifier.BeforeAwaitingDecisionsForTests = null;
            SetStatic("Inner", new Func<long>(() => 0));
        }
        // Each odd attempt's first round found only deciders, and waited for them (an even one's is doomed).
        long awaited = Certifier.RoundsThatAwaitedDecisions - awaitedBefore;
        Assert.True(awaited >= 4, $"{awaited} rounds waited for deciding threads, not 4: the race was not played");
    }

    [Fact]
    public void AReversalPublishedWhileAThreadReadsTheChangesDoesNotSkipItsStackCheck()
    {
        // The race (docs/consistency-model.md, "Switching: the thread itself"): a thread inside an old Around enters
        // Step while the patch that changes both is being enabled. It reads the functions the uncertified generations
        // touched (up to the enable); the disable that reverses the enable is published before it reads their
        // versions. Compared with each function's newest version (the original again, after the reversal) nothing
        // looked changed, and the thread switched to the enable's generation without looking at its stack: the new
        // Step under the old Around. Compared with the version at the enable's generation, it looks, finds Around,
        // and stays old.
        var gate = Static<ManualResetEventSlim>("Gate");
        var stepOf = Delegate("Step");
        using var reading = new ManualResetEventSlim(false);
        using var reversed = new ManualResetEventSlim(false);
        Thread? inside = null;
        int played = 0;
        long insideStep = -1;
        PatchEngine.BetweenTouchedAndVersionsForTests = _ =>
        {
            if (Thread.CurrentThread == Volatile.Read(ref inside) && Interlocked.Exchange(ref played, 1) == 0)
            {
                reading.Set();
                reversed.Wait(RuntimeFixture.Bound);
            }
        };
        try
        {
            SetStatic("Inner", new Func<long>(() => { gate.Wait(); insideStep = stepOf(); return 0; }));
            var around = RunInside("Around", "reversal-inside");
            Volatile.Write(ref inside, around);
            var enabled = PatchRuntime.Enable(Patch(1));
            gate.Set();

            Assert.True(reading.Wait(RuntimeFixture.Bound), "the thread inside Around never read the changes: the race was not played");
            PatchRuntime.Disable(enabled.Id);
            reversed.Set();

            Assert.True(around.Join(RuntimeFixture.Bound), "reversal-inside did not finish");
            RuntimeFixture.WaitCompleted();
            // Inside the old Around its Step was the old one, and Around saw the same (Mixed counts otherwise).
            Assert.Equal(0, insideStep);
            AssertNoneMixed();
            Assert.Equal(0, Call("Step"));
        }
        finally
        {
            PatchEngine.BetweenTouchedAndVersionsForTests = null;
            reversed.Set();
            SetStatic("Inner", new Func<long>(() => 0));
        }
    }

    /// <summary>The JIT's own record says <paramref name="inlinee"/> was inlined into the code of <paramref name="method"/> (bounded wait: tiering is asynchronous).</summary>
    private void AssertInlined(string method, string inlinee)
    {
        var target = _probe.Calc.GetType().GetMethod(method)!;
        var deadline = DateTime.UtcNow + RuntimeFixture.Bound;
        IReadOnlyCollection<string>? inlinees = null;
        while (DateTime.UtcNow < deadline)
        {
            inlinees = InlineKnowledge.Source?.FactsOf(target)?.Inlinees.ToList();
            if (inlinees is not null && inlinees.Any(i => i.EndsWith(inlinee, StringComparison.Ordinal)))
                return;
            Thread.Sleep(50);
        }
        Assert.Fail($"the JIT did not inline {inlinee} into {method} within {RuntimeFixture.Bound}: inlinees {string.Join(", ", inlinees ?? Array.Empty<string>())}");
    }

    // Threads known only from a stack snapshot carry the name the OS keeps, cut to 15 characters: the
    // names here are shorter.
    /// <summary>The transition's pending threads name <paramref name="thread"/> inside <paramref name="function"/> (after the first certification round).</summary>
    private static void WaitUntilPendingNames(string thread, string function)
    {
        var deadline = DateTime.UtcNow + RuntimeFixture.Bound;
        string seen = "";
        while (DateTime.UtcNow < deadline)
        {
            var pending = PatchRuntime.GetStatus().Transition?.PendingThreads ?? Array.Empty<ThreadInfo>();
            // A parked thread's function is reported as "<ID> (parked)".
            if (pending.Any(t => t.Name == thread && t.Functions.Any(f => f == function || f.StartsWith(function + " ", StringComparison.Ordinal))))
                return;
            seen = string.Join("; ", pending.Select(t => t.Name + ": " + string.Join(",", t.Functions)));
            Thread.Sleep(50);
        }
        Assert.Fail($"{thread} was never named inside {function}; pending: {seen}");
    }
}
