using System.Threading;

namespace PatchGen.Runtime.Tests;

/// <summary>
/// Issue 14's failures of the runtime, reproduced: the log hook that deadlocked every new thread, the
/// log hook that threw, and the registry that kept every thread that ever ran patched code. Each test
/// drives an engine of its own (its log hook, its registry).
/// </summary>
public sealed class RuntimeHardeningTests : IDisposable
{
    private readonly PatchEngine _engine = new(nameof(RuntimeHardeningTests));

    public void Dispose()
    {
        _engine.Log = null;
        RuntimeFixture.Settle(_engine);
    }

    /// <summary>
    /// The log hook takes a lock of the application's (as <c>Console.WriteLine</c> does); a thread holding
    /// that lock makes its first call of a patched function (it registers) while <c>Enable</c> logs. The
    /// runtime never calls the hook under its own lock and registers threads without it, so neither waits
    /// for the other.
    /// </summary>
    [Fact]
    public void ALogHookTakingAnApplicationLockDoesNotDeadlockNewThreads()
    {
        var probe = ProbeBase.Create();
        var consoleLock = new object();
        var lines = new List<string>();
        _engine.Log = line => { lock (consoleLock) lines.Add(line); };
        // Keeps the transition open, so the new thread dispatches through the runtime (and registers).
        var parked = RuntimeFixture.Park(probe, "hardening-parked");
        using var holding = new ManualResetEventSlim();
        int answer = 0;
        var newcomer = new Thread(() =>
        {
            lock (consoleLock)
            {
                holding.Set();
                // The enable below is logging (or about to) while this thread holds the hook's lock.
                Thread.Sleep(200);
                answer = probe.Call("Outer", 1);
            }
        }) { IsBackground = true, Name = "hardening-newcomer" };
        newcomer.Start();
        Assert.True(holding.Wait(RuntimeFixture.Bound));

        var image = probe.Patch("hardening-log-lock", ProbeBase.Inner("x + 2") + ProbeBase.Block("self.Inner(x)"));
        var enable = new Thread(() => _engine.Enable(image)) { IsBackground = true, Name = "hardening-enable" };
        enable.Start();
        Assert.True(newcomer.Join(RuntimeFixture.Bound), "the new thread hung on its first patched call");
        Assert.True(enable.Join(RuntimeFixture.Bound), "Enable hung in the log hook");
        var status = new Thread(() => _engine.GetStatus()) { IsBackground = true, Name = "hardening-status" };
        status.Start();
        Assert.True(status.Join(RuntimeFixture.Bound), "GetStatus hung");
        Assert.True(answer is 21 or 31, $"Outer(1) = {answer}");

        RuntimeFixture.Release(probe, parked);
        RuntimeFixture.WaitCompleted(_engine);
        lock (consoleLock)
            Assert.Contains(lines, l => l.Contains("hardening-log-lock"));
        _engine.Disable("hardening-log-lock");
        RuntimeFixture.WaitCompleted(_engine);
    }

    /// <summary>A hook that throws is the application's failure, not the runtime's: the operation goes on as if it had logged.</summary>
    [Fact]
    public void AThrowingLogHookChangesNothing()
    {
        var probe = ProbeBase.Create();
        int calls = 0;
        _engine.Log = _ => { Interlocked.Increment(ref calls); throw new InvalidOperationException("the log is broken"); };
        _engine.Enable(probe.Patch("hardening-log-throws", ProbeBase.Inner("x + 2")));
        RuntimeFixture.WaitCompleted(_engine);
        Assert.Equal(PatchState.Enabled, _engine.GetStatus().Patches.Single(p => p.Id == "hardening-log-throws").State);
        Assert.Equal(31, probe.Call("Outer", 1));
        _engine.Disable("hardening-log-throws");
        RuntimeFixture.WaitCompleted(_engine);
        Assert.Equal(21, probe.Call("Outer", 1));
        Assert.True(calls >= 2, $"the hook was called {calls} times");
    }

    /// <summary>
    /// Thousands of short-lived threads that ran patched code during a transition (so they registered):
    /// the registry holds about as many entries as there are live threads, without waiting for the next
    /// transition to clean up.
    /// </summary>
    [Fact]
    public void ShortLivedThreadsDoNotAccumulateInTheRegistry()
    {
        var probe = ProbeBase.Create();
        var parked = RuntimeFixture.Park(probe, "hardening-registry-parked");
        _engine.Enable(probe.Patch("hardening-registry", ProbeBase.Inner("x + 2") + ProbeBase.Block("self.Inner(x)")));
        try
        {
            for (int batch = 0; batch < 40; batch++)
            {
                var threads = Enumerable.Range(0, 50).Select(_ => new Thread(() => probe.Call("Outer", 1)) { IsBackground = true }).ToList();
                threads.ForEach(t => t.Start());
                threads.ForEach(t => Assert.True(t.Join(RuntimeFixture.Bound)));
            }
            // 2,000 threads registered; what is left is bounded by the pruning step, not by their number.
            Assert.True(_engine.Threads.Count < 200, $"{_engine.Threads.Count} registry entries after 2,000 short-lived threads");
        }
        finally
        {
            RuntimeFixture.Release(probe, parked);
        }
        RuntimeFixture.WaitCompleted(_engine);
        _engine.Disable("hardening-registry");
        RuntimeFixture.WaitCompleted(_engine);
    }

