using System.Diagnostics.Tracing;

namespace PatchGen.Macro.Pauses;

/// <summary>
/// Marks, in the child of <c>pauses</c>, when each patch operation began and ended, as events of the same trace
/// as the runtime's suspension events: one clock, no conversion between processes. (Not named …Start/…Stop,
/// which would make EventSource treat them as activities.)
/// </summary>
[EventSource(Name = SourceName)]
internal sealed class TransitionMarkers : EventSource
{
    public const string SourceName = "PatchGen-Macro-Pauses";
    public const string Began = "OperationBegan", Ended = "OperationEnded";

    public static readonly TransitionMarkers Log = new();

    /// <summary><paramref name="operation"/> is enable, disable or unload.</summary>
    [Event(1, Level = EventLevel.Informational)]
    public void OperationBegan(string operation, int cycle) => WriteEvent(1, operation, cycle);

    [Event(2, Level = EventLevel.Informational)]
    public void OperationEnded(string operation, int cycle) => WriteEvent(2, operation, cycle);
}
