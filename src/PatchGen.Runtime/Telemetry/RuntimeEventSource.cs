using System.Diagnostics.Tracing;

namespace PatchGen.Runtime.Telemetry;

/// <summary>
/// The <c>PatchGen-Runtime</c> event source (docs/telemetry.md): one event per operation, transition,
/// refusal and patch-directory decision, for <c>dotnet-trace</c>, EventPipe sessions and in-process
/// <see cref="EventListener"/>s. Only <see cref="RuntimeTelemetry"/> writes to it: an in-process listener's
/// <c>OnEventWritten</c> runs synchronously inside <c>WriteEvent</c>, so events are never written under an
/// engine's lock. Event IDs and payload field names are a public contract: only add.
/// </summary>
[EventSource(Name = PatchRuntimeTelemetry.EventSourceName)]
internal sealed class RuntimeEventSource : EventSource
{
    public const int EnableId = 1, DisableId = 2, ReplaceId = 3, ForceId = 4, TransitionStartedId = 5, TransitionCompletedId = 6,
        TransitionReversedId = 7, PatchRefusedId = 8, DirectoryPatchLoadedId = 9, DirectoryPatchSkippedId = 10, UnloadId = 11;

    public static readonly RuntimeEventSource Log = new();

    private RuntimeEventSource()
        : base(EventSourceSettings.EtwSelfDescribingEventFormat)
    {
    }

    /// <summary>A patch was loaded and checked, and its enable starts.</summary>
    [Event(EnableId, Level = EventLevel.Informational, Message = "{0}: enabling a patch for {1} from {2}")]
    public void Enable(string PatchId, string Target, string Source) => WriteEvent(EnableId, PatchId, Target, Source);

    /// <summary>A patch's disable starts (or reverses its enable).</summary>
    [Event(DisableId, Level = EventLevel.Informational, Message = "{0}: disabling")]
    public void Disable(string PatchId) => WriteEvent(DisableId, PatchId);

    /// <summary>A cumulative patch's enable replaces the listed patches (comma-separated) once it completes.</summary>
    [Event(ReplaceId, Level = EventLevel.Informational, Message = "{0}: replacing {1}")]
    public void Replace(string PatchId, string ReplacedPatchIds) => WriteEvent(ReplaceId, PatchId, ReplacedPatchIds);

    /// <summary>The transition of a patch was completed by force (PG4002); direction is enable or disable.</summary>
    [Event(ForceId, Level = EventLevel.Warning, Message = "{0}: {1} transition forced (PG4002)")]
    public void Force(string PatchId, string Direction) => WriteEvent(ForceId, PatchId, Direction);

    [Event(TransitionStartedId, Level = EventLevel.Informational, Message = "{0}: {1} transition started (generation {2})")]
    public void TransitionStarted(string PatchId, string Direction, long Generation)
        => WriteEvent(TransitionStartedId, PatchId, Direction, Generation);

    [Event(TransitionCompletedId, Level = EventLevel.Informational, Message = "{0}: {1} transition completed in {3} ms (generation {2}, forced {4})")]
    public void TransitionCompleted(string PatchId, string Direction, long Generation, double DurationMs, bool Forced)
        => WriteEvent(TransitionCompletedId, PatchId, Direction, Generation, DurationMs, Forced);

    [Event(TransitionReversedId, Level = EventLevel.Informational, Message = "{0}: enable reversed (generation {1})")]
    public void TransitionReversed(string PatchId, long Generation) => WriteEvent(TransitionReversedId, PatchId, Generation);

    /// <summary>An operation was refused; nothing changed. Subject is the patch ID, or the patch's source when its ID is not known.</summary>
    [Event(PatchRefusedId, Level = EventLevel.Warning, Message = "{0} {1} refused: {2}: {3}")]
    public void PatchRefused(string Operation, string Subject, string DiagnosticId, string Message)
        => WriteEvent(PatchRefusedId, Operation, Subject, DiagnosticId, Message);

    [Event(DirectoryPatchLoadedId, Level = EventLevel.Informational, Message = "patch directory {0}: applied {1} (patch {2})")]
    public void DirectoryPatchLoaded(string Directory, string File, string PatchId) => WriteEvent(DirectoryPatchLoadedId, Directory, File, PatchId);

    [Event(DirectoryPatchSkippedId, Level = EventLevel.Warning, Message = "patch directory {0}: skipped {1}: {2}: {3}")]
    public void DirectoryPatchSkipped(string Directory, string File, string DiagnosticId, string Message)
        => WriteEvent(DirectoryPatchSkippedId, Directory, File, DiagnosticId, Message);

    [Event(UnloadId, Level = EventLevel.Informational, Message = "{0}: unloaded (collected {1})")]
    public void Unload(string PatchId, bool Collected) => WriteEvent(UnloadId, PatchId, Collected);
}
