namespace PatchGen.Runtime.Observation;

/// <summary>
/// One event read from a NetTrace stream. <see cref="Payload"/> points into the reader's current block
/// and is valid only until the next call to <see cref="NettraceReader.TryReadEvent"/>; copy what must
/// outlive it.
/// </summary>
internal readonly struct NettraceEvent
{
    public NettraceEvent(
        EventMetadata metadata, long threadId, long captureThreadId, int processorNumber, uint sequenceNumber,
        long timestamp, int stackId, ulong[] stack, ReadOnlyMemory<byte> payload, bool isSorted)
    {
        Metadata = metadata;
        ThreadId = threadId;
        CaptureThreadId = captureThreadId;
        ProcessorNumber = processorNumber;
        SequenceNumber = sequenceNumber;
        Timestamp = timestamp;
        StackId = stackId;
        Stack = stack;
        Payload = payload;
        IsSorted = isSorted;
    }

    public EventMetadata Metadata { get; }

    /// <summary>The OS thread the event is about (for a sample, the sampled thread).</summary>
    public long ThreadId { get; }

    /// <summary>The OS thread that wrote the event (for a sample, the sampler thread); sequence numbers count per capture thread.</summary>
    public long CaptureThreadId { get; }

    public int ProcessorNumber { get; }

    public uint SequenceNumber { get; }

    /// <summary>QPC ticks; see <see cref="NettraceTraceInfo.QpcFrequency"/>.</summary>
    public long Timestamp { get; }

    /// <summary>0 when the event has no stack.</summary>
    public int StackId { get; }

    /// <summary>Instruction pointers, innermost frame first; empty when the event has no stack (or its stack was not found).</summary>
    public ulong[] Stack { get; }

    public ReadOnlyMemory<byte> Payload { get; }

    public bool IsSorted { get; }
}
