namespace PatchGen.Runtime.Observation;

/// <summary>
/// Collects ThreadSample events until every managed thread has been seen: the latest sample of each thread,
/// complete once some thread has been sampled twice.
/// <para>
/// Why twice is enough. A pass writes one sample per thread, all from the sampler's thread during one suspension,
/// in the order of the runtime's thread list; that order is the order the threads were created in (a new thread
/// is appended, a dead one removed, nothing is reordered). A session misses only the beginning of its first pass
/// (enabled while another session's sampler was mid-pass) and the end of its last (disabled mid-pass). So when a
/// thread T has been read twice, in passes p and p + 1, the session received everything in between: the rest of
/// pass p (every thread after T) and the start of pass p + 1 (every thread before T). Each thread that lived
/// through both passes is among them. A thread created after pass p began was created after the session was
/// enabled, which is after the certification round opened; such a thread is what a complete pass would miss too.
/// Until 2026-12 the rule was three samples (a whole pass between the first and the third), which costs one more
/// pass, a millisecond, of every stack snapshot.
/// </para>
/// </summary>
internal sealed class SamplingPass
{
    private readonly Dictionary<long, (ThreadSampleKind Kind, ulong[] Stack, long Timestamp)> _latest = new();
    private readonly Dictionary<long, int> _times = new();

    public int Samples => _latest.Count;

    public bool IsComplete { get; private set; }

    /// <summary>Takes one event; true once the pass is complete (later events are then ignored).</summary>
    public bool Add(in NettraceEvent e)
    {
        if (IsComplete || e.Metadata.ProviderName != RuntimeEvents.SampleProfilerProvider || e.Metadata.EventId != RuntimeEvents.ThreadSample)
            return IsComplete;
        _latest[e.ThreadId] = (RuntimeEventDecoder.DecodeThreadSample(e.Payload.Span), e.Stack, e.Timestamp);
        int times = _times.TryGetValue(e.ThreadId, out int before) ? before + 1 : 1;
        _times[e.ThreadId] = times;
        IsComplete = times >= 2;
        return IsComplete;
    }

    /// <summary>Each thread's stack, its frames looked up in <paramref name="codeMap"/> as it is now.</summary>
    public List<ThreadStack> Stacks(CodeMap codeMap)
    {
        var code = codeMap.AddressIndex();
        var threads = new List<ThreadStack>(_latest.Count);
        foreach (var (threadId, (kind, stack, _)) in _latest)
        {
            var frames = new StackFrame[stack.Length];
            for (int i = 0; i < stack.Length; i++)
                frames[i] = new StackFrame(stack[i], code.Find(stack[i]));
            threads.Add(new ThreadStack(threadId, kind, frames, stack.Length >= StackSnapshot.MaxFrames));
        }

        return threads;
    }

    /// <summary>When the earliest kept sample was taken, on the trace's clock.</summary>
    public DateTime TakenAtUtc(NettraceReader reader)
        => reader.TraceInfo is { } info && _latest.Count > 0 ? info.ToUtc(_latest.Values.Min(v => v.Timestamp)) : DateTime.UtcNow;
}
