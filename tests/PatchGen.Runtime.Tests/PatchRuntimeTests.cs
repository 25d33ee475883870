using System.Threading;

namespace PatchGen.Runtime.Tests;

/// <summary>
/// Every runtime operation against a real base assembly loaded in this process and real patch
/// assemblies in collectible load contexts. Original: Inner(x) = x + 1, Leaf(x) = x,
/// Outer(x) = Inner(x) * 10 + Leaf(x), so Outer(1) = 21. Each test drives an engine of its own (the
/// operations of <see cref="PatchRuntime"/>, on a fresh base that engine claims): a test that fails
/// leaves nothing to the next one.
/// </summary>
public sealed class PatchRuntimeTests : IDisposable
{
    private readonly PatchEngine _engine = new(nameof(PatchRuntimeTests));

    public void Dispose() => RuntimeFixture.Settle(_engine);

    [Fact]
    public void EnableRedirectsCallsAndDisableRevertsThem()
    {
        var probe = ProbeBase.Create();
        Assert.Equal(21, probe.Call("Outer", 1));
        var info = _engine.Enable(probe.Patch("enable-1", ProbeBase.Inner("x + 2")));
        RuntimeFixture.WaitCompleted(_engine);
        Assert.Equal(PatchState.Enabled, _engine.GetStatus().Patches.Single(p => p.Id == "enable-1").State);
        Assert.Equal(new[] { "M:Probe.Calc.Inner(System.Int32)" }, info.Replaces);
        Assert.Equal(31, probe.Call("Outer", 1));

        _engine.Disable("enable-1");
        RuntimeFixture.WaitCompleted(_engine);
        Assert.Equal(21, probe.Call("Outer", 1));
        // Once nothing patches the function, its slot is empty again: it costs what it cost before.
        var site = PatchGen.Runtime.Instrumentation.SiteRegistry.For(probe.Assembly)!.SiteOf(probe.Calc.GetType().GetMethod("Inner")!)!;
        Assert.Equal(false, site.Slot.GetValue(null));
        Assert.True(_engine.Unload("enable-1", RuntimeFixture.Bound), "the patch's load context was not collected");
        Assert.DoesNotContain(_engine.GetStatus().Patches, p => p.Id == "enable-1");
    }

    [Fact]
    public void LeafFunctionsAreRedirected()
    {
        var probe = ProbeBase.Create();
        _engine.Enable(probe.Patch("leaf-1", ProbeBase.Leaf("x * 100")));
        RuntimeFixture.WaitCompleted(_engine);
        Assert.Equal(120, probe.Call("Outer", 1));
        _engine.Disable("leaf-1");
        RuntimeFixture.WaitCompleted(_engine);
        Assert.Equal(21, probe.Call("Outer", 1));
    }

    [Fact]
    public void PatchForAnotherBuildIsRefusedWithPG0005AndChangesNothing()
    {
        var probe = ProbeBase.Create();
        var other = ProbeBase.Create();
        // Same assembly name as `probe`, but bound to `other`'s MVID.
        var image = Compiler.Compile("wrong_base", $$"""
            using PatchGen.Runtime;
            [assembly: Patch("wrong-base", "{{probe.Name}}", "{{other.Mvid}}")]
            public static class R { [Replaces("M:Probe.Calc.Inner(System.Int32)")] public static int Inner(object self, int x) => 0; }
            """);
        var e = Assert.Throws<PatchRuntimeException>(() => _engine.Enable(image));
        Assert.Equal("PG0005", e.DiagnosticId);
        Assert.Contains(other.Mvid.ToString(), e.Message);
        Assert.DoesNotContain(_engine.GetStatus().Patches, p => p.Id == "wrong-base");
        Assert.Null(_engine.GetStatus().Transition);
        Assert.Equal(21, probe.Call("Outer", 1));
    }

