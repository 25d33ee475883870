using System.Diagnostics;
using System.Threading.Channels;
using PatchGen.Runtime.Observation;

namespace PatchGen.Runtime.Tests.Observation.Crafted;

/// <summary>
/// A <see cref="RuntimeEventSession"/> that reads a NetTrace stream the test writes block by block, and whose
/// <see cref="RuntimeEventSession.Synchronize"/> markers are not compiled but handed to the test
/// (<see cref="NextMarker"/>), which writes their MethodLoadVerbose wherever the case needs it. So the order in which
/// several threads' events arrive, and when, is the test's choice, never the scheduler's.
/// <para>
/// Timestamps are <see cref="Stopwatch"/> timestamps (the trace's QPC frequency is <see cref="Stopwatch.Frequency"/>),
/// so a test places an event before or after a <see cref="RuntimeEventSession.Synchronize"/> call by the clock the
/// call reads. Sequence numbers are assigned per thread (<see cref="SkipSequence"/> makes a gap: dropped events).
/// </para>
/// <para>Every wait is bounded by <see cref="Bound"/>: a test that goes wrong fails, it never hangs.</para>
/// </summary>
internal sealed class CraftedSession : IDisposable
{
    public static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    private const int MethodLoadMetadata = 1;
    private const int JittingStartedMetadata = 2;
    private const int InliningMetadata = 3;
    private const ulong ModuleId = 0x7000_0000;

    private readonly FeedStream _feed = new();
    private readonly NettraceWriter _writer;
    private readonly bool _compressed;
    private readonly Channel<MarkerRequest> _markers = Channel.CreateUnbounded<MarkerRequest>();
    private readonly Dictionary<long, uint> _sequences = new();
    private readonly object _writeLock = new();
    private ulong _nextId = 0x1000;
    private int _markersRequested;
    private long _eventsWritten;

    public CraftedSession(bool compressed = true)
    {
        _compressed = compressed;
        _writer = new NettraceWriter(_feed);
        _writer.WriteHeader(new NettraceTraceInfo(DateTime.UtcNow, Stopwatch.GetTimestamp(), Stopwatch.Frequency, 8, Environment.ProcessId, 2, 1000));
        _writer.WriteMetadataBlock(
        [
            new EventMetadata(MethodLoadMetadata, RuntimeEvents.RuntimeProvider, RuntimeEvents.MethodLoadVerbose, string.Empty, RuntimeEvents.JitKeyword, 2, 5),
            new EventMetadata(JittingStartedMetadata, RuntimeEvents.RuntimeProvider, RuntimeEvents.MethodJittingStarted, string.Empty, RuntimeEvents.JitKeyword, 1, 5),
            new EventMetadata(InliningMetadata, RuntimeEvents.RuntimeProvider, RuntimeEvents.MethodJitInliningSucceeded, string.Empty, RuntimeEvents.JitTracingKeyword, 0, 5),
        ]);
        Session = new RuntimeEventSession(compileMarker: RequestMarker);
        Assert.True(Session.StartOn(new CraftedNettraceSource(_feed)));
    }

    public RuntimeEventSession Session { get; }

    public CodeMap Map => Session.CodeMap;

    /// <summary>Events written so far (metadata records aside): <see cref="WaitUntilRead"/> this many and all of them were read.</summary>
    public long EventsWritten => Interlocked.Read(ref _eventsWritten);

    /// <summary>Markers the session asked for so far.</summary>
    public int MarkersRequested => Volatile.Read(ref _markersRequested);

    /// <summary>
    /// Runs inside the marker's "compilation", on the synchronizing thread, before it returns (null: nothing). A
    /// marker's event written here is in the stream before the session waits for it, as the runtime's would be.
    /// </summary>
    public Action<MarkerRequest>? OnMarker { get; set; }

    /// <summary>A fresh method (its own MethodID and code address) of this name.</summary>
    public MethodLoadRecord Method(string name)
    {
        ulong id = Interlocked.Add(ref _nextId, 0x100);
        return new MethodLoadRecord(id, ModuleId, id << 8, 0x40, 0x06000000 | (uint)(id >> 8), RuntimeEventDecoder.FlagJitted | (4u << 7), new EventMethodName("Crafted.Type", name, "void  ()"), 0);
    }

    public CraftedEvent Load(long thread, long timestamp, bool sorted, MethodLoadRecord method)
        => Event(MethodLoadMetadata, thread, timestamp, sorted, RuntimeEventPayloads.MethodLoad(method));

    public CraftedEvent JittingStarted(long thread, long timestamp, bool sorted, MethodLoadRecord method)
        => Event(JittingStartedMetadata, thread, timestamp, sorted, RuntimeEventPayloads.MethodJittingStarted(
            new MethodJittingStartedRecord(method.MethodId, method.ModuleId, method.Token, 16, method.Method)));

