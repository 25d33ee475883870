using System.Threading;

namespace PatchGen.Runtime.Tests.Consistency;

/// <summary>
/// A method's inline clone (site format 4) is its old body. The callers that run it are functions of every patch of
/// the method, so a thread in the clone normally has one of them on its stack; but where the JIT turned the caller's
/// call into a tail call (<c>return Hold();</c>), the caller's frame is gone and only the clone's is left. That frame
/// alone must hold the thread: switched while inside it, the thread would finish the old body with the new versions
/// of what it calls. The test makes that stack directly (the clone called through a delegate, no caller below it)
/// and checks that the transition waits for the thread and that the thread never sees a new callee from the old body.
/// Before clones counted as their methods, the transition completed at once and the old body returned the new
/// <c>Version</c>.
/// </summary>
public sealed class InlineCloneFrameTests : IDisposable
{
    private const string Source = """
        using System.Threading;
        namespace Probe;

        public class Calc
        {
            public static readonly ManualResetEventSlim Entered = new(false);
            public static readonly ManualResetEventSlim Gate = new(false);

            public static int Version() => 0;

            // Small and called directly by a method with a site: the instrumenter clones it.
            public int Hold() { Entered.Set(); Gate.Wait(); return Version(); }

            public int Run() => Hold();
        }
        """;

    private static readonly Dictionary<string, string> Originals = new()
    {
        ["M:Probe.Calc.Version"] = "public static int Version() => 0;",
        ["M:Probe.Calc.Hold"] = "public static int Hold(Probe.Calc self) { Probe.Calc.Entered.Set(); Probe.Calc.Gate.Wait(); return Probe.Calc.Version(); }",
        ["M:Probe.Calc.Run"] = "public static int Run(Probe.Calc self) => self.Hold();",
    };

    // What the emitter writes for a fix of Version and Hold: both, and Run, which runs Hold's clone.
    private const string Fix = """
        [Replaces("M:Probe.Calc.Version")] public static int Version() => 1;
        [Replaces("M:Probe.Calc.Hold")] public static int Hold(Probe.Calc self) { Probe.Calc.Entered.Set(); Probe.Calc.Gate.Wait(); return Probe.Calc.Version(); }
        [Replaces("M:Probe.Calc.Run")] public static int Run(Probe.Calc self) => self.Hold();
        """;

    private readonly PatchEngine _engine = new(nameof(InlineCloneFrameTests));

    public void Dispose() => RuntimeFixture.Settle(_engine);

    [Fact]
    public void AThreadInsideAClonesFrameAloneHoldsTheTransitionOfItsMethod()
    {
        var probe = ProbeBase.CreateInstrumented(Source, Originals, inlineClones: true);
        var calc = probe.Assembly.GetType("Probe.Calc")!;
        var clone = calc.GetMethod(PatchGen.Diagnostics.PatchSiteFormat.InlineClonePrefix + "Hold", System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.NonPublic);
        Assert.NotNull(clone); // without a clone this test would prove nothing
        var entered = (ManualResetEventSlim)calc.GetField("Entered")!.GetValue(null)!;
        var gate = (ManualResetEventSlim)calc.GetField("Gate")!.GetValue(null)!;

        // The clone's frame with nothing of the patch below it: what a tail call from Run leaves.
        var inClone = clone.CreateDelegate<Func<int>>(probe.Calc);
        int answer = -1;
        var thread = new Thread(() => answer = inClone()) { IsBackground = true, Name = "in-clone" };
        thread.Start();
        Assert.True(entered.Wait(RuntimeFixture.Bound));

        var info = _engine.Enable(probe.Patch("clone-frame", Fix, formatVersion: PatchGen.Diagnostics.PatchFormat.InlineCloneAware));
        Assert.False(_engine.WaitForTransition(TimeSpan.FromSeconds(1)).Completed, "the transition completed while a thread ran the old body of Hold in its clone");
        // PG4001's list comes from the last complete round: wait for one that names the thread.
        var deadline = DateTime.UtcNow + RuntimeFixture.Bound;
        IReadOnlyList<ThreadInfo> pending;
        do
        {
            Thread.Sleep(50);
            pending = _engine.GetStatus().Transition!.PendingThreads;
        }
        while (!pending.Any(p => p.Name == "in-clone") && DateTime.UtcNow < deadline);
        Assert.Contains(pending, p => p.Name == "in-clone" && p.Functions.Contains("M:Probe.Calc.Hold"));

        gate.Set();
        Assert.True(thread.Join(RuntimeFixture.Bound));
        Assert.Equal(0, answer); // the old body with the old Version: not mixed
        Assert.True(_engine.WaitForTransition(RuntimeFixture.Bound).Completed);
        Assert.Equal(1, (int)calc.GetMethod("Run")!.Invoke(probe.Calc, null)!);

        _engine.Disable(info.Id);
        Assert.True(_engine.WaitForTransition(RuntimeFixture.Bound).Completed);
    }
}