    [Theory]
    [InlineData("missing-member", "[Replaces(\"M:Probe.Calc.Nope(System.Int32)\")] public static int Nope(Probe.Calc self, int x) => 0;", "which the loaded base does not have")]
    [InlineData("bad-signature", "[Replaces(\"M:Probe.Calc.Inner(System.Int32)\")] public static int Inner(Probe.Calc self, long x) => 0;", "does not match its signature")]
    [InlineData("not-static", "[Replaces(\"M:Probe.Calc.Inner(System.Int32)\")] public int Inner(Probe.Calc self, int x) => 0;", "must be static")]
    [InlineData("wrong-site", "[Replaces(\"M:Probe.Calc.Inner(System.Int32)\", Site = 4)] public static int Inner(Probe.Calc self, int x) => 0;", "but that method is site 1")]
    [InlineData("empty", "", "replaces no method")]
    public void MalformedPatchIsRefusedWithPG0001(string id, string body, string expected)
    {
        var probe = ProbeBase.Create();
        var source = probe.Patch(id, body);
        var e = Assert.Throws<PatchRuntimeException>(() => _engine.Enable(source));
        Assert.Equal("PG0001", e.DiagnosticId);
        Assert.Contains(expected, e.Message);
        Assert.Equal(21, probe.Call("Outer", 1));
        Assert.DoesNotContain(_engine.GetStatus().Patches, p => p.Id == id);
    }

    [Fact]
    public void UnreadableInputsAreRefusedWithPG0001()
    {
        var missing = Assert.Throws<PatchRuntimeException>(() => _engine.Enable("/nonexistent/patch.dll"));
        Assert.Equal("PG0001", missing.DiagnosticId);
        Assert.Contains("/nonexistent/patch.dll", missing.Message);
        var garbage = Assert.Throws<PatchRuntimeException>(() => _engine.Enable(new byte[] { 1, 2, 3, 4 }));
        Assert.Equal("PG0001", garbage.DiagnosticId);
        var notPatch = Assert.Throws<PatchRuntimeException>(() => _engine.Enable(Compiler.Compile("plain", "public class X {}")));
        Assert.Contains("not a patch assembly", notPatch.Message);
    }

    [Fact]
    public void BaseWithoutPatchSitesIsRefusedWithPG0003()
    {
        var plain = Compiler.Compile("Plain" + Guid.NewGuid().ToString("N")[..6], "namespace Probe; public class Calc { public int Inner(int x) => x; }");
        var assembly = System.Runtime.Loader.AssemblyLoadContext.Default.LoadFromStream(new MemoryStream(plain));
        var patch = Compiler.Compile("p_plain", $$"""
            using PatchGen.Runtime;
            [assembly: Patch("plain-1", "{{assembly.GetName().Name}}", "{{assembly.ManifestModule.ModuleVersionId}}")]
            public static class R { [Replaces("M:Probe.Calc.Inner(System.Int32)")] public static int Inner(object self, int x) => 0; }
            """);
        var e = Assert.Throws<PatchRuntimeException>(() => _engine.Enable(patch));
        Assert.Equal("PG0003", e.DiagnosticId);
    }

    [Fact]
    public void ThreadInsideAnOldFunctionHoldsTheTransitionAndKeepsRunningOldCode()
    {
        var probe = ProbeBase.Create();
        int observed = 0;
        var parked = RuntimeFixture.Park(probe, "parked-in-block", v => observed = v);
        _engine.Enable(probe.Patch("hold-1", ProbeBase.Inner("x + 2") + ProbeBase.Block("-1")));

        // The warning names the threads a certification round found in old code; under load the first round
        // may take longer than one wait, so wait again (bounded) until one has ended. It never completes.
        var stalled = _engine.WaitForTransition(TimeSpan.FromMilliseconds(300));
        var deadline = DateTime.UtcNow + RuntimeFixture.Bound;
        while (!stalled.Completed && stalled.Warning?.Contains("parked-in-block") != true && DateTime.UtcNow < deadline)
            stalled = _engine.WaitForTransition(TimeSpan.FromMilliseconds(300));
        Assert.False(stalled.Completed);
        Assert.Contains("PG4001", stalled.Warning);
        Assert.Contains("parked-in-block", stalled.Warning);
        Assert.Contains("M:Probe.Calc.Block(System.Int32)", stalled.Warning);
        // This thread's stack is deeper than the sampler shows (a test host's): a round that ran while it
        // was between two waits, not parked, may list it too (seen on a loaded machine, main as well). And a
        // round may hold another thread for a moment: one sampled in code compiled too recently to be named
        // (CI saw PatchGen's session disabler so, at the host's first snapshots). The next round no longer
        // does: wait (bounded) for one that holds only the parked thread.
        RuntimeFixture.OnlyPending(_engine, "parked-in-block", t => t.ManagedThreadId != Environment.CurrentManagedThreadId);

        // This thread has nothing of the patch on its stack: it switches on its own and runs new code.
        Assert.Equal(31, probe.Call("Outer", 1));

        // The parked thread is inside the old Block: its call to Inner must still be the old one.
        RuntimeFixture.Release(probe, parked);
        Assert.Equal(2, observed);
        RuntimeFixture.WaitCompleted(_engine);
        Assert.Equal(-1, probe.Call("Block", 1));
    }