    public CraftedEvent Inlining(long thread, long timestamp, bool sorted, MethodLoadRecord compiled, MethodLoadRecord inlinee)
        => Event(InliningMetadata, thread, timestamp, sorted, RuntimeEventPayloads.InliningSucceeded(
            new InliningRecord(compiled.Method, compiled.Method, inlinee.Method)));

    /// <summary>The MethodLoadVerbose of a marker (a dynamic method, as the session compiles it), at the time it was asked for.</summary>
    public CraftedEvent MarkerLoad(long thread, MarkerRequest marker, bool sorted)
    {
        ulong id = Interlocked.Add(ref _nextId, 0x100);
        var load = new MethodLoadRecord(id, ModuleId, id << 8, 0x10, 0, RuntimeEventDecoder.FlagDynamic | RuntimeEventDecoder.FlagJitted, new EventMethodName("dynamicClass", marker.Name, "void  ()"), 0);
        return Load(thread, marker.CompiledAt, sorted, load);
    }

    /// <summary>The next <paramref name="count"/> sequence numbers of <paramref name="thread"/> are never written: events lost.</summary>
    public void SkipSequence(long thread, uint count)
    {
        lock (_writeLock)
        {
            _sequences[thread] = _sequences.GetValueOrDefault(thread) + count;
        }
    }

    /// <summary>One event block, in this order (one flush, or part of one).</summary>
    public void Write(params CraftedEvent[] events)
    {
        lock (_writeLock)
        {
            _writer.WriteEventBlock(events, _compressed);
            Interlocked.Add(ref _eventsWritten, events.Length);
        }
    }

    public void WriteSequencePoint(long timestamp, params (long Thread, uint Sequence)[] threads)
    {
        lock (_writeLock)
        {
            _writer.WriteSequencePoint(timestamp, threads);
        }
    }

    /// <summary>The next marker the session asks for (in order).</summary>
    public Task<MarkerRequest> NextMarkerAsync() => _markers.Reader.ReadAsync().AsTask();

    public MarkerRequest NextMarker() => Within(NextMarkerAsync(), "no marker was asked for");

    /// <summary>Forgets the markers asked for so far (none may be awaited meanwhile); the last of them, if any.</summary>
    public MarkerRequest? ForgetMarkers()
    {
        MarkerRequest? last = null;
        while (_markers.Reader.TryRead(out MarkerRequest? marker))
        {
            last = marker;
        }

        return last;
    }

    /// <summary>
    /// Calls <see cref="RuntimeEventSession.Synchronize"/> on a thread of its own and, the moment it returns (before
    /// anything else the test writes could be read), evaluates <paramref name="onReturn"/>: what the map held then.
    /// </summary>
    public Task<(bool Synchronized, T OnReturn)> SynchronizeInBackground<T>(Func<T> onReturn)
        => Task.Factory.StartNew(
            () =>
            {
                bool synchronized = Session.Synchronize(Bound);
                return (synchronized, onReturn());
            },
            CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    public Task<(bool Synchronized, bool OnReturn)> SynchronizeInBackground() => SynchronizeInBackground(() => true);

    /// <summary>Waits (bounded) until the reader has read <paramref name="events"/> events in all.</summary>
    public void WaitUntilRead(long events)
    {
        var clock = Stopwatch.StartNew();
        while (Session.EventsRead < events)
        {
            Assert.True(clock.Elapsed < Bound, $"the reader read {Session.EventsRead} events, not {events}");
            Thread.Sleep(1);
        }
    }

    /// <summary>The task's result; fails the test if it takes longer than <see cref="Bound"/>.</summary>
    public static T Within<T>(Task<T> task, string what)
    {
        Assert.True(task.Wait(Bound), what);
        return task.Result;
    }

    /// <summary>Which of the tasks completes first (bounded).</summary>
    public static Task First(params Task[] tasks)
    {
        int index = Task.WaitAny(tasks, Bound);
        Assert.True(index >= 0, "nothing happened");
        return tasks[index];
    }

    public void Dispose()
    {
        // Stopping ends the feed, the reader reads to its end and stops; a Synchronize still waiting answers false.
        Session.Dispose();
        _feed.Dispose();
    }

    private CraftedEvent Event(int metadataId, long thread, long timestamp, bool sorted, byte[] payload)
    {
        lock (_writeLock)
        {
            uint sequence = _sequences.GetValueOrDefault(thread) + 1;
            _sequences[thread] = sequence;
            return new CraftedEvent(metadataId, thread, sequence, timestamp, sorted, payload);
        }
    }

    private void RequestMarker(string name)
    {
        var marker = new MarkerRequest(name, Stopwatch.GetTimestamp());
        Interlocked.Increment(ref _markersRequested);
        OnMarker?.Invoke(marker);
        _markers.Writer.TryWrite(marker);
    }
}
