using System.Threading;

namespace PatchGen.Runtime.Tests;

/// <summary>
/// Issue 13, item 2: a patch that replaces a function a thread never leaves (the entry point of an app whose
/// <c>&lt;Main&gt;$</c> sits in <c>app.Run()</c>) cannot complete its transition. Within the wait's timeout the
/// PG4001 warning must say that only force completes it and what force means for that function; and once the
/// thread does leave, the transition completes on its own.
/// </summary>
public sealed class LifetimeFunctionTests : IDisposable
{
    private const string Source = """
        Probe.Loop.Parked.Set();
        while (!Probe.Loop.Stop)
        {
            Probe.Loop.Tick();
            System.Threading.Thread.Sleep(1);
        }

        namespace Probe
        {
            public static class Loop
            {
                public static volatile bool Stop;
                public static readonly System.Threading.ManualResetEventSlim Parked = new(false);
                public static int Ticks;
                public static void Tick() { Ticks++; }
            }
        }
        """;

    private const string MainId = "M:Program.{Main}$(System.String[])";

    public void Dispose() => RuntimeFixture.Settle();

    [Fact]
    public void ATransitionHeldByTheEntryPointSaysOnlyForceCompletesIt()
    {
        var probe = ProbeBase.CreateInstrumented(Source, new Dictionary<string, string>
        {
            [MainId] = "public static void Main(string[] args) { Probe.Loop.Parked.Set(); while (!Probe.Loop.Stop) { Probe.Loop.Tick(); System.Threading.Thread.Sleep(1); } }",
        });
        var loop = probe.Assembly.GetType("Probe.Loop")!;
        var entry = probe.Assembly.EntryPoint!;
        var main = new Thread(() => entry.Invoke(null, new object[] { Array.Empty<string>() })) { Name = "app-main", IsBackground = true };
        main.Start();
        Assert.True(((ManualResetEventSlim)loop.GetField("Parked")!.GetValue(null)!).Wait(RuntimeFixture.Bound));

        PatchRuntime.Enable(probe.Patch("lifetime-1", $$"""
            [Replaces("{{MainId}}")] public static void Main(string[] args) { }
            """));
        try
        {
            var stalled = PatchRuntime.WaitForTransition(TimeSpan.FromMilliseconds(300));
            var deadline = DateTime.UtcNow + RuntimeFixture.Bound;
            while (!stalled.Completed && stalled.Warning?.Contains("entry point") != true && DateTime.UtcNow < deadline)
                stalled = PatchRuntime.WaitForTransition(TimeSpan.FromMilliseconds(300));

            Assert.False(stalled.Completed);
            Assert.Contains("PG4001", stalled.Warning);
            Assert.Contains("app-main", stalled.Warning);
            Assert.Contains(MainId + " is the process's entry point", stalled.Warning);
            Assert.Contains("only with force", stalled.Warning);
        }
        finally
        {
            loop.GetField("Stop")!.SetValue(null, true);
            Assert.True(main.Join(RuntimeFixture.Bound));
        }
        // The thread left the function: nothing holds the transition any more.
        RuntimeFixture.WaitCompleted();
    }

    /// <summary>The negative case: a thread held in an ordinary function gets no such sentence.</summary>
    [Fact]
    public void AnOrdinaryFunctionIsNotCalledAnEntryPoint()
    {
        var probe = ProbeBase.Create();
        var parked = RuntimeFixture.Park(probe, "parked-ordinary");
        PatchRuntime.Enable(probe.Patch("lifetime-2", ProbeBase.Block("-1")));
        try
        {
            var stalled = PatchRuntime.WaitForTransition(TimeSpan.FromMilliseconds(300));
            var deadline = DateTime.UtcNow + RuntimeFixture.Bound;
            while (!stalled.Completed && stalled.Warning?.Contains("parked-ordinary") != true && DateTime.UtcNow < deadline)
                stalled = PatchRuntime.WaitForTransition(TimeSpan.FromMilliseconds(300));
            Assert.Contains("parked-ordinary", stalled.Warning);
            Assert.DoesNotContain("entry point", stalled.Warning);
        }
        finally
        {
            RuntimeFixture.Release(probe, parked);
        }
        RuntimeFixture.WaitCompleted();
    }
}
