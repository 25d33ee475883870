using PatchGen.Runtime.Observation;
using Xunit.Abstractions;

namespace PatchGen.Runtime.Tests.Observation;

/// <summary>
/// Oracle probes of the two facts about the runtime's sample profiler that stack snapshots rest on, read from whole
/// traces of real file sessions: every sample is in the trace before the rundown that the disable writes
/// (<see cref="StackSnapshot.TakeInProcess"/> stops reading there), and every pass samples the threads in one order
/// (<see cref="SamplingPass"/>: two samples of one thread enclose every thread).
/// </summary>
[Collection(ObservationCollection.Name)]
public sealed class SamplerOrderTests(ITestOutputHelper output)
{
    private static readonly EventPipeProvider[] Sampler = [new EventPipeProvider(RuntimeEvents.SampleProfilerProvider, 0, EventLevel.Verbose)];

    [Fact]
    public void AFileSessionWritesEverySampleBeforeItsRundown()
    {
        using var idle = new StackSnapshotTests.ParkedThread(Park);
        for (int session = 0; session < 5; session++)
        {
            var (events, _) = ReadWholeSession(samplingMilliseconds: 3 + session, during: null);
            int firstRundown = events.FindIndex(e => e.Provider == RuntimeEvents.RundownProvider);
            int lastSample = events.FindLastIndex(e => e.IsSample);
            output.WriteLine($"session {session}: {events.Count} events, last sample at {lastSample}, first rundown event at {firstRundown}");
            Assert.True(firstRundown >= 0, "no rundown in the trace: nothing to be written before");
            Assert.True(lastSample >= 0, "no sample in the trace");
            Assert.True(lastSample < firstRundown, $"a sample at {lastSample} after the first rundown event at {firstRundown}");
        }
    }

    [Fact]
    public void EveryPassSamplesTheThreadsInOneOrder()
    {
        // Threads parked before the session and threads started and ended while it samples: the thread list changes
        // between passes, and the relative order of any two threads must not.
        using var first = new StackSnapshotTests.ParkedThread(Park);
        using var second = new StackSnapshotTests.ParkedThread(Park);
        var started = new List<StackSnapshotTests.ParkedThread>();
        var (events, info) = ReadWholeSession(samplingMilliseconds: 80, during: () =>
        {
            for (int i = 0; i < 4; i++)
            {
                Thread.Sleep(6);
                started.Add(new StackSnapshotTests.ParkedThread(Park));
                if (i == 2)
                    started[0].Dispose();
            }
        });
        foreach (var thread in started.Skip(1))
            thread.Dispose();

        // A pass is written during one suspension, a millisecond or more after the last: a gap of half a millisecond
        // between two samples starts the next pass. (A sampler preempted mid-pass only cuts a pass in two, whose
        // parts keep its order.)
        long gap = info.QpcFrequency / 2000;
        var passes = new List<List<long>>();
        long previous = long.MinValue;
        foreach (var sample in events.Where(e => e.IsSample))
        {
            if (passes.Count == 0 || sample.Timestamp - previous > gap)
                passes.Add(new List<long>());
            passes[^1].Add(sample.ThreadId);
            previous = sample.Timestamp;
        }

        output.WriteLine($"{passes.Count} passes: " + string.Join(" | ", passes.Select(p => string.Join(",", p))));
        Assert.True(passes.Count >= 5, $"only {passes.Count} passes in 80 ms");
        Assert.All(passes, pass => Assert.Equal(pass.Count, pass.Distinct().Count()));
        Assert.True(passes.Select(p => p.Count).Distinct().Count() > 1, "the thread list never changed while sampling");

        var before = new Dictionary<(long, long), int>();
        foreach (var pass in passes)
        {
            for (int i = 0; i < pass.Count; i++)
            {
                for (int j = i + 1; j < pass.Count; j++)
                {
                    var (a, b) = (pass[i], pass[j]);
                    Assert.False(before.ContainsKey((b, a)), $"threads {a} and {b} sampled in both orders");
                    before[(a, b)] = 1;
                }
            }
        }
    }

    private static void Park(StackSnapshotTests.ParkedThread.Gate gate)
    {
        lock (gate)
        {
            gate.Parked();
            while (!gate.Released)
                Monitor.Wait(gate);
        }
    }

    private readonly record struct Read(string Provider, bool IsSample, long ThreadId, long Timestamp);

    private static (List<Read> Events, NettraceTraceInfo Info) ReadWholeSession(int samplingMilliseconds, Action? during)
    {
        using var session = InProcessTraceSession.TryStart(Sampler, bufferMB: 32, out string? whyNot);
        Assert.True(session is not null, "no file session: " + whyNot);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        during?.Invoke();
        // At least 10 ms more after whatever ran meanwhile: a pass or two with every thread it started.
        Thread.Sleep(Math.Max(10, samplingMilliseconds - (int)clock.ElapsedMilliseconds));
        using var trace = session.StopWhileReading();
        var reader = new NettraceReader(trace);
        var events = new List<Read>();
        while (reader.TryReadEvent(out NettraceEvent e))
        {
            bool isSample = e.Metadata.ProviderName == RuntimeEvents.SampleProfilerProvider && e.Metadata.EventId == RuntimeEvents.ThreadSample;
            events.Add(new Read(e.Metadata.ProviderName, isSample, e.ThreadId, e.Timestamp));
        }

        Assert.True(reader.TraceInfo is not null, "no trace header");
        return (events, reader.TraceInfo);
    }
}
