namespace PatchGen.Runtime.Observation;

/// <summary>
/// Collects ThreadSample events until they hold one whole sampling pass: the latest sample of each thread,
/// complete once some thread has been sampled three times (its first and third samples are in passes two
/// apart, so at least one whole pass, every managed thread, lies in between, whatever pass the events
/// started in the middle of).
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
        IsComplete = times >= 3;
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
