using System.Reflection;
using System.Runtime.CompilerServices;
using PatchGen.Runtime.Observation;
using Xunit.Abstractions;

namespace PatchGen.Runtime.Tests.Observation;

[Collection(ObservationCollection.Name)]
public sealed class StackSnapshotTests(ObservationFixture fixture, ITestOutputHelper output)
{
    private const BindingFlags Static = BindingFlags.NonPublic | BindingFlags.Static;

    /// <summary>Both ways of taking a snapshot: the in-process file session (first choice) and the diagnostic server (fallback).</summary>
    public static TheoryData<string> Ways => new() { StackSnapshot.InProcessSource, StackSnapshot.DiagnosticServerSource };

    private StackSnapshot Take(string way)
    {
        var snapshot = way == StackSnapshot.InProcessSource
            ? StackSnapshot.TakeInProcess(fixture.Map, ObservationFixture.Timeout)
            : StackSnapshot.TakeThroughDiagnosticServer(fixture.Map, ObservationFixture.Timeout);
        Assert.True(snapshot is not null, "no file session: " + StackSnapshot.InProcessUnavailable);
        Assert.Equal(way, snapshot.Source);
        return snapshot;
    }

    [Fact]
    public void TheFirstChoiceIsTheInProcessFileSession()
    {
        // On this runtime (.NET 10, Linux) CoreLib's entry points are as expected and memfd_create exists: a
        // snapshot must not quietly fall back to the diagnostic server's ~100 ms. (What earlier snapshots measured
        // is forgotten: with nothing measured the chooser tries a file session first.)
        SnapshotWayChooser.Reset();
        var snapshot = StackSnapshot.Take(fixture.Map, ObservationFixture.Timeout);
        Assert.True(snapshot.Source == StackSnapshot.InProcessSource, "fell back: " + StackSnapshot.InProcessUnavailable);
    }

    [Theory]
    [MemberData(nameof(Ways))]
    public void AThreadBlockedInMonitorWaitShowsTheMethodItWaitsIn(string way)
    {
        using var blocked = new ParkedThread(BlockedInWait);
        using var idle = new ParkedThread(IdleInWait);
        fixture.Sync();

        StackSnapshot snapshot = Take(way);
        MethodInfo target = typeof(StackSnapshotTests).GetMethod(nameof(BlockedInWait), Static)!;

        ThreadStack blockedStack = Assert.Single(snapshot.Threads, t => t.OsThreadId == blocked.OsThreadId);
        ThreadStack idleStack = Assert.Single(snapshot.Threads, t => t.OsThreadId == idle.OsThreadId);
        output.WriteLine(Describe(blockedStack));
        Assert.Equal(ThreadSampleKind.External, blockedStack.Kind);
        Assert.False(blockedStack.MaybeTruncated);
        Assert.Contains(blockedStack.Frames, f => f.Code is { } c && target.Equals(fixture.Map.Resolve(c)));
        Assert.DoesNotContain(idleStack.Frames, f => f.Code is { } c && target.Equals(fixture.Map.Resolve(c)));

        // Code the JIT wrote is never taken for an image's precompiled code (which the certifier skips): with
        // W^X the code heap is an executable mapping of /memfd:doublemapper (Consistency/ImageRanges).
        if (OperatingSystem.IsLinux())
        {
            var images = PatchGen.Runtime.Consistency.ImageRanges.Read();
            var jitted = blockedStack.Frames.Where(f => f.Code is { } c && (c.Flags & RuntimeEventDecoder.FlagJitted) != 0).ToList();
            Assert.NotEmpty(jitted);
            Assert.All(jitted, f => Assert.Null(images.FileAt(f.InstructionPointer)));
        }

        // Every thread appears once: the snapshot is one pass.
        Assert.Equal(snapshot.Threads.Count, snapshot.Threads.Select(t => t.OsThreadId).Distinct().Count());
        Assert.Contains(snapshot.Threads, t => t.OsThreadId == ObservationFixture.CurrentOsThreadId());
    }

    [Theory]
    [MemberData(nameof(Ways))]
    public void AVeryDeepStackIsReportedAsTruncated(string way)
    {
        using var deep = new ParkedThread(gate => Recurse(300, gate));
        fixture.Sync();

        StackSnapshot snapshot = Take(way);
        ThreadStack stack = Assert.Single(snapshot.Threads, t => t.OsThreadId == deep.OsThreadId);
        Assert.True(stack.MaybeTruncated);
        Assert.Equal(StackSnapshot.MaxFrames, stack.Frames.Count);
        MethodInfo recurse = typeof(StackSnapshotTests).GetMethod(nameof(Recurse), Static)!;
        Assert.Contains(stack.Frames, f => f.Code is { } c && recurse.Equals(fixture.Map.Resolve(c)));
    }

