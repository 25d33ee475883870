using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Diagnostics.Tracing;

namespace PatchGen.Runtime.Tests.Telemetry;

/// <summary>
/// Reads the runtime's telemetry the way an application's tooling does: a <see cref="MeterListener"/> on
/// the <c>PatchGen.Runtime</c> meter and an <see cref="EventListener"/> on the <c>PatchGen-Runtime</c>
/// event source, both found by their well-known names only. <see cref="OnMeasurement"/> and
/// <see cref="OnEvent"/> run inside the runtime's calls, as an application's listener would.
/// </summary>
internal sealed class TelemetryRecorder : EventListener
{
    private readonly MeterListener _meters = new();

    public TelemetryRecorder()
    {
        _meters.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == PatchRuntimeTelemetry.MeterName)
                listener.EnableMeasurementEvents(instrument);
        };
        _meters.SetMeasurementEventCallback<long>((i, v, tags, _) => Measured(i, v, tags));
        _meters.SetMeasurementEventCallback<int>((i, v, tags, _) => Measured(i, v, tags));
        _meters.SetMeasurementEventCallback<double>((i, v, tags, _) => Measured(i, v, tags));
        _meters.Start();
    }

    public ConcurrentQueue<(string Instrument, string? Unit, double Value, Dictionary<string, object?> Tags)> Measurements { get; } = new();

    public ConcurrentQueue<EventWrittenEventArgs> Events { get; } = new();

    public Action? OnMeasurement { get; set; }

    public Action? OnEvent { get; set; }

    /// <summary>Collects the observable gauges now.</summary>
    public void Observe() => _meters.RecordObservableInstruments();

    /// <summary>The value of the gauge's last observation with <paramref name="tag"/> = <paramref name="value"/>.</summary>
    public double? Last(string instrument, string? tag = null, string? value = null)
        => Measurements.Where(m => m.Instrument == instrument && (tag is null || Equals(m.Tags.GetValueOrDefault(tag), value)))
            .Select(m => (double?)m.Value).LastOrDefault();

    public IEnumerable<(string Instrument, string? Unit, double Value, Dictionary<string, object?> Tags)> For(string instrument, string patchId)
        => Measurements.Where(m => m.Instrument == instrument && Equals(m.Tags.GetValueOrDefault("patchgen.patch.id"), patchId));

    public IEnumerable<EventWrittenEventArgs> EventsNamed(string name, string patchId)
        => Events.Where(e => e.EventName == name && e.PayloadNames is { } names && e.Payload is { } payload
            && payload.Where((_, i) => names[i] is "PatchId" or "Subject").Contains(patchId));

    public static object? Field(EventWrittenEventArgs e, string name) => e.Payload![e.PayloadNames!.IndexOf(name)];

    public override void Dispose()
    {
        _meters.Dispose();
        base.Dispose();
    }

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name == PatchRuntimeTelemetry.EventSourceName)
            EnableEvents(eventSource, EventLevel.Verbose);
    }

    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        // Called from the base constructor for sources that already exist, before this object's constructor ran.
        if (Events is null || eventData.EventSource.Name != PatchRuntimeTelemetry.EventSourceName)
            return;
        Events.Enqueue(eventData);
        OnEvent?.Invoke();
    }

    private void Measured<T>(Instrument instrument, T value, ReadOnlySpan<KeyValuePair<string, object?>> tags) where T : struct
    {
        var copy = new Dictionary<string, object?>();
        foreach (var tag in tags)
            copy[tag.Key] = tag.Value;
        Measurements.Enqueue((instrument.Name, instrument.Unit, Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture), copy));
        OnMeasurement?.Invoke();
    }
}
