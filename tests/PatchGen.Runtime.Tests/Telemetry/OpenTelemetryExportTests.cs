using OpenTelemetry;
using OpenTelemetry.Metrics;

namespace PatchGen.Runtime.Tests.Telemetry;

/// <summary>
/// An application that exports metrics with OpenTelemetry gets the runtime's instruments with one line,
/// <c>AddMeter("PatchGen.Runtime")</c> (docs/telemetry.md): real operations, read back through the SDK's
/// in-memory exporter.
/// </summary>
public sealed class OpenTelemetryExportTests
{
    [Fact]
    public void AddMeterExportsTheRuntimesInstruments()
    {
        var exported = new List<Metric>();
        using var provider = Sdk.CreateMeterProviderBuilder()
            .AddMeter(PatchRuntimeTelemetry.MeterName)
            .AddInMemoryExporter(exported)
            .Build();
        var engine = new PatchEngine(nameof(AddMeterExportsTheRuntimesInstruments));
        var probe = ProbeBase.Create();
        var id = "otel-" + Guid.NewGuid().ToString("N")[..8];
        engine.Enable(probe.Patch(id, ProbeBase.Inner("x + 2")));
        RuntimeFixture.WaitCompleted(engine);
        engine.Disable(id);
        RuntimeFixture.WaitCompleted(engine);

        Assert.True(provider.ForceFlush(30_000));
        var byName = exported.GroupBy(m => m.Name).ToDictionary(g => g.Key, g => g.Last());
        foreach (var name in new[] { "patchgen.patches", "patchgen.transition.pending_threads", "patchgen.transitions.started", "patchgen.transitions.completed", "patchgen.transition.duration" })
            Assert.True(byName.ContainsKey(name), name + " was not exported; got " + string.Join(", ", byName.Keys));

        var duration = byName["patchgen.transition.duration"];
        Assert.Equal("s", duration.Unit);
        Assert.Equal(MetricType.Histogram, duration.MetricType);
        long started = 0;
        foreach (ref readonly var point in byName["patchgen.transitions.started"].GetMetricPoints())
        {
            foreach (var tag in point.Tags)
            {
                if (tag.Key == "patchgen.patch.id" && Equals(tag.Value, id))
                    started += point.GetSumLong();
            }
        }
        Assert.Equal(2, started); // the enable and the disable
    }
}