    [Theory]
    [MemberData(nameof(Ways))]
    public async Task MeasuresSnapshotLatency(string way)
    {
        // Printed, not asserted: how long a snapshot takes from the session request to a complete pass.
        var latencies = new List<double>();
        var firsts = new List<double>();
        var starts = new List<double>();
        var stops = new List<double>();
        for (int i = 0; i < 25; i++)
        {
            StackSnapshot s = Take(way);
            latencies.Add(s.Latency.TotalMilliseconds);
            firsts.Add(s.FirstSampleTime.TotalMilliseconds);
            starts.Add(s.SessionStartTime.TotalMilliseconds);
            if (way == StackSnapshot.DiagnosticServerSource)
                stops.Add((await StackSnapshot.Finished).TotalMilliseconds);
        }

        output.WriteLine($"{way}: snapshot latency ms: {Summary(latencies)}");
        output.WriteLine($"  first sample ms:   {Summary(firsts)}");
        output.WriteLine($"  session start ms:  {Summary(starts)}");
        output.WriteLine($"  all: {string.Join(" ", latencies.Select(l => l.ToString("F1")))}");
        if (stops.Count > 0)
            output.WriteLine($"  background stop ms: {Summary(stops)}");

        // Snapshots back to back wait for each other: a file session's disable goes on writing its rundown after the
        // samples were read, and the next session starts only after it. Apart, as one transition's single round is.
        var apart = new List<double>();
        for (int i = 0; i < 10; i++)
        {
            await Task.Delay(200);
            apart.Add(Take(way).Latency.TotalMilliseconds);
        }
        output.WriteLine($"  200 ms apart, latency ms: {Summary(apart)}");
    }

    internal static string Summary(List<double> values)
    {
        values = values.OrderBy(v => v).ToList();
        return $"min {values[0]:F1} median {values[values.Count / 2]:F1} p90 {values[(int)(values.Count * 0.9)]:F1} max {values[^1]:F1}";
    }

    private string Describe(ThreadStack stack) =>
        $"thread {stack.OsThreadId} {stack.Kind}:\n" + string.Join("\n", stack.Frames.Select(f =>
            $"  0x{f.InstructionPointer:X} {(f.Code is null ? "?" : f.Code + " -> " + fixture.Map.Resolve(f.Code))}"));

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void BlockedInWait(ParkedThread.Gate gate)
    {
        lock (gate)
        {
            gate.Parked();
            while (!gate.Released)
            {
                Monitor.Wait(gate);
            }
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void IdleInWait(ParkedThread.Gate gate) => BlockedElsewhere(gate);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void BlockedElsewhere(ParkedThread.Gate gate)
    {
        lock (gate)
        {
            gate.Parked();
            while (!gate.Released)
            {
                Monitor.Wait(gate);
            }
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int Recurse(int depth, ParkedThread.Gate gate)
    {
        if (depth == 0)
        {
            BlockedElsewhere(gate);
            return 0;
        }

        return Recurse(depth - 1, gate) + 1;
    }

    /// <summary>A thread parked in a given method until disposed; knows its OS thread ID.</summary>
    internal sealed class ParkedThread : IDisposable
    {
        private readonly Gate _gate = new();
        private readonly Thread _thread;

        public ParkedThread(Action<Gate> park)
        {
            _thread = new Thread(() =>
            {
                _gate.OsThreadId = ObservationFixture.CurrentOsThreadId();
                park(_gate);
            })
            { IsBackground = true };
            _thread.Start();
            Assert.True(_gate.WaitParked(ObservationFixture.Timeout), "the thread did not park");
        }

        public long OsThreadId => _gate.OsThreadId;

        public void Dispose()
        {
            lock (_gate)
            {
                _gate.Released = true;
                Monitor.PulseAll(_gate);
            }

            Assert.True(_thread.Join(ObservationFixture.Timeout));
        }

        internal sealed class Gate
        {
            private readonly ManualResetEventSlim _parked = new();

            public long OsThreadId { get; set; }

            public bool Released { get; set; }

            public void Parked() => _parked.Set();

            public bool WaitParked(TimeSpan timeout) => _parked.Wait(timeout);
        }
    }
}