    [Fact]
    public void IdleThreadsDoNotHoldTheTransitionOpen()
    {
        var probe = ProbeBase.Create();
        using var stop = new ManualResetEventSlim(false);
        var idle = new Thread(() => { probe.Call("Outer", 1); stop.Wait(); }) { IsBackground = true, Name = "idle" };
        idle.Start();
        Thread.Sleep(50);
        _engine.Enable(probe.Patch("idle-1", ProbeBase.Inner("x + 2")));
        RuntimeFixture.WaitCompleted(_engine);
        stop.Set();
        idle.Join();
    }

    [Fact]
    public void AnotherOperationDuringATransitionIsRefusedWithPG4005()
    {
        var probe = ProbeBase.Create();
        var parked = RuntimeFixture.Park(probe, "parked-4005");
        _engine.Enable(probe.Patch("busy-1", ProbeBase.Block("-1")));
        var e = Assert.Throws<PatchRuntimeException>(() => _engine.Enable(probe.Patch("busy-2", ProbeBase.Inner("x"))));
        Assert.Equal("PG4005", e.DiagnosticId);
        Assert.Contains("busy-1", e.Message);
        Assert.DoesNotContain(_engine.GetStatus().Patches, p => p.Id == "busy-2");
        RuntimeFixture.Release(probe, parked);
        RuntimeFixture.WaitCompleted(_engine);
    }

    [Fact]
    public void ForcingAnEnableCompletesItAndLeavesThePatchUnloadableAfterACleanDisable()
    {
        var probe = ProbeBase.Create();
        var parked = RuntimeFixture.Park(probe, "parked-force");
        _engine.Enable(probe.Patch("force-1", ProbeBase.Block("-1")));
        Assert.False(_engine.WaitForTransition(TimeSpan.FromMilliseconds(100)).Completed);
        var warning = _engine.Force();
        Assert.StartsWith("warning PG4002", warning);
        Assert.Null(_engine.GetStatus().Transition);
        var info = _engine.GetStatus().Patches.Single(p => p.Id == "force-1");
        Assert.Equal(PatchState.Enabled, info.State);
        // Forcing an enable leaves threads only in the original code: the patch itself stays unloadable (the rule
        // worked out for klp_force_transition(), kernel/livepatch/transition.c, in the LKML thread
        // "[PATCH v2] livepatch: Don't block removal of patches that are safe to unload", March 2022).
        Assert.False(info.Forced);
        RuntimeFixture.Release(probe, parked);
        _engine.Disable("force-1");
        RuntimeFixture.WaitCompleted(_engine);
        Assert.True(_engine.Unload("force-1", RuntimeFixture.Bound));
    }

