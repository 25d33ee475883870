namespace PatchGen.Macro.Pauses;

/// <summary>
/// One stop of the managed threads: from GCSuspendEEBegin to GCRestartEEEnd (a thread that reaches its safe point
/// early waits from then on, so the whole span is the longest any thread can have stood still).
/// <see cref="GCReason"/> and <see cref="GCGeneration"/> are set when a GC ran in it.
/// </summary>
internal sealed record RuntimePause(double StartMs, double EndMs, double SuspendedMs, int SuspendReason, int? GCReason, int? GCGeneration, int ThreadId)
{
    /// <summary>The runtime's <c>ThreadSuspend::SUSPEND_REASON</c> (src/coreclr/vm/threadsuspend.h).</summary>
    public const int SuspendOther = 0, SuspendForGC = 1, SuspendForAppDomainShutdown = 2, SuspendForGCPrep = 6;

    /// <summary>The GC's <c>gc_reason</c> for <c>GC.Collect</c>.</summary>
    public const int GCReasonInduced = 1;

    public double DurationMs => EndMs - StartMs;

    /// <summary>A suspension for a GC (SUSPEND_FOR_GC, or SUSPEND_FOR_GC_PREP, which a background GC uses).</summary>
    public bool IsGC => SuspendReason is SuspendForGC or SuspendForGCPrep;

    /// <summary>
    /// SUSPEND_OTHER: the EventPipe sample profiler suspends with it for each pass
    /// (<c>ep_rt_coreclr_sample_profiler_write_sampling_event_for_threads</c>), and so does tiered compilation when it
    /// deletes its call-counting stubs; the second is what the count outside transitions shows.
    /// </summary>
    public bool IsOther => SuspendReason == SuspendOther;
}
