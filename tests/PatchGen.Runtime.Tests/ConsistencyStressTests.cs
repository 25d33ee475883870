using System.Collections.Concurrent;
using System.Diagnostics;
using System.Threading;

namespace PatchGen.Runtime.Tests;

/// <summary>
/// The consistency model under load: 16 threads run call chains whose old and new halves give
/// detectably different answers when mixed, while the main thread enables, stacks, disables,
/// atomically replaces, reverses and forces patches in a loop. Bounded in time; asserts zero mixed
/// observations and that every transition completes (no deadlock).
/// </summary>
public sealed class ConsistencyStressTests : IDisposable
{
    private const int Workers = 16;

    // Chain calls Version twice and LeafVersion once; every patch replaces all of them with its own
    // version number K. A chain is consistent when Chain's K and the three versions it observed are all
    // equal. Park parks a thread inside a function of every patch (to hold a transition open for force)
    // and calls nothing afterwards.
    /// <summary>The functions, as plain C# for the real instrumenter.</summary>
    private const string PlainSource = """
        using System.Threading;
        namespace Probe;

        public class Calc
        {
            public static readonly ManualResetEventSlim Gate = new(false);
            public static readonly ManualResetEventSlim Parked = new(false);

            public long Chain() { long b = Version(); Thread.SpinWait(30); long c = LeafVersion(); long d = Version(); return 0L * 1_000_000_000 + b * 1_000_000 + c * 1_000 + d; }

            public long Version() => Id(0);

            public long LeafVersion() => 0;

            public long Park() { Parked.Set(); Gate.Wait(); return 0; }

            public static long Id(long v) => v;
        }
        """;

    /// <summary>The original bodies, for the copies every hand-written patch carries.</summary>
    private static readonly Dictionary<string, string> Originals = new()
    {
        ["M:Probe.Calc.Chain"] = "public static long Chain(Probe.Calc self) { long b = self.Version(); System.Threading.Thread.SpinWait(30); long c = self.LeafVersion(); long d = self.Version(); return 0L * 1_000_000_000 + b * 1_000_000 + c * 1_000 + d; }",
        ["M:Probe.Calc.Version"] = "public static long Version(Probe.Calc self) => Probe.Calc.Id(0);",
        ["M:Probe.Calc.LeafVersion"] = "public static long LeafVersion(Probe.Calc self) => 0;",
        ["M:Probe.Calc.Park"] = "public static long Park(Probe.Calc self) { Probe.Calc.Parked.Set(); Probe.Calc.Gate.Wait(); return 0; }",
    };

    public void Dispose() => RuntimeFixture.Settle();

    private static string s_operation = "start";

    private static string PatchBody(int k) => $$"""
        [Replaces("M:Probe.Calc.Chain")] public static long Chain(Probe.Calc self) { long b = self.Version(); System.Threading.Thread.SpinWait(30); long c = self.LeafVersion(); long d = self.Version(); return {{k}}L * 1_000_000_000 + b * 1_000_000 + c * 1_000 + d; }
        [Replaces("M:Probe.Calc.Version")] public static long Version(Probe.Calc self) => Probe.Calc.Id({{k}});
        [Replaces("M:Probe.Calc.LeafVersion")] public static long LeafVersion(Probe.Calc self) => {{k}};
        [Replaces("M:Probe.Calc.Park")] public static long Park(Probe.Calc self) { Probe.Calc.Parked.Set(); Probe.Calc.Gate.Wait(); return 0; }
        """;

    [Fact]
    public void NoThreadEverMixesOldAndNewCodeWithinOneCallChain() => Run<DefaultStubs>(ProbeBase.CreateInstrumented(PlainSource, Originals));

    // The default's steady dispatch stubs, which the JIT inlines into the methods (docs/patch-sites.md, "Steady stubs"),
    // put a thread between reading a steady target and calling it in the method's own frame, not a stub's; the same
    // with out-of-line stubs only (--no-steady-stubs), where that thread is in the stub's frame.
    [Fact]
    public void NoThreadEverMixesOldAndNewCodeWithinOneCallChainWithOutOfLineStubs() => Run<OutOfLineStubs>(ProbeBase.CreateInstrumented(PlainSource, Originals, steadyStubs: false));

    // Each run gets code of its own (Run<T> over a struct, and its lambdas with it). Shared, the workers' lambda that
    // tiered PGO compiled with the first run's Probe.Calc.Chain inlined (guarded devirtualization of the delegate call)
    // counts as inside the second run's Chain too: the JIT's record names inlinees by type and method name, and
    // both probes' are Probe.Calc.Chain, so a name match holds the transition (cautious, docs/consistency-model.md,
    // "Inlining"), and the second run's transitions never complete.
    private struct DefaultStubs;

    private struct OutOfLineStubs;