    /// <summary>
    /// A replacement built against another build of the base, calling a method the running base does not
    /// have: it used to be accepted and throw MissingMethodException at every call. Everything a
    /// replacement binds to is compiled before the transition starts; the patch is refused, nothing changes.
    /// </summary>
    [Fact]
    public void AReplacementCallingAMemberTheBaseLacksIsRefusedBeforeAnythingChanges()
    {
        var probe = ProbeBase.Create();
        var otherBuild = Compiler.Compile(probe.Name, "namespace Probe; public class Calc { public int Inner(int x) => x; public int Extra(int x) => x; }");
        var patch = Compiler.Compile("hardening_missing_callee", $$"""
            using PatchGen.Runtime;
            [assembly: Patch("hardening-missing-callee", "{{probe.Name}}", "{{probe.Mvid}}")]
            public static class Replacements
            {
                [Replaces("M:Probe.Calc.Inner(System.Int32)")] public static int Inner(Probe.Calc self, int x) => self.Extra(x) + 1;
            }
            public static class Originals
            {
                [Original("M:Probe.Calc.Inner(System.Int32)")] public static int Inner(Probe.Calc self, int x) => x + 1;
            }
            """, otherBuild);
        var e = Assert.Throws<PatchRuntimeException>(() => _engine.Enable(patch));
        Assert.Equal("PG0001", e.DiagnosticId);
        Assert.Contains("cannot be compiled against the running base", e.Message);
        Assert.Contains("Extra", e.Message);
        Assert.Equal(21, probe.Call("Outer", 1));
        Assert.Null(_engine.GetStatus().Transition);
        Assert.DoesNotContain(_engine.GetStatus().Patches, p => p.Id == "hardening-missing-callee");
    }

    /// <summary>
    /// A base with inline clones (site format 4) runs copies of small methods in their callers with no check: a patch
    /// that does not say format 3 was written by a PatchGen that does not replace those callers, and is refused
    /// before anything changes (docs/patch-format.md, "Format versions"); the same patch saying format 3 is taken at its word
    /// (the emitter's promise, tested in PatchGen.Emit.Tests' InlineClonePatchTests).
    /// </summary>
    [Fact]
    public void APatchOlderThanInlineClonesIsRefusedForABaseWithThem()
    {
        var probe = ProbeBase.CreateInstrumented(ProbeBase.Source, ProbeBase.SourceOriginals, inlineClones: true);
        const string body = """[Replaces("M:Probe.Calc.Inner(System.Int32)")] public static int Inner(Probe.Calc self, int x) => x + 2;""";
        var e = Assert.Throws<PatchRuntimeException>(() => _engine.Enable(probe.Patch("hardening-old-format", body)));
        Assert.Equal("PG0001", e.DiagnosticId);
        Assert.Contains("does not replace the callers of inline clones", e.Message);
        Assert.Contains(probe.Name, e.Message);
        Assert.Null(_engine.GetStatus().Transition);
        Assert.Empty(_engine.GetStatus().Patches);

        var current = probe.Patch("hardening-current-format", body, formatVersion: PatchGen.Diagnostics.PatchFormat.InlineCloneAware);
        var info = _engine.Enable(current);
        Assert.True(_engine.WaitForTransition(RuntimeFixture.Bound).Completed);
        _engine.Disable(info.Id);
        Assert.True(_engine.WaitForTransition(RuntimeFixture.Bound).Completed);
    }

    /// <summary>
    /// A base with outlined bodies (site format 5) has forwarders where its large methods' bodies were: a patch below
    /// format 4 was written by a PatchGen whose diff engine took a forwarder for the method's body, and is refused before
    /// anything changes; the same patch saying format 4 is taken (docs/patch-format.md, "Format versions").
    /// </summary>
    [Fact]
    public void APatchOlderThanOutlinedBodiesIsRefusedForABaseWithThem()
    {
        const string source = """
            namespace Probe;
            public class Calc
            {
                public int Inner(int x) => x + 1;

                // Over 128 bytes of IL: outlined.
                public static string Large(int[] values)
                {
                    var text = new System.Text.StringBuilder();
                    foreach (var value in values)
                        text.Append(value * 3).Append(',').Append(value.ToString("x")).Append(';');
                    var parts = text.ToString().Split(';', System.StringSplitOptions.RemoveEmptyEntries);
                    System.Array.Reverse(parts);
                    return string.Join("|", parts) + ":" + parts.Length.ToString() + ":" + values.Length.ToString() + ":" + text.Length.ToString();
                }
            }
            """;
        var probe = ProbeBase.CreateInstrumented(source, new Dictionary<string, string> { ["M:Probe.Calc.Inner(System.Int32)"] = "public static int Inner(Probe.Calc self, int x) => x + 1;" }, inlineClones: true);
        Assert.Equal(PatchGen.Diagnostics.PatchSiteFormat.Version, PatchGen.Runtime.Instrumentation.SiteRegistry.For(probe.Assembly)!.FormatVersion);
        const string body = """[Replaces("M:Probe.Calc.Inner(System.Int32)")] public static int Inner(Probe.Calc self, int x) => x + 2;""";
        var e = Assert.Throws<PatchRuntimeException>(() => _engine.Enable(probe.Patch("hardening-pre-outlining", body, formatVersion: PatchGen.Diagnostics.PatchFormat.InlineCloneAware)));
        Assert.Equal("PG0001", e.DiagnosticId);
        Assert.Contains("does not see through outlined bodies", e.Message);
        Assert.Null(_engine.GetStatus().Transition);
        Assert.Empty(_engine.GetStatus().Patches);

        var info = _engine.Enable(probe.Patch("hardening-outlining", body, formatVersion: PatchGen.Diagnostics.PatchFormat.OutlinedBodyAware));
        Assert.True(_engine.WaitForTransition(RuntimeFixture.Bound).Completed);
        Assert.Equal(5, probe.Call("Inner", 3));
        _engine.Disable(info.Id);
        Assert.True(_engine.WaitForTransition(RuntimeFixture.Bound).Completed);
    }
}