    [Fact]
    public void ForcingADisableMarksThePatchNeverUnloadable()
    {
        var probe = ProbeBase.Create();
        _engine.Enable(probe.Patch("force-2", ProbeBase.Block("Probe.Calc.Gate.Wait(-1) ? 0 : 0") ));
        RuntimeFixture.WaitCompleted(_engine);
        var parked = new Thread(() => probe.Call("Block", 1)) { IsBackground = true, Name = "in-new-block" };
        parked.Start();
        SpinWait.SpinUntil(() => parked.ThreadState.HasFlag(ThreadState.WaitSleepJoin), RuntimeFixture.Bound);
        _engine.Disable("force-2");
        Assert.False(_engine.WaitForTransition(TimeSpan.FromMilliseconds(100)).Completed);
        _engine.Force();
        var info = _engine.GetStatus().Patches.Single(p => p.Id == "force-2");
        Assert.Equal(PatchState.Disabled, info.State);
        Assert.True(info.Forced);
        var e = Assert.Throws<PatchRuntimeException>(() => _engine.Unload("force-2", TimeSpan.FromSeconds(1)));
        Assert.Equal("PG4002", e.DiagnosticId);
        RuntimeFixture.Release(probe, parked);
    }

    [Fact]
    public void StackedPatchesTopMostWinsAndOnlyTheTopCanBeDisabled()
    {
        var probe = ProbeBase.Create();
        _engine.Enable(probe.Patch("stack-1", ProbeBase.Inner("x + 2")));
        RuntimeFixture.WaitCompleted(_engine);
        _engine.Enable(probe.Patch("stack-2", ProbeBase.Inner("x + 3")));
        RuntimeFixture.WaitCompleted(_engine);
        Assert.Equal(41, probe.Call("Outer", 1));
        var e = Assert.Throws<PatchRuntimeException>(() => _engine.Disable("stack-1"));
        Assert.Equal("PG4003", e.DiagnosticId);
        Assert.Contains("stack-2", e.Message);
        _engine.Disable("stack-2");
        RuntimeFixture.WaitCompleted(_engine);
        Assert.Equal(31, probe.Call("Outer", 1));
        _engine.Disable("stack-1");
        RuntimeFixture.WaitCompleted(_engine);
        Assert.Equal(21, probe.Call("Outer", 1));
    }

    [Fact]
    public void AtomicReplaceInstallsTheCumulativePatchAndRevertsWhatItNoLongerPatches()
    {
        var probe = ProbeBase.Create();
        _engine.Enable(probe.Patch("replace-1", ProbeBase.Inner("x + 2")));
        RuntimeFixture.WaitCompleted(_engine);
        _engine.Enable(probe.Patch("replace-2", ProbeBase.Leaf("x * 100")));
        RuntimeFixture.WaitCompleted(_engine);
        Assert.Equal(130, probe.Call("Outer", 1));

        _engine.Enable(probe.Patch("replace-all", ProbeBase.Outer("7"), cumulative: true));
        RuntimeFixture.WaitCompleted(_engine);
        Assert.Equal(7, probe.Call("Outer", 1));
        Assert.Equal(2, probe.Call("Inner", 1));   // reverted to the original
        Assert.Equal(1, probe.Call("Leaf", 1));    // reverted to the original
        var status = _engine.GetStatus().Patches;
        Assert.Equal(PatchState.Replaced, status.Single(p => p.Id == "replace-1").State);
        Assert.Equal(PatchState.Replaced, status.Single(p => p.Id == "replace-2").State);
        Assert.True(_engine.Unload("replace-1", RuntimeFixture.Bound));
        Assert.True(_engine.Unload("replace-2", RuntimeFixture.Bound));

        _engine.Disable("replace-all");
        RuntimeFixture.WaitCompleted(_engine);
        Assert.Equal(21, probe.Call("Outer", 1));
    }

    [Fact]
    public void DisablingDuringTheEnableReversesTheTransition()
    {
        var probe = ProbeBase.Create();
        var parked = RuntimeFixture.Park(probe, "parked-reverse");
        _engine.Enable(probe.Patch("reverse-1", ProbeBase.Inner("x + 2") + ProbeBase.Block("-1")));
        Assert.Equal(31, probe.Call("Outer", 1)); // this thread switched already
        _engine.Disable("reverse-1");
        // The parked thread never left the old universe, which is now the target: nothing holds the reversal.
        RuntimeFixture.WaitCompleted(_engine);
        Assert.Equal(PatchState.Disabled, _engine.GetStatus().Patches.Single(p => p.Id == "reverse-1").State);
        Assert.Equal(21, probe.Call("Outer", 1));
        RuntimeFixture.Release(probe, parked);
        Assert.Equal(2, RuntimeFixture.Static<int>(probe, "Observed"));
        Assert.True(_engine.Unload("reverse-1", RuntimeFixture.Bound));
    }

