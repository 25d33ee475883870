using System.Threading;

namespace PatchGen.Runtime.Tests;

/// <summary>
/// Shared helpers: waiting for transitions with a generous bound (of the process's engine, or of a test's
/// own), parking a thread inside a patched function.
/// </summary>
internal static class RuntimeFixture
{
    public static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    public static void WaitCompleted() => WaitCompleted(PatchRuntime.Engine);

    public static void WaitCompleted(PatchEngine engine)
    {
        var result = engine.WaitForTransition(Bound);
        Assert.True(result.Completed, result.Warning);
    }

    /// <summary>Starts a named thread that calls Calc.Block and parks inside it until the base's Gate is set.</summary>
    public static Thread Park(ProbeBase probe, string name, Action<int>? result = null)
    {
        var parked = Static<ManualResetEventSlim>(probe, "Parked");
        parked.Reset();
        var thread = new Thread(() =>
        {
            int value = probe.Call("Block", 1);
            result?.Invoke(value);
        }) { Name = name, IsBackground = true };
        thread.Start();
        Assert.True(parked.Wait(Bound), "the thread did not reach Block");
        return thread;
    }

    public static void Release(ProbeBase probe, Thread thread)
    {
        Static<ManualResetEventSlim>(probe, "Gate").Set();
        Assert.True(thread.Join(Bound));
    }

    /// <summary>
    /// Waits (bounded) for a certification round of <paramref name="engine"/>'s transition that holds exactly one thread,
    /// <paramref name="name"/>, among those <paramref name="counted"/> (all by default), and returns it. A round may hold
    /// another thread for a moment (one registering, one sampled in code compiled too recently to be named); the next
    /// one does not. A failure lists every pending thread with its functions.
    /// </summary>
    public static ThreadInfo OnlyPending(PatchEngine engine, string name, Func<ThreadInfo, bool>? counted = null)
    {
        var deadline = DateTime.UtcNow + Bound;
        List<ThreadInfo> pending;
        while (true)
        {
            pending = engine.GetStatus().Transition!.PendingThreads.Where(counted ?? (_ => true)).ToList();
            if ((pending.Count == 1 && pending[0].Name == name) || DateTime.UtcNow >= deadline)
                break;
            Thread.Sleep(50);
        }
        Assert.True(pending.Count == 1 && pending[0].Name == name,
            "pending threads: " + string.Join("; ", pending.Select(t => $"{t.OsThreadId} {t.Name}: {string.Join(", ", t.Functions)}")));
        return pending[0];
    }

    public static T Static<T>(ProbeBase probe, string field)
        => (T)probe.Assembly.GetType("Probe.Calc")!.GetField(field)!.GetValue(null)!;

    /// <summary>Leaves no transition of the process's engine behind, whatever a failed test did.</summary>
    public static void Settle() => Settle(PatchRuntime.Engine);

    /// <summary>Leaves no transition of <paramref name="engine"/> behind, whatever a failed test did.</summary>
    public static void Settle(PatchEngine engine)
    {
        if (engine.WaitForTransition(TimeSpan.FromSeconds(5)).Completed)
            return;
        try { engine.Force(); } catch (PatchRuntimeException) { }
    }
}