    private static void Run<TRun>(ProbeBase probe)
        where TRun : struct
    {
        var chain = probe.Calc.GetType().GetMethod("Chain")!.CreateDelegate<Func<long>>(probe.Calc);
        var version = probe.Calc.GetType().GetMethod("Version")!.CreateDelegate<Func<long>>(probe.Calc);

        // Patches compiled up front: versions 1..N, every fifth one cumulative.
        const int PatchCount = 32;
        var images = new byte[PatchCount + 1][];
        Parallel.For(1, PatchCount + 1, new ParallelOptions { MaxDegreeOfParallelism = 2 }, k =>
            images[k] = probe.Patch(probe.Name + "-" + k, PatchBody(k), cumulative: k % 5 == 0));

        var mixed = new ConcurrentQueue<string>();
        var seen = new ConcurrentDictionary<long, int>();
        long chains = 0;
        using var stop = new CancellationTokenSource();
        var workers = Enumerable.Range(0, Workers).Select(i => new Thread(() =>
        {
            var local = new HashSet<long>();
            while (!stop.IsCancellationRequested)
            {
                long r = chain();
                long k = r / 1_000_000_000, b = r / 1_000_000 % 1000, c = r / 1000 % 1000, d = r % 1000;
                if (k != b || b != c || c != d)
                    mixed.Enqueue($"Chain {k} saw Version {b}, LeafVersion {c}, Version {d} during '{Volatile.Read(ref s_operation)}' on {Thread.CurrentThread.Name} (OS thread {PatchGen.Runtime.Consistency.OsThreadId.Current()}) at {DateTime.UtcNow:HH:mm:ss.ffffff}, thread in generation {PatchRuntime.Engine.Threads.Current.Generation}, published {PatchRuntime.Engine.PublishedGeneration}, certified {PatchRuntime.Engine.CertifiedGeneration}");
                local.Add(k);
                Interlocked.Increment(ref chains);
                if ((i & 3) == 0)
                    version(); // enters a patched function from outside any chain: switches itself
            }
            foreach (var k in local)
                seen.TryAdd(k, 0);
        }) { IsBackground = true, Name = "stress-" + i }).ToList();
        workers.ForEach(w => w.Start());

        var random = new Random(1234);
        var enabled = new List<int>(); // stack of enabled patches, top last
        var log = new List<string>();
        var clock = Stopwatch.StartNew();
        int next = 1, forced = 0, reversed = 0;
        try
        {
            // 60 s, or up to 180 s when a loaded machine (CI runs test assemblies side by side) makes
            // transitions slow: at least 13 patches go through, so the operations below all occur.
            while (next <= PatchCount && (clock.Elapsed < TimeSpan.FromSeconds(60) || next <= 12) && clock.Elapsed < TimeSpan.FromSeconds(180))
            {
                int action = random.Next(10);
                if (action < 5 || enabled.Count == 0)
                {
                    int k = next++;
                    bool force = action == 0;
                    Thread? sleeper = force ? ParkSleeper(probe, chain) : null;
                    PatchRuntime.Enable(images[k]);
                    log.Add((k % 5 == 0 ? "replace " : "enable ") + k + (force ? " (forced)" : ""));
                    Volatile.Write(ref s_operation, log[^1]);
                    if (force)
                    {
                        ForceOnceOnlyTheSleeperIsLeft(sleeper!);
                        forced++;
                        Release(probe, sleeper!);
                    }
                    else if (action == 1)
                    {
                        // Change of mind while enabling: reverse the transition.
                        PatchRuntime.Disable(probe.Name + "-" + k);
                        log.Add("reverse " + k);
                        Volatile.Write(ref s_operation, log[^1]);
                        reversed++;
                        Wait();
                        // The enable may have completed before the disable arrived: then it was a plain
                        // disable, and an atomic replace had already retired the patches below it.
                        if (k % 5 == 0 && enabled.Count > 0 && StateOf(probe.Name + "-" + enabled[0]) == PatchState.Replaced)
                        {
                            log[^1] += " (replace had completed)";
                            enabled.Clear();
                        }
                        AssertSitesAgree(probe, enabled, log);
                        continue;
                    }
                    Wait();
                    if (k % 5 == 0)
                        enabled.Clear();
                    enabled.Add(k);
                    AssertSitesAgree(probe, enabled, log);
                }
                else
                {
                    int top = enabled[^1];
                    bool force = action == 9;
                    Thread? sleeper = force ? ParkSleeper(probe, chain) : null;
                    PatchRuntime.Disable(probe.Name + "-" + top);
                    log.Add("disable " + top + (force ? " (forced)" : ""));
                    Volatile.Write(ref s_operation, log[^1]);
                    if (force)
                    {
                        ForceOnceOnlyTheSleeperIsLeft(sleeper!);
                        forced++;
                        Release(probe, sleeper!);
                    }
                    Wait();
                    enabled.RemoveAt(enabled.Count - 1);
                    AssertSitesAgree(probe, enabled, log);
                }
            }
        }
        finally
        {
            stop.Cancel();
            workers.ForEach(w => w.Join());
        }

        Assert.True(mixed.IsEmpty, $"{mixed.Count} mixed chains, e.g. {string.Join("; ", mixed.Take(5))}\nafter: {string.Join(", ", log)}");
        // Progress, not speed: a transition is certified by stack snapshots, which 32 busy threads on a
        // small machine slow down; the point is that every one of them completes and none mixes.
        Assert.True(next > 12, $"only {next - 1} patches in {clock.Elapsed}");
        Assert.True(forced > 0 && reversed > 0, $"forced {forced}, reversed {reversed}");
        // The patches really took effect under load: the threads saw many versions.
        Assert.True(seen.Count > 10, $"threads saw only versions {string.Join(",", seen.Keys.Order())} in {chains} chains");
        Assert.Equal(enabled.Count == 0 ? 0 : enabled[^1], chain() / 1_000_000_000);
    }