    [Fact]
    public void ThrowingPrePatchCallbackRefusesThePatchWithPG4004AndChangesNothing()
    {
        var probe = ProbeBase.Create();
        var patch = probe.Patch("callback-1", ProbeBase.Inner("x + 2")
            + "[PatchCallback(PatchCallbackKind.PrePatch)] public static void Pre() => throw new System.InvalidOperationException(\"not today\");");
        var e = Assert.Throws<PatchRuntimeException>(() => _engine.Enable(patch));
        Assert.Equal("PG4004", e.DiagnosticId);
        Assert.Contains("pre-patch", e.Message);
        Assert.Contains("not today", e.Message);
        Assert.DoesNotContain(_engine.GetStatus().Patches, p => p.Id == "callback-1");
        Assert.Null(_engine.GetStatus().Transition);
        Assert.Equal(21, probe.Call("Outer", 1));
    }

    [Fact]
    public void CallbacksRunInOrderAroundTheTransitions()
    {
        var probe = ProbeBase.Create();
        var patch = probe.Patch("callback-2", ProbeBase.Inner("x + 2") + """
            public static readonly System.Collections.Generic.List<string> Calls = new();
            [PatchCallback(PatchCallbackKind.PrePatch)] public static void A() => Calls.Add("pre-patch");
            [PatchCallback(PatchCallbackKind.PostPatch)] public static void B() => Calls.Add("post-patch");
            [PatchCallback(PatchCallbackKind.PreUnpatch)] public static void C() => Calls.Add("pre-unpatch");
            [PatchCallback(PatchCallbackKind.PostUnpatch)] public static void D() => Calls.Add("post-unpatch");
            """);
        var log = new List<string>();
        _engine.Log = log.Add;
        try
        {
            _engine.Enable(patch);
            RuntimeFixture.WaitCompleted(_engine);
            SpinWait.SpinUntil(() => log.Any(l => l.Contains("callback-2: enabled")), RuntimeFixture.Bound);
            _engine.Disable("callback-2");
            RuntimeFixture.WaitCompleted(_engine);
        }
        finally
        {
            _engine.Log = null;
        }
        var calls = (List<string>)AppDomain.CurrentDomain.GetAssemblies()
            .Where(a => a.GetType("Replacements") is not null && a.GetCustomAttributes(typeof(PatchAttribute), false).Cast<PatchAttribute>().Any(p => p.Id == "callback-2"))
            .Select(a => a.GetType("Replacements")!.GetField("Calls")!.GetValue(null)!).Single();
        Assert.Equal(new[] { "pre-patch", "post-patch", "pre-unpatch", "post-unpatch" }, calls);
        Assert.Contains(log, l => l.Contains("callback-2: enabling"));
    }

    [Fact]
    public void ThrowingPostPatchCallbackRevertsThePatch()
    {
        var probe = ProbeBase.Create();
        _engine.Enable(probe.Patch("callback-3", ProbeBase.Inner("x + 2")
            + "[PatchCallback(PatchCallbackKind.PostPatch)] public static void Post() => throw new System.InvalidOperationException(\"post failed\");"));
        Assert.True(SpinWait.SpinUntil(() => _engine.GetStatus().Patches.Single(p => p.Id == "callback-3").State == PatchState.Disabled
            && _engine.GetStatus().Transition is null, RuntimeFixture.Bound));
        Assert.Contains("PG4004", _engine.GetStatus().LastFailure);
        Assert.Contains("post failed", _engine.GetStatus().LastFailure);
        Assert.Equal(21, probe.Call("Outer", 1));
    }

