using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Tracing;
using Microsoft.Diagnostics.NETCore.Client;
using Microsoft.Diagnostics.Tracing;
using PipeProvider = Microsoft.Diagnostics.NETCore.Client.EventPipeProvider;

namespace PatchGen.Runtime.Tests.Telemetry;

/// <summary>
/// An EventPipe session on another process, opened through its diagnostic port as <c>dotnet-trace</c> and
/// <c>dotnet-counters</c> open theirs, with the events decoded by TraceEvent as they arrive.
/// </summary>
internal sealed class EventPipeRecording : IDisposable
{
    private readonly EventPipeSession _session;
    private readonly Thread _reader;
    private bool _stopped;

    public EventPipeRecording(int pid, params PipeProvider[] providers)
    {
        _session = new DiagnosticsClient(pid).StartEventPipeSession(providers, requestRundown: false);
        _reader = new Thread(() =>
        {
            using var source = new EventPipeEventSource(_session.EventStream);
            source.Dynamic.All += e => Events.Enqueue(e.Clone());
            source.Process();
        }) { IsBackground = true, Name = "eventpipe-reader" };
        _reader.Start();
    }

    public ConcurrentQueue<TraceEvent> Events { get; } = new();

    /// <summary>The provider <c>dotnet-trace collect --providers PatchGen-Runtime</c> enables.</summary>
    public static PipeProvider PatchGenEvents() => new(PatchRuntimeTelemetry.EventSourceName, EventLevel.Verbose);

    /// <summary>The provider <c>dotnet-counters monitor --counters PatchGen.Runtime</c> enables (the runtime's MetricsEventSource).</summary>
    public static PipeProvider PatchGenMetrics() => new("System.Diagnostics.Metrics", EventLevel.Informational, 0x2, new Dictionary<string, string>
    {
        ["SessionId"] = "patchgen-test",
        ["Metrics"] = PatchRuntimeTelemetry.MeterName,
        ["RefreshInterval"] = "1",
        ["MaxTimeSeries"] = "1000",
        ["MaxHistograms"] = "20",
    });

    /// <summary>The PatchGen-Runtime events named <paramref name="name"/> so far.</summary>
    public List<TraceEvent> Named(string name)
        => Events.Where(e => e.ProviderName == PatchRuntimeTelemetry.EventSourceName && e.EventName == name).ToList();

    /// <summary>Waits until <paramref name="condition"/> holds or <paramref name="bound"/> passes, then stops the session.</summary>
    public void StopWhen(Func<bool> condition, TimeSpan bound)
    {
        var clock = Stopwatch.StartNew();
        while (!condition() && clock.Elapsed < bound && _reader.IsAlive)
            Thread.Sleep(100);
        Stop(bound);
    }

    public static string? Field(TraceEvent e, string name)
    {
        int index = Array.FindIndex(e.PayloadNames, n => string.Equals(n, name, StringComparison.OrdinalIgnoreCase));
        return index < 0 ? null : e.PayloadValue(index)?.ToString();
    }

    public void Dispose()
    {
        Stop(TimeSpan.FromSeconds(30));
        _session.Dispose();
    }

    private void Stop(TimeSpan bound)
    {
        if (_stopped)
            return;
        _stopped = true;
        try
        {
            _session.Stop();
        }
        catch (Exception e) when (e is ServerErrorException or IOException or TimeoutException)
        {
            // The process is gone or the session already ended: what was read is all there is.
        }
        Assert.True(_reader.Join(bound), "the EventPipe reader did not stop");
    }
}
