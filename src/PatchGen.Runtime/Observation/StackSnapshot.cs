using System.Diagnostics;

namespace PatchGen.Runtime.Observation;

/// <summary>
/// The stacks of every managed thread at one instant, taken through the runtime's own sample profiler
/// (EventPipe provider Microsoft-DotNETCore-SampleProfiler) in a short session of this process.
/// <para>
/// The sampler suspends the runtime once per pass (every millisecond) and writes one ThreadSample per
/// managed thread, all from its own thread, so they arrive in order. <see cref="SamplingPass"/> says when
/// every thread has been seen.
/// </para>
/// <para>
/// Two ways to get the samples. A file session of CoreLib's own EventPipe (<see cref="InProcessTraceSession"/>):
/// enabled, left to sample for 2 ms, disabled, read as the disable writes it; 3–7 ms from the enable to the pass read
/// on a machine with CPU to spare, because nothing streams (the disable's rundown goes on after). Or a session of the diagnostic server, read while it streams: the runtime's streaming thread
/// sleeps 100 ms after each write, so that costs ~100 ms (Observation/README.md, "Measured here"), but it copes
/// better with a CPU-starved process. <see cref="SnapshotWayChooser"/> picks the one that was faster recently;
/// the diagnostic server is also the fallback (another runtime's CoreLib, no <c>memfd_create</c>).
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

    /// <summary>How long a file session samples before it is read, at least (the two passes <see cref="SamplingPass"/> needs take ~1.1 ms when the machine is free, the first at once); doubled at each retry.</summary>
    private const int FirstSamplingMilliseconds = 2;

    // How long the next snapshot samples at first: under load a pass takes longer, and an attempt that sees too few
    // passes costs a whole enable and disable (with 16 busy threads on 2 cores, ~200 ms against a few ms of longer
    // sampling). So a retry's time is kept, and it is shortened by a quarter only after three first attempts in a
    // row were enough (halving it after each one made every other snapshot under load a retry).
    // Benign races: rounds are taken one at a time (Certifier.RoundLock).
    private static int s_sampling = FirstSamplingMilliseconds;
    private static int s_enoughInARow;
    private const int EnoughBeforeShorter = 3;

    private const int MaxSamplingMilliseconds = 200;

    private StackSnapshot(IReadOnlyList<ThreadStack> threads, TimeSpan latency, TimeSpan sessionStart, TimeSpan firstSample, DateTime takenAtUtc, string source)
    {
        Threads = threads;
        Latency = latency;
        SessionStartTime = sessionStart;
        FirstSampleTime = firstSample;
        TakenAtUtc = takenAtUtc;
        Source = source;
    }

    /// <summary>One entry per managed thread the runtime sampled.</summary>
    public IReadOnlyList<ThreadStack> Threads { get; }

    /// <summary>From the session start request to the pass being known complete.</summary>
    public TimeSpan Latency { get; }

    /// <summary>How long starting the session took.</summary>
    public TimeSpan SessionStartTime { get; }

    /// <summary>From the session start request to the first sample read.</summary>
    public TimeSpan FirstSampleTime { get; }

    /// <summary>When the pass was taken (the runtime's clock).</summary>
    public DateTime TakenAtUtc { get; }

    /// <summary>Which way the samples came: <see cref="InProcessSource"/> or <see cref="DiagnosticServerSource"/>.</summary>
    public string Source { get; }

    public const string InProcessSource = "in-process file session";
    public const string DiagnosticServerSource = "diagnostic server";

    /// <summary>Why the last snapshot did not use a file session (null when it did, or none was taken).</summary>
    internal static string? InProcessUnavailable { get; private set; }

    /// <summary>
    /// Takes one sampling pass. The code versions are looked up in <paramref name="codeMap"/> as it is
    /// now: code compiled since its last update shows as unknown (call
    /// <see cref="RuntimeEventSession.Synchronize"/> first to avoid that).
    /// </summary>
    /// <exception cref="DiagnosticsIpcException">No file session, and the diagnostic server is not available.</exception>
    /// <exception cref="TimeoutException">No complete pass arrived within <paramref name="timeout"/>.</exception>
    public static StackSnapshot Take(CodeMap codeMap, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(codeMap);
        if (!ServerOnly && SnapshotWayChooser.PreferFileSession() && TakeInProcess(codeMap, timeout) is { } snapshot)
        {
            SnapshotWayChooser.Record(fileSession: true, snapshot.Latency);
            if (Consistency.DebugLog.Enabled)
                Consistency.DebugLog.Write(FormattableString.Invariant($"  way: file session, {snapshot.Latency.TotalMilliseconds:0} ms; means now {SnapshotWayChooser.Means}"));
            return snapshot;
        }

        var throughServer = TakeThroughDiagnosticServer(codeMap, timeout);
        SnapshotWayChooser.Record(fileSession: false, throughServer.Latency);
        if (Consistency.DebugLog.Enabled)
            Consistency.DebugLog.Write(FormattableString.Invariant($"  way: diagnostic server, {throughServer.Latency.TotalMilliseconds:0} ms; means now {SnapshotWayChooser.Means}"));
        return throughServer;
    }

    /// <summary>
    /// <c>PATCHGEN_STACK_SNAPSHOT=server</c> takes every snapshot through the diagnostic server, as before file
    /// sessions: the way out should a runtime's file sessions misbehave, and the baseline the transition
    /// benchmarks compare with (docs/consistency-model.md, "Limits").
    /// </summary>
    public const string WayVariable = "PATCHGEN_STACK_SNAPSHOT";

    private static readonly bool ServerOnly = Environment.GetEnvironmentVariable(WayVariable) == "server";

    /// <summary>
    /// A file session per attempt: enabled, left to sample, disabled (which writes every sample), read. The
    /// first pass of a session can be cut (another session's sampler already running) and so can its last
    /// (disabling stops writing before it stops the sampler), hence <see cref="SamplingPass"/>'s rule; an
    /// attempt that did not see it is retried with twice the time. Null when no file session can be had.
    /// </summary>
    internal static StackSnapshot? TakeInProcess(CodeMap codeMap, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        int sampling = s_sampling;
        bool firstAttempt = true;
        while (true)
        {
            TimeSpan attemptStart = clock.Elapsed;
            using var session = InProcessTraceSession.TryStart(Providers, bufferMB: 32, out string? whyNot);
            if (session is null)
            {
                InProcessUnavailable = whyNot;
                if (Consistency.DebugLog.Enabled)
                    Consistency.DebugLog.Write($"  no file session ({whyNot}): using the diagnostic server");
                return null;
            }

            Consistency.DebugLog.Mark("session enabled");
            InProcessUnavailable = null;
            TimeSpan started = clock.Elapsed - attemptStart;
            Thread.Sleep(sampling);
            Consistency.DebugLog.Mark("sampled");
            var pass = new SamplingPass();
            // Read while the runtime disables the session: its samples come before the rundown it writes then.
            using var trace = session.StopWhileReading();
            var reader = new NettraceReader(trace);
            bool anyRead = false;
            while (reader.TryReadEvent(out NettraceEvent e) && !pass.Add(e))
            {
                if (!anyRead)
                {
                    anyRead = true;
                    Consistency.DebugLog.Mark("first event read");
                }

                // Every sample is written before the rundown (SamplerOrderTests): an attempt whose pass is not complete
                // by then is retried at once, rather than after reading tens of thousands of rundown events.
                if (e.Metadata.ProviderName == RuntimeEvents.RundownProvider)
                    break;
            }
            if (Consistency.DebugLog.Enabled)
                Consistency.DebugLog.Mark($"pass read ({pass.Samples} threads, complete {pass.IsComplete}, disable done then {session.Disabled})");

            if (pass.IsComplete)
            {
                s_sampling = NextSampling(sampling, firstAttempt);
                TimeSpan complete = clock.Elapsed;
                var stacks = pass.Stacks(codeMap);
                Consistency.DebugLog.Mark("frames found in the code map");
                return new StackSnapshot(stacks, complete, started, TimeSpan.FromMilliseconds(sampling), pass.TakenAtUtc(reader), InProcessSource);
            }

            if (clock.Elapsed >= timeout)
                throw new TimeoutException($"No complete sampling pass within {timeout.TotalMilliseconds:F0} ms ({pass.Samples} samples in the last file session, sampled {sampling} ms: {reader.End} {reader.EndDetail}).");
            sampling = Math.Min(sampling * 2, MaxSamplingMilliseconds);
            firstAttempt = false;
        }
    }

    private static int NextSampling(int sampled, bool firstAttempt)
    {
        if (!firstAttempt)
        {
            s_enoughInARow = 0;
            return sampled;
        }
        if (++s_enoughInARow < EnoughBeforeShorter)
            return sampled;
        s_enoughInARow = 0;
        return Math.Max(FirstSamplingMilliseconds, sampled - Math.Max(1, sampled / 4));
    }

    /// <summary>The way through the diagnostic server only (the fallback; tests take both ways).</summary>
    internal static StackSnapshot TakeThroughDiagnosticServer(CodeMap codeMap, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        EventPipeSession session = DiagnosticsIpcClient.StartSession(Providers, requestRundown: false, requestStackwalk: true, circularBufferMB: 32, timeout);
        TimeSpan started = clock.Elapsed;
        if (Consistency.DebugLog.Enabled)
            Consistency.DebugLog.Write($"  session started in {started.TotalMilliseconds:0} ms");

        // Reads block; a watchdog closes the stream if the pass does not come, which ends them.
        var watchdog = new Timer(_ => session.Dispose(), null, Max(TimeSpan.Zero, timeout - clock.Elapsed), Timeout.InfiniteTimeSpan);
        var pass = new SamplingPass();
        TimeSpan firstSample = TimeSpan.Zero;
        TimeSpan complete = TimeSpan.Zero;
        var reader = new NettraceReader(session.Stream);
        try
        {
            while (reader.TryReadEvent(out NettraceEvent e))
            {
                bool done = pass.Add(e);
                if (firstSample == TimeSpan.Zero && pass.Samples > 0)
                    firstSample = clock.Elapsed;
                if (done)
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
            throw new TimeoutException($"No complete sampling pass within {timeout.TotalMilliseconds:F0} ms ({pass.Samples} samples; stream {reader.End}: {reader.EndDetail}).");
        }

        if (Consistency.DebugLog.Enabled)
            Consistency.DebugLog.Write($"  sampling pass complete after {complete.TotalMilliseconds:0} ms");
        return new StackSnapshot(pass.Stacks(codeMap), complete, started, firstSample, pass.TakenAtUtc(reader), DiagnosticServerSource);
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
