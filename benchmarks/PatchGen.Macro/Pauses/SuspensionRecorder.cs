using System.Diagnostics.Tracing;
using Microsoft.Diagnostics.NETCore.Client;
using Microsoft.Diagnostics.Tracing;
using Microsoft.Diagnostics.Tracing.Parsers;

namespace PatchGen.Macro.Pauses;

/// <summary>
/// An EventPipe session on another process, through its diagnostic server: the runtime's GC keyword (0x1) at
/// Informational, which carries GCSuspendEEBegin (with its reason), GCSuspendEEEnd, GCRestartEEBegin,
/// GCRestartEEEnd and GCStart, plus the child's <see cref="TransitionMarkers"/>. Nothing else: no sample profiler
/// (it would suspend the process itself, every millisecond), no rundown, no stacks.
/// </summary>
internal sealed class SuspensionRecorder : IDisposable
{
    private const string RuntimeProvider = "Microsoft-Windows-DotNETRuntime";

    private readonly EventPipeSession _session;
    private readonly Task _reading;
    private readonly List<SuspensionEvent> _events = [];
    private readonly List<PatchOperationMark> _marks = [];
    private int _lost;

    public SuspensionRecorder(int processId)
    {
        var client = new DiagnosticsClient(processId);
        _session = client.StartEventPipeSession(
            [
                new EventPipeProvider(RuntimeProvider, EventLevel.Informational, (long)ClrTraceEventParser.Keywords.GC),
                new EventPipeProvider(TransitionMarkers.SourceName, EventLevel.Informational),
            ],
            requestRundown: false, circularBufferMB: 64);
        var source = new EventPipeEventSource(_session.EventStream);
        var clr = source.Clr;
        // One reader thread calls these handlers; the lists are read only after it has finished.
        clr.GCSuspendEEStart += e => _events.Add(new(e.TimeStampRelativeMSec, SuspensionEventKind.SuspendBegin, (int)e.Reason, ThreadId: e.ThreadID));
        clr.GCSuspendEEStop += e => _events.Add(new(e.TimeStampRelativeMSec, SuspensionEventKind.SuspendEnd, ThreadId: e.ThreadID));
        clr.GCRestartEEStart += e => _events.Add(new(e.TimeStampRelativeMSec, SuspensionEventKind.RestartBegin, ThreadId: e.ThreadID));
        clr.GCRestartEEStop += e => _events.Add(new(e.TimeStampRelativeMSec, SuspensionEventKind.RestartEnd, ThreadId: e.ThreadID));
        clr.GCStart += e => _events.Add(new(e.TimeStampRelativeMSec, SuspensionEventKind.GCStart, (int)e.Reason, e.Depth, e.ThreadID));
        source.Dynamic.All += e =>
        {
            if (e.ProviderName == TransitionMarkers.SourceName && e.EventName is TransitionMarkers.Began or TransitionMarkers.Ended)
                _marks.Add(new(e.TimeStampRelativeMSec, e.EventName == TransitionMarkers.Began, (string)e.PayloadByName("operation"), (int)e.PayloadByName("cycle")));
        };
        _reading = Task.Run(() =>
        {
            source.Process();
            _lost = source.EventsLost;
        });
    }

    /// <summary>Stops the session (the process must still run) and returns everything read, in stream order.</summary>
    public (IReadOnlyList<SuspensionEvent> Events, IReadOnlyList<PatchOperationMark> Marks, int EventsLost) Stop(TimeSpan timeout)
    {
        _session.Stop();
        if (!_reading.Wait(timeout))
            throw new TimeoutException("the trace of the child did not end after its session was stopped");
        return (_events, _marks, _lost);
    }

    public void Dispose() => _session.Dispose();
}
