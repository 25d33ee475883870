using System.Diagnostics;

namespace PatchGen.Runtime.Observation;

/// <summary>
/// The stacks of every managed thread at one instant, taken through the runtime's own sample profiler
/// (EventPipe provider Microsoft-DotNETCore-SampleProfiler) in a short in-process session.
/// <para>
/// The sampler suspends the runtime once per pass (every millisecond) and writes one ThreadSample per
/// managed thread, all from its own thread, so they arrive in order. A pass is known to be complete
/// when a thread ID repeats: the next pass has begun. Only that first complete pass is kept, so all
/// stacks come from a single suspension.
/// </para>
/// </summary>
internal sealed class StackSnapshot
{
    /// <summary>EventPipe's stack cap (EP_MAX_STACK_DEPTH).</summary>
    public const int MaxFrames = 100;

    private static readonly EventPipeProvider[] Providers =
    [
        new EventPipeProvider(RuntimeEvents.SampleProfilerProvider, 0, EventLevel.Verbose),
    ];

    private StackSnapshot(IReadOnlyList<ThreadStack> threads, TimeSpan latency, TimeSpan sessionStart, TimeSpan firstSample, DateTime takenAtUtc)
    {
        Threads = threads;
        Latency = latency;
        SessionStartTime = sessionStart;
        FirstSampleTime = firstSample;
        TakenAtUtc = takenAtUtc;
    }

    /// <summary>One entry per managed thread the runtime sampled.</summary>
    public IReadOnlyList<ThreadStack> Threads { get; }

    /// <summary>From the session start request to the pass being known complete.</summary>
    public TimeSpan Latency { get; }

    /// <summary>How long the CollectTracing3 request took.</summary>
    public TimeSpan SessionStartTime { get; }

    /// <summary>From the session start request to the first sample read.</summary>
    public TimeSpan FirstSampleTime { get; }

    /// <summary>When the pass was taken (the runtime's clock).</summary>
    public DateTime TakenAtUtc { get; }

    /// <summary>
    /// Takes one sampling pass. The code versions are looked up in <paramref name="codeMap"/> as it is
    /// now: code compiled since its last update shows as unknown (call
    /// <see cref="RuntimeEventSession.Synchronize"/> first to avoid that).
    /// </summary>
    /// <exception cref="DiagnosticsIpcException">The diagnostic server is not available.</exception>
    /// <exception cref="TimeoutException">No complete pass arrived within <paramref name="timeout"/>.</exception>
    public static StackSnapshot Take(CodeMap codeMap, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(codeMap);
        var clock = Stopwatch.StartNew();
        EventPipeSession session = DiagnosticsIpcClient.StartSession(Providers, requestRundown: false, requestStackwalk: true, circularBufferMB: 32, timeout);
        TimeSpan started = clock.Elapsed;
        if (Consistency.DebugLog.Enabled)
            Consistency.DebugLog.Write($"  session started in {started.TotalMilliseconds:0} ms");

        // Reads block; a watchdog closes the stream if the pass does not come, which ends them.
        var watchdog = new Timer(_ => session.Dispose(), null, Max(TimeSpan.Zero, timeout - clock.Elapsed), Timeout.InfiniteTimeSpan);
        // The latest sample of each thread. Sampling goes on until some thread has been sampled three
        // times: its first and third samples are in different passes two apart, so at least one whole
        // pass (every managed thread) lies in between, whatever pass the stream started in the middle of.
        var samples = new Dictionary<long, (long ThreadId, ThreadSampleKind Kind, ulong[] Stack, long Timestamp)>();
        var seen = new Dictionary<long, int>();
        TimeSpan firstSample = TimeSpan.Zero;
        TimeSpan complete = TimeSpan.Zero;
        var reader = new NettraceReader(session.Stream);
        try
        {
            while (reader.TryReadEvent(out NettraceEvent e))
            {
                if (e.Metadata.ProviderName != RuntimeEvents.SampleProfilerProvider || e.Metadata.EventId != RuntimeEvents.ThreadSample)
                {
                    continue;
                }

                if (samples.Count == 0)
                {
                    firstSample = clock.Elapsed;
                }

                samples[e.ThreadId] = (e.ThreadId, RuntimeEventDecoder.DecodeThreadSample(e.Payload.Span), e.Stack, e.Timestamp);
                seen[e.ThreadId] = seen.TryGetValue(e.ThreadId, out int times) ? times + 1 : 1;
                if (times + 1 >= 3)
                {
                    complete = clock.Elapsed;
                    break;
                }
            }
        }
        finally
        {
            // Stopping takes up to the streaming thread's 100 ms sleep, and the server flushes the
            // session into the socket during the stop request (so someone must keep reading): both
            // happen in the background, and the snapshot is returned as soon as the pass is complete.
            Finished = Task.Run(() => StopAndDrain(session, reader, watchdog, timeout));
        }

        if (complete == TimeSpan.Zero)
        {
            throw new TimeoutException($"No complete sampling pass within {timeout.TotalMilliseconds:F0} ms ({samples.Count} samples; stream {reader.End}: {reader.EndDetail}).");
        }

        if (Consistency.DebugLog.Enabled)
            Consistency.DebugLog.Write($"  sampling pass complete after {complete.TotalMilliseconds:0} ms");
        var threads = new List<ThreadStack>(samples.Count);
        var code = codeMap.AddressIndex();
        if (Consistency.DebugLog.Enabled)
            Consistency.DebugLog.Write($"  address index after {clock.Elapsed.TotalMilliseconds:0} ms");
        foreach (var (threadId, kind, stack, _) in samples.Values)
        {
            var frames = new StackFrame[stack.Length];
            for (int i = 0; i < stack.Length; i++)
            {
                frames[i] = new StackFrame(stack[i], code.Find(stack[i]));
            }

            threads.Add(new ThreadStack(threadId, kind, frames, stack.Length >= MaxFrames));
        }

        DateTime takenAt = reader.TraceInfo is { } info && samples.Count > 0 ? info.ToUtc(samples.Values.Min(v => v.Timestamp)) : DateTime.UtcNow;
        return new StackSnapshot(threads, complete, started, firstSample, takenAt);
    }

    /// <summary>The background stop of the last snapshot's session; its result is how long the stop took (tests measure it).</summary>
    internal static Task<TimeSpan> Finished { get; private set; } = Task.FromResult(TimeSpan.Zero);

    private static TimeSpan StopAndDrain(EventPipeSession session, NettraceReader reader, Timer watchdog, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        try
        {
            Task stop = Task.Run(() =>
            {
                try
                {
                    session.Stop();
                }
                catch (DiagnosticsIpcException)
                {
                    // Disposing below closes the stream, which ends the session all the same.
                }
            });
            while (reader.TryReadEvent(out _))
            {
            }

            stop.Wait(timeout);
            return clock.Elapsed;
        }
        catch (Exception)
        {
            // Background clean-up: nothing to report to, and the session is disposed below regardless.
            return clock.Elapsed;
        }
        finally
        {
            watchdog.Dispose();
            session.Dispose();
        }
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