    private static void Wait()
    {
        // Generous: on a loaded 2-core CI machine a snapshot of 16 spinning threads can take seconds per
        // round; what this detects is a transition that never completes.
        var result = PatchRuntime.WaitForTransition(TimeSpan.FromSeconds(60));
        Assert.True(result.Completed, "transition did not complete (deadlock?): " + result.Warning);
    }

    private static PatchState? StateOf(string id) => PatchRuntime.GetStatus().Patches.LastOrDefault(p => p.Id == id)?.State;

    /// <summary>Every patch patches all four functions, so after each certified transition all four run the top patch (or their original).</summary>
    private static void AssertSitesAgree(ProbeBase probe, IReadOnlyList<int> enabled, List<string> log)
    {
        var registered = PatchGen.Runtime.Instrumentation.SiteRegistry.For(probe.Assembly)!;
        var expected = enabled.Count == 0 ? "(original)" : probe.Name + "-" + enabled[^1];
        foreach (var name in new[] { "Chain", "Version", "LeafVersion", "Park" })
        {
            var site = registered.SiteOf(probe.Calc.GetType().GetMethod(name)!)!;
            var state = site.State;
            var actual = state.Top is null ? "(original)" : state.Top.Patch.Id + (state.Top.IsOriginal ? " (original)" : "");
            Assert.True(state.Steady && expected == actual, $"{name}: expected {expected}, found {actual}{(state.Steady ? "" : " (not steady)")} after {string.Join(", ", log)}");
            Assert.Equal(enabled.Count > 0, (bool)site.Slot.GetValue(null)!);
        }
    }

    /// <summary>A thread parked inside Park, a function of every patch: it holds a transition open until forced.</summary>
    private static Thread ParkSleeper(ProbeBase probe, Func<long> chain)
    {
        var parked = RuntimeFixture.Static<ManualResetEventSlim>(probe, "Parked");
        var gate = RuntimeFixture.Static<ManualResetEventSlim>(probe, "Gate");
        parked.Reset();
        gate.Reset();
        var park = probe.Calc.GetType().GetMethod("Park")!.CreateDelegate<Func<long>>(probe.Calc);
        var thread = new Thread(() => park()) { IsBackground = true, Name = "sleeper" };
        thread.Start();
        Assert.True(parked.Wait(TimeSpan.FromSeconds(20)));
        return thread;
    }

    /// <summary>
    /// Forces only when the sleeper is the one thread left: force is for a thread stuck in a patched
    /// function, and forcing busy threads mid-chain would mix by definition (that is what PG4002 warns of).
    /// </summary>
    private static void ForceOnceOnlyTheSleeperIsLeft(Thread sleeper)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var pending = PatchRuntime.GetStatus().Transition?.PendingThreads;
            Assert.NotNull(pending);
            if (pending!.Count == 1 && (pending[0].ManagedThreadId == sleeper.ManagedThreadId || pending[0].Name == sleeper.Name))
                break;
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), "busy threads did not switch: " + (pending.Count == 0 ? "(no round has named any yet)" : string.Join("; ", pending.Select(p => (p.Name ?? "OS thread " + p.OsThreadId) + ": " + string.Join(", ", p.Functions)))));
            Thread.Sleep(1);
        }
        Assert.StartsWith("warning PG4002", PatchRuntime.Force());
    }

    private static void Release(ProbeBase probe, Thread sleeper)
    {
        RuntimeFixture.Static<ManualResetEventSlim>(probe, "Gate").Set();
        Assert.True(sleeper.Join(TimeSpan.FromSeconds(20)));
    }
}