    [Fact]
    public void ThrowingPreUnpatchCallbackKeepsThePatchEnabled()
    {
        var probe = ProbeBase.Create();
        _engine.Enable(probe.Patch("callback-4", ProbeBase.Inner("x + 2")
            + "[PatchCallback(PatchCallbackKind.PreUnpatch)] public static void Pre() => throw new System.InvalidOperationException(\"keep me\");"));
        RuntimeFixture.WaitCompleted(_engine);
        var e = Assert.Throws<PatchRuntimeException>(() => _engine.Disable("callback-4"));
        Assert.Equal("PG4004", e.DiagnosticId);
        Assert.Equal(PatchState.Enabled, _engine.GetStatus().Patches.Single(p => p.Id == "callback-4").State);
        Assert.Equal(31, probe.Call("Outer", 1));
    }

    [Fact]
    public void SystemStateVersionsAreCheckedWithPG4003()
    {
        var probe = ProbeBase.Create();
        _engine.Enable(probe.Patch("state-1", ProbeBase.Inner("x + 2"), assemblyAttributes: "[assembly: PatchSystemState(7, 2)]"));
        RuntimeFixture.WaitCompleted(_engine);

        var older = Assert.Throws<PatchRuntimeException>(() => _engine.Enable(probe.Patch("state-2", ProbeBase.Leaf("x"), assemblyAttributes: "[assembly: PatchSystemState(7, 1)]")));
        Assert.Equal("PG4003", older.DiagnosticId);
        Assert.Contains("state-1 established version 2", older.Message);

        var dropping = Assert.Throws<PatchRuntimeException>(() => _engine.Enable(probe.Patch("state-3", ProbeBase.Leaf("x"), cumulative: true)));
        Assert.Equal("PG4003", dropping.DiagnosticId);
        Assert.Contains("system state 7", dropping.Message);

        _engine.Enable(probe.Patch("state-4", ProbeBase.Inner("x + 4"), cumulative: true, assemblyAttributes: "[assembly: PatchSystemState(7, 2)]"));
        RuntimeFixture.WaitCompleted(_engine);
        Assert.Equal(51, probe.Call("Outer", 1));
        Assert.Equal(PatchState.Replaced, _engine.GetStatus().Patches.Single(p => p.Id == "state-1").State);
    }

    [Fact]
    public void SameIdTwiceAndUnloadingAnEnabledPatchAreRefusedWithPG4003()
    {
        var probe = ProbeBase.Create();
        _engine.Enable(probe.Patch("twice-1", ProbeBase.Inner("x + 2")));
        RuntimeFixture.WaitCompleted(_engine);
        Assert.Equal("PG4003", Assert.Throws<PatchRuntimeException>(() => _engine.Enable(probe.Patch("twice-1", ProbeBase.Leaf("x")))).DiagnosticId);
        Assert.Equal("PG4003", Assert.Throws<PatchRuntimeException>(() => _engine.Unload("twice-1", TimeSpan.FromSeconds(1))).DiagnosticId);
        Assert.Equal("PG4003", Assert.Throws<PatchRuntimeException>(() => _engine.Disable("no-such-patch")).DiagnosticId);
    }

    [Fact]
    public async Task AsyncFlowResumedOnAnotherThreadFollowsThatThreadsUniverse()
    {
        // An await ends a synchronous chain: the continuation runs on whichever pool thread resumes
        // it, in that thread's universe (docs/consistency-model.md, "Async flows").
        var probe = ProbeBase.Create();
        var calc = probe.Method("Outer");
        var release = new TaskCompletionSource();
        var flow = Task.Run(async () =>
        {
            int before = calc(1);
            await release.Task.ConfigureAwait(false);
            int after = calc(1);
            return (before, after);
        });
        await Task.Delay(50);
        _engine.Enable(probe.Patch("async-1", ProbeBase.Inner("x + 2")));
        RuntimeFixture.WaitCompleted(_engine);
        release.SetResult();
        var (before, after) = await flow;
        Assert.Equal(21, before);
        Assert.Equal(31, after);
        _engine.Disable("async-1");
        RuntimeFixture.WaitCompleted(_engine);
    }
}
