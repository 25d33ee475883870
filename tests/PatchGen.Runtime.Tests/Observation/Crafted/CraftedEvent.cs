namespace PatchGen.Runtime.Tests.Observation.Crafted;

/// <summary>
/// One event for <see cref="NettraceWriter"/> to write: its header fields as NetTrace carries them, and its payload
/// (already encoded; <see cref="RuntimeEventPayloads"/> encodes the runtime events the session reads).
/// </summary>
internal sealed record CraftedEvent(
    int MetadataId, long ThreadId, uint SequenceNumber, long Timestamp, bool IsSorted, byte[] Payload, int ProcessorNumber = 0)
{
    /// <summary>The thread that wrote the event; sequence numbers count per capture thread. The event's own thread unless set.</summary>
    public long CaptureThreadId { get; init; } = ThreadId;
}
