using System.Runtime.CompilerServices;
using System.Threading;
using PatchGen.Runtime.Consistency;

namespace PatchGen.Runtime.Tests;

/// <summary>
/// Two engines in one process (docs/consistency-model.md, "One engine per site"): an instrumented assembly
/// belongs to the engine that patched it first, and each engine certifies its own transitions while the
/// other's callers wait. Original: Inner(x) = x + 1, Outer(x) = Inner(x) * 10 + x, so Outer(1) = 21.
/// </summary>
public sealed class EngineIsolationTests : IDisposable
{
    private readonly PatchEngine _first = new(nameof(EngineIsolationTests) + " 1");
    private readonly PatchEngine _second = new(nameof(EngineIsolationTests) + " 2");

    public void Dispose()
    {
        RuntimeFixture.Settle(_first);
        RuntimeFixture.Settle(_second);
    }

    [Fact]
    public void AnAssemblyPatchedByOneEngineIsRefusedToAnotherWithPG4003()
    {
        var probe = ProbeBase.Create();
        _first.Enable(probe.Patch("owned-1", ProbeBase.Inner("x + 2")));
        RuntimeFixture.WaitCompleted(_first);

        var e = Assert.Throws<PatchRuntimeException>(() => _second.Enable(probe.Patch("owned-2", ProbeBase.Leaf("x * 100"))));
        Assert.Equal("PG4003", e.DiagnosticId);
        Assert.Contains(probe.Name, e.Message);
        Assert.Contains("another patch engine", e.Message);
        Assert.Empty(_second.GetStatus().Patches);
        Assert.Equal(31, probe.Call("Outer", 1));

        // Even with nothing of it enabled any more, the assembly stays the first engine's.
        _first.Disable("owned-1");
        RuntimeFixture.WaitCompleted(_first);
        Assert.Equal("PG4003", Assert.Throws<PatchRuntimeException>(() => _second.Enable(probe.Patch("owned-3", ProbeBase.Leaf("x * 100")))).DiagnosticId);
        Assert.Equal(21, probe.Call("Outer", 1));
    }

    [Fact]
    public void EachEngineCertifiesItsOwnTransitionWhileTheOthersCallerWaitsDeep()
    {
        var held = ProbeBase.Create();
        var free = ProbeBase.Create();
        var parked = RuntimeFixture.Park(held, "held-in-block");
        _first.Enable(held.Patch("held-1", ProbeBase.Inner("x + 2") + ProbeBase.Block("-1")));

        // A caller waits for the first engine's transition with a stack deeper than the sampler shows: it is
        // parked for every engine, so the second engine's certifier judges its recorded frames, not a cut stack.
        TransitionResult? waited = null;
        int waiterOsThreadId = 0;
        var waiter = new Thread(() =>
        {
            Volatile.Write(ref waiterOsThreadId, OsThreadId.Current());
            waited = WaitDeep(_first, 150);
        }) { IsBackground = true, Name = "deep-waiter" };
        waiter.Start();
        // Parked, not only waiting: before it parks, the waiter looks at its own stack, which can take long.
        Assert.True(SpinWait.SpinUntil(() => Volatile.Read(ref waiterOsThreadId) is int id and not 0 && ParkedThreads.Of(id) is not null, RuntimeFixture.Bound),
            "the waiter never parked");

        _second.Enable(free.Patch("free-1", ProbeBase.Inner("x + 3")));
        RuntimeFixture.WaitCompleted(_second);
        Assert.Equal(41, free.Call("Outer", 1));

        // The first engine's transition is still held by the thread inside its old Block, which is
        // nothing to the second engine.
        Assert.True(SpinWait.SpinUntil(() => _first.GetStatus().Transition?.PendingThreads.Any(t => t.Name == "held-in-block") == true, RuntimeFixture.Bound),
            "the first engine's transition is not held by the thread inside its old Block");
        RuntimeFixture.Release(held, parked);
        Assert.Equal(2, RuntimeFixture.Static<int>(held, "Observed"));
        Assert.True(waiter.Join(RuntimeFixture.Bound));
        Assert.True(waited?.Completed, waited?.Warning);
        Assert.Equal(31, held.Call("Outer", 1));
        Assert.Equal(-1, held.Call("Block", 1));
    }

    /// <summary>Waits for <paramref name="engine"/>'s transition <paramref name="depth"/> frames down.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static TransitionResult WaitDeep(PatchEngine engine, int depth)
    {
        if (depth == 0)
            return engine.WaitForTransition(RuntimeFixture.Bound * 3); // the second engine's transition goes first
        var result = WaitDeep(engine, depth - 1);
        GC.KeepAlive(engine); // not a tail call: every frame stays on the stack
        return result;
    }
}
