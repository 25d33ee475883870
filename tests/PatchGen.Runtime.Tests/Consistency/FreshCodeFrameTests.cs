using PatchGen.Runtime.Consistency;

namespace PatchGen.Runtime.Tests.Consistency;

/// <summary>
/// A snapshot from a file session takes a few milliseconds; the runtime's event stream names new code an event
/// flush later (~100 ms). A thread stopped in code compiled a moment before must still be named: by the map
/// caught up past the sample, not reported as "code compiled too recently to be named" (which says nothing to
/// an operator, and holds the transition for a round more). CI once failed on exactly this: PG4001 named no
/// function for a thread parked in a probe's freshly compiled Block.
/// </summary>
public sealed class FreshCodeFrameTests : IDisposable
{
    private const string ThreadName = "pg-fresh-code";

    public void Dispose() => RuntimeFixture.Settle();

    [Fact]
    public void AThreadInCodeCompiledAMomentAgoIsNamed()
    {
        var observation = RuntimeObservation.StartNow();
        Assert.NotNull(observation);
        // The session's first events take longer than the certifier waits for a catch-up (1 s): let them flow.
        Assert.True(observation.CatchUp(TimeSpan.FromSeconds(30)), "the runtime's event stream did not catch up");
        for (int attempt = 0; attempt < 3; attempt++)
        {
            // A new assembly each time: its Block is compiled when the thread calls it, just before the snapshot.
            var probe = ProbeBase.Create();
            var parked = RuntimeFixture.Park(probe, ThreadName);
            try
            {
                var snapshot = StackObservation.Take(TimeSpan.FromSeconds(30), out var whyNot);
                Assert.True(snapshot is not null, whyNot);
                var stack = Assert.Single(snapshot.Threads, t => OsThreadNames.Of(t.OsThreadId) == ThreadName);
                var names = stack.Frames.Select(f => f.Method is { } m ? m.DeclaringType?.FullName + "." + m.Name : f.Unresolved ? "?" + f.Reason : f.NameKey).ToList();
                Assert.True(stack.Frames.Any(f => f.Method is { Name: "Block" } m && m.DeclaringType?.FullName == "Probe.Calc" && m.Module == probe.Assembly.ManifestModule),
                    "Block not named: " + string.Join(" < ", names));
            }
            finally
            {
                RuntimeFixture.Release(probe, parked);
            }
        }
    }
}
