using System.Threading;

namespace PatchGen.Runtime.Tests.Telemetry;

/// <summary>
/// The <c>PatchGen.Runtime</c> meter and the <c>PatchGen-Runtime</c> event source, read by ordinary
/// listeners during real enables, forces, disables and refusals (docs/telemetry.md). The gauges observe
/// the process's engine, so these tests drive it (tests run one at a time, and each patch ID is fresh).
/// </summary>
public sealed class RuntimeTelemetryTests : IDisposable
{
    private static PatchEngine Engine => PatchRuntime.Engine;

    public void Dispose() => RuntimeFixture.Settle();

    [Fact]
    public void EnableForceDisableAndARefusalAreMeasuredAndTraced()
    {
        using var recorder = new TelemetryRecorder();
        var probe = ProbeBase.Create();
        var id = "telemetry-" + Guid.NewGuid().ToString("N")[..8];
        var parked = RuntimeFixture.Park(probe, "parked-telemetry");
        Engine.Enable(probe.Patch(id, ProbeBase.Block("-1")));

        // The parked thread holds the enable open: the gauges show it, once a certification round has looked.
        var deadline = DateTime.UtcNow + RuntimeFixture.Bound;
        double? pending;
        do
        {
            recorder.Observe();
            pending = recorder.Last("patchgen.transition.pending_threads");
        }
        while (pending is null or 0 && DateTime.UtcNow < deadline && WaitABit());
        Assert.True(pending >= 1, $"pending_threads was {pending}");
        Assert.True(recorder.Last("patchgen.patches", "patchgen.patch.state", "enabling") >= 1);

        Engine.Force();
        RuntimeFixture.Release(probe, parked);
        Engine.Disable(id);
        RuntimeFixture.WaitCompleted();
        recorder.Observe();
        Assert.Equal(0, recorder.Last("patchgen.transition.pending_threads"));
        Assert.True(recorder.Last("patchgen.patches", "patchgen.patch.state", "disabled") >= 1);

        var started = recorder.For("patchgen.transitions.started", id).Select(m => m.Tags["patchgen.transition.direction"]).ToList();
        Assert.Equal(new object?[] { "enable", "disable" }, started);
        var completed = recorder.For("patchgen.transitions.completed", id).Select(m => m.Tags["patchgen.transition.direction"]).ToList();
        Assert.Equal(new object?[] { "enable", "disable" }, completed);
        Assert.Equal("enable", Assert.Single(recorder.For("patchgen.transitions.forced", id)).Tags["patchgen.transition.direction"]);
        var durations = recorder.Measurements.Where(m => m.Instrument == "patchgen.transition.duration").ToList();
        Assert.True(durations.Count >= 2);
        Assert.All(durations, d => Assert.Equal("s", d.Unit));
        Assert.All(durations, d => Assert.True(d.Value >= 0));

        var enable = Assert.Single(recorder.EventsNamed("Enable", id));
        Assert.Equal(probe.Name, TelemetryRecorder.Field(enable, "Target"));
        Assert.Single(recorder.EventsNamed("Disable", id));
        Assert.Equal("enable", TelemetryRecorder.Field(Assert.Single(recorder.EventsNamed("Force", id)), "Direction"));
        Assert.Equal(2, recorder.EventsNamed("TransitionStarted", id).Count());
        var done = recorder.EventsNamed("TransitionCompleted", id).ToList();
        Assert.Equal(new object?[] { true, false }, done.Select(e => TelemetryRecorder.Field(e, "Forced")));
        Assert.All(done, e => Assert.True((double)TelemetryRecorder.Field(e, "DurationMs")! >= 0));

        // A patch for another build: refused with its PG ID, on both channels.
        var other = ProbeBase.Create();
        var source = "wrong-base-" + id;
        var image = Compiler.Compile("wrong_base_telemetry", $$"""
            using PatchGen.Runtime;
            [assembly: Patch("{{source}}", "{{probe.Name}}", "{{other.Mvid}}")]
            public static class R { [Replaces("M:Probe.Calc.Inner(System.Int32)")] public static int Inner(object self, int x) => 0; }
            """);
        Assert.Throws<PatchRuntimeException>(() => Engine.Enable(image, null, source));
        var refused = Assert.Single(recorder.EventsNamed("PatchRefused", source));
        Assert.Equal("PG0005", TelemetryRecorder.Field(refused, "DiagnosticId"));
        Assert.Equal("enable", TelemetryRecorder.Field(refused, "Operation"));
        Assert.Contains(recorder.Measurements, m => m.Instrument == "patchgen.operations.refused" && Equals(m.Tags["error.type"], "PG0005"));

        Assert.True(Engine.Unload(id, RuntimeFixture.Bound));
        Assert.Single(recorder.EventsNamed("Unload", id));
    }

