namespace PatchGen.Runtime.Observation;

/// <summary>The NetTrace <c>Trace</c> object: clock and machine facts that apply to every event.</summary>
internal sealed record NettraceTraceInfo(
    DateTime SyncTimeUtc, long SyncTimeQpc, long QpcFrequency, int PointerSize, int ProcessId, int ProcessorCount, int ExpectedCpuSamplingRate)
{
    /// <summary>Converts an event timestamp to UTC wall-clock time.</summary>
    public DateTime ToUtc(long timestamp) =>
        SyncTimeUtc.AddTicks((long)((timestamp - SyncTimeQpc) * (double)TimeSpan.TicksPerSecond / QpcFrequency));
}