    [Fact]
    public void AnAtomicReplaceAndAReversalAreTraced()
    {
        using var recorder = new TelemetryRecorder();
        var engine = new PatchEngine(nameof(AnAtomicReplaceAndAReversalAreTraced));
        var probe = ProbeBase.Create();
        var first = "replaced-" + Guid.NewGuid().ToString("N")[..8];
        var second = "replacing-" + Guid.NewGuid().ToString("N")[..8];
        engine.Enable(probe.Patch(first, ProbeBase.Inner("x + 2"), cumulative: true));
        RuntimeFixture.WaitCompleted(engine);
        engine.Enable(probe.Patch(second, ProbeBase.Leaf("x * 3"), cumulative: true));
        RuntimeFixture.WaitCompleted(engine);
        Assert.Equal(first, TelemetryRecorder.Field(Assert.Single(recorder.EventsNamed("Replace", second)), "ReplacedPatchIds"));

        // An enable held open by a parked thread, disabled before it completes: reversed.
        var third = "reversed-" + Guid.NewGuid().ToString("N")[..8];
        var parked = RuntimeFixture.Park(probe, "parked-reversal");
        engine.Enable(probe.Patch(third, ProbeBase.Block("-1")));
        engine.Disable(third);
        RuntimeFixture.Release(probe, parked);
        RuntimeFixture.WaitCompleted(engine);
        Assert.Single(recorder.EventsNamed("TransitionReversed", third));
        Assert.Single(recorder.For("patchgen.transitions.reversed", third));
        RuntimeFixture.Settle(engine);
    }

    [Fact]
    public void ListenersThatThrowOrTakeTheEnginesLockNeverFailOrBlockAnOperation()
    {
        using var recorder = new TelemetryRecorder();
        var engine = new PatchEngine(nameof(ListenersThatThrowOrTakeTheEnginesLockNeverFailOrBlockAnOperation));
        int blocked = 0, called = 0;
        void Hostile()
        {
            Interlocked.Increment(ref called);
            // Another thread asks the engine for its state: it would wait forever if we were called under its lock.
            if (!Task.Run(engine.CountByState).Wait(RuntimeFixture.Bound))
                Interlocked.Increment(ref blocked);
            throw new InvalidOperationException("a listener's bug");
        }
        recorder.OnMeasurement = Hostile;
        recorder.OnEvent = Hostile;

        var probe = ProbeBase.Create();
        var id = "hostile-" + Guid.NewGuid().ToString("N")[..8];
        engine.Enable(probe.Patch(id, ProbeBase.Inner("x + 2")));
        RuntimeFixture.WaitCompleted(engine);
        Assert.Equal(31, probe.Call("Outer", 1));
        engine.Disable(id);
        RuntimeFixture.WaitCompleted(engine);
        Assert.Equal(21, probe.Call("Outer", 1));
        Assert.Throws<PatchRuntimeException>(() => engine.Disable("no-such-" + id));

        Assert.True(called > 0);
        Assert.Equal(0, blocked);
        RuntimeFixture.Settle(engine);
    }

    private static bool WaitABit()
    {
        Thread.Sleep(50);
        return true;
    }
}
