using System.Diagnostics;
using System.Reflection.Emit;

namespace PatchGen.Runtime.Observation;

/// <summary>
/// Keeps a <see cref="CodeMap"/> current from the runtime's own events: a continuous in-process
/// EventPipe session (Loader | Jit | JitTracing, verbose) read on a background thread, plus one-off
/// rundowns for the code compiled before it started.
/// <para>
/// Inlining is learnt by correlation: the JIT reports MethodJittingStarted (with the MethodID), then
/// one MethodJitInliningSucceeded per inline decision (names only, no IDs), then MethodLoadVerbose (the
/// MethodID again, with the code's address), all on the compiling thread. The inlinees collected
/// between the two are the code version's. A compilation whose start we did not see, or during which
/// events were dropped, gets "unknown" inlinees, never a guess.
/// </para>
/// <para>Never throws into the application: failures are states with reasons.</para>
/// </summary>
internal sealed class RuntimeEventSession : IDisposable
{
    /// <summary>Loader (modules), Jit (method load/jitting started), JitTracing (inlining decisions).</summary>
    public const ulong Keywords = RuntimeEvents.LoaderKeyword | RuntimeEvents.JitKeyword | RuntimeEvents.JitTracingKeyword | RuntimeEvents.MethodDiagnosticKeyword;

    private const string SyncPrefix = "PatchGen.Observation.Sync.";
    private const int MaxNestedCompilations = 16;
    private static readonly TimeSpan IpcTimeout = TimeSpan.FromSeconds(10);

    private readonly object _lock = new();
    private readonly Dictionary<long, List<PendingCompilation>> _pending = new();
    private readonly Action<string> _compileMarker;
    private INettraceSource? _source;
    private Thread? _reader;
    private volatile bool _stopping;
    private long _syncRequested;
    private long _syncSeen;
    private long _caughtUpThrough;
    // A Stopwatch timestamp: every event older than it has been read (the latest event flagged sorted).
    private long _sortedThrough;
    private long _eventsRead;
    private long _bytesRead;
    private long _droppedEvents;
    private long _inliningEvents;
    private long _methodLoads;
    private long _readerCpuTicks = -1;

    /// <param name="codeMap">The map to keep current (a new one if null).</param>
    /// <param name="compileMarker">
    /// Compiles a method of the given name so that its MethodLoadVerbose enters the stream (<see cref="Synchronize"/>'s
    /// markers); null compiles a <see cref="DynamicMethod"/>. Tests that craft the stream (<see cref="StartOn"/>) pass their
    /// own and write the marker's events themselves, wherever in the stream the case needs them.
    /// </param>
    public RuntimeEventSession(CodeMap? codeMap = null, Action<string>? compileMarker = null)
    {
        CodeMap = codeMap ?? new CodeMap();
        _trees = new InlineTreeCollector(CodeMap);
        _compileMarker = compileMarker ?? CompileDynamicMethod;
    }

    public CodeMap CodeMap { get; }

    /// <summary>Inline trees being assembled from their chunks and resolved as MethodDetails arrive.</summary>
    private readonly InlineTreeCollector _trees;

    public RuntimeEventSessionState State { get; private set; }

    /// <summary>Why the session is <see cref="RuntimeEventSessionState.Unavailable"/> or <see cref="RuntimeEventSessionState.Failed"/>.</summary>
    public string? FailureReason { get; private set; }

    /// <summary>
    /// Whether inlining knowledge gathered live is complete: false once any event was dropped (the
    /// buffer overflowed) or the session is not running. Code versions from a rundown never know their
    /// inlinees regardless (<see cref="CodeVersion.InliningKnown"/>).
    /// </summary>
    public bool InliningComplete => State == RuntimeEventSessionState.Running && Interlocked.Read(ref _droppedEvents) == 0;

    public long EventsRead => Interlocked.Read(ref _eventsRead);

    public long BytesRead => Interlocked.Read(ref _bytesRead);

    public long DroppedEvents => Interlocked.Read(ref _droppedEvents);

    public long InliningEvents => Interlocked.Read(ref _inliningEvents);

    public long MethodLoads => Interlocked.Read(ref _methodLoads);

    /// <summary>CPU time the reader thread has used (Linux only; refreshed every few hundred events).</summary>
    public TimeSpan? ReaderCpuTime
    {
        get
        {
            long ticks = Interlocked.Read(ref _readerCpuTicks);
            return ticks < 0 ? null : TimeSpan.FromTicks(ticks);
        }
    }

    /// <summary>
    /// Starts the continuous session (once; later calls answer the current state), then, if asked, a
    /// rundown for what was compiled before. True when running.
    /// </summary>
    public bool Start(bool rundown = true, uint circularBufferMB = 64)
    {
        lock (_lock)
        {
            if (State != RuntimeEventSessionState.NotStarted)
            {
                return State == RuntimeEventSessionState.Running;
            }

            try
            {
                var providers = new[]
                {
                    new EventPipeProvider(RuntimeEvents.RuntimeProvider, Keywords, EventLevel.Verbose),
                    new EventPipeProvider(RuntimeEvents.PrivateProvider, RuntimeEvents.RichDebugInfoKeyword, EventLevel.Informational),
                };
                StartReading(DiagnosticsIpcClient.StartSession(providers, requestRundown: false, requestStackwalk: false, circularBufferMB, IpcTimeout));
            }
            catch (Exception e)
            {
                // Whatever went wrong, the application goes on; the caller reads the reason.
                State = e is DiagnosticsIpcException { Failure: DiagnosticsIpcFailure.ServerUnavailable or DiagnosticsIpcFailure.CommandRejected }
                    ? RuntimeEventSessionState.Unavailable
                    : RuntimeEventSessionState.Failed;
                FailureReason = e.Message;
                _source?.Dispose();
                _source = null;
                return false;
            }
        }

        if (rundown)
        {
            RunRundown(TimeSpan.FromSeconds(30));
        }

        return true;
    }

    /// <summary>
    /// Starts reading events from <paramref name="source"/> instead of an EventPipe session of this process, without
    /// a rundown (once, like <see cref="Start"/>). Tests feed it a crafted stream. True when running.
    /// </summary>
    internal bool StartOn(INettraceSource source)
    {
        lock (_lock)
        {
            if (State != RuntimeEventSessionState.NotStarted)
            {
                return State == RuntimeEventSessionState.Running;
            }

            StartReading(source);
            return true;
        }
    }

    // Under _lock.
    private void StartReading(INettraceSource source)
    {
        _source = source;
        State = RuntimeEventSessionState.Running;
        _reader = new Thread(() => ReadLoop(source)) { IsBackground = true, Name = "PatchGen observation" };
        _reader.Start();
    }

    /// <summary>
    /// Adds every live code version (and module) to the map through a rundown: a second, short session
    /// that asks for one and is stopped at once. Versions already known from the live session keep
    /// their inlinees. True when the rundown completed (DCEndComplete was read).
    /// </summary>
    public bool RunRundown(TimeSpan timeout)
    {
        try
        {
            // Any one provider will do; the rundown provider is added by the runtime on stop. Loader at
            // informational is cheap for the short life of this session.
            var providers = new[] { new EventPipeProvider(RuntimeEvents.RuntimeProvider, RuntimeEvents.LoaderKeyword, EventLevel.Informational) };
            using EventPipeSession session = DiagnosticsIpcClient.StartSession(providers, requestRundown: true, requestStackwalk: false, 256, IpcTimeout);
            bool complete = false;
            var reader = new NettraceReader(session.Stream);
            var thread = new Thread(() =>
            {
                var pending = new Dictionary<long, List<PendingCompilation>>();
                while (reader.TryReadEvent(out NettraceEvent e))
                {
                    if (e.Metadata.ProviderName == RuntimeEvents.RundownProvider && e.Metadata.EventId == RuntimeEvents.DCEndComplete)
                    {
                        complete = true;
                    }

                    Process(e, pending, live: false);
                }
            })
            { IsBackground = true, Name = "PatchGen rundown" };
            thread.Start();

            // Read while stopping: the rundown is written during the stop request, and a reader that
            // waited for the answer first could leave the server blocked on a full socket.
            session.Stop();
            if (!thread.Join(timeout))
            {
                session.Dispose();
                thread.Join(TimeSpan.FromSeconds(5));
            }

            return complete;
        }
        catch (Exception e) when (e is DiagnosticsIpcException or IOException)
        {
            FailureReason ??= $"rundown: {e.Message}";
            return false;
        }
    }

    /// <summary>
    /// Waits until the map reflects everything compiled before this call: it JIT-compiles a fresh marker method and
    /// waits for its MethodLoadVerbose to come through, and for an event flagged sorted that is no older than this
    /// call. The stream is not in time order across threads: at each flush the runtime writes one thread's events,
    /// then the next thread's (NetTrace V4+, <c>ep_buffer_manager_write_all_buffers_to_file_v4</c>), so events of
    /// other threads compiled before this call may follow the marker; an event flagged sorted (the first written
    /// for its thread in a flush) says that every older event came before it. When the marker's flush holds no
    /// such event, a second marker's does (its thread's first event there is later than this call). Expect up to
    /// a few hundred milliseconds (the streaming thread flushes about every 100 ms).
    /// </summary>
    public bool Synchronize(TimeSpan timeout)
    {
        if (State != RuntimeEventSessionState.Running)
        {
            return false;
        }

        long startedAt = Stopwatch.GetTimestamp();
        var clock = Stopwatch.StartNew();
        long marker = CompileMarker();
        lock (_pending)
        {
            while (Interlocked.Read(ref _syncSeen) < marker || Interlocked.Read(ref _sortedThrough) < startedAt)
            {
                TimeSpan left = timeout - clock.Elapsed;
                if (left <= TimeSpan.Zero || State != RuntimeEventSessionState.Running)
                {
                    return false;
                }

                if (Interlocked.Read(ref _syncSeen) < marker)
                {
                    Monitor.Wait(_pending, left);
                }
                else if (!Monitor.Wait(_pending, left < RestOfFlush ? left : RestOfFlush) && Interlocked.Read(ref _sortedThrough) < startedAt)
                {
                    // The marker's flush is read and held no event flagged sorted late enough: another marker.
                    marker = CompileMarker();
                }
            }
        }

        InterlockedMax(ref _caughtUpThrough, startedAt);
        if (Consistency.DebugLog.Enabled)
            Consistency.DebugLog.Write($"  caught up in {clock.Elapsed.TotalMilliseconds:0.0} ms (marker {marker})");
        return true;
    }

    // How long the rest of a flush may take to be read once the marker was (the reader is in the same process).
    private static readonly TimeSpan RestOfFlush = TimeSpan.FromMilliseconds(10);

    /// <summary>Compiles (and runs) a fresh marker method: its MethodLoadVerbose tells the reader that the stream got this far.</summary>
    private long CompileMarker()
    {
        long marker = Interlocked.Increment(ref _syncRequested);
        _compileMarker(SyncPrefix + marker);
        return marker;
    }

    private static void CompileDynamicMethod(string name)
    {
        var method = new DynamicMethod(name, typeof(void), Type.EmptyTypes, typeof(RuntimeEventSession).Module, skipVisibility: true);
        method.GetILGenerator().Emit(OpCodes.Ret);
        ((Action)method.CreateDelegate(typeof(Action)))();
    }

    /// <summary>An event's timestamp as a <see cref="Stopwatch"/> timestamp (the same monotonic clock; its frequency may differ).</summary>
    private static long StopwatchTime(long traceTimestamp, NettraceTraceInfo? info)
        => info is null || info.QpcFrequency == Stopwatch.Frequency
            ? traceTimestamp
            : (long)(traceTimestamp * ((double)Stopwatch.Frequency / info.QpcFrequency));

    /// <summary>
    /// A <see cref="Stopwatch"/> timestamp such that everything the JIT compiled before it is in the map: the
    /// start of the latest <see cref="Synchronize"/> that succeeded (0 before the first).
    /// </summary>
    public long CaughtUpThrough => Interlocked.Read(ref _caughtUpThrough);

    /// <summary>Stops the session and its reader. Safe to call more than once, and from any state.</summary>
    public void Stop()
    {
        INettraceSource? session;
        Thread? reader;
        lock (_lock)
        {
            if (State != RuntimeEventSessionState.Running)
            {
                return;
            }

            _stopping = true;
            State = RuntimeEventSessionState.Stopped;
            session = _source;
            reader = _reader;
            _source = null;
        }

        try
        {
            session?.Stop();
        }
        catch (DiagnosticsIpcException)
        {
            // Closing the stream below ends the session anyway.
        }

        if (reader is not null && !reader.Join(TimeSpan.FromSeconds(5)))
        {
            session?.Dispose();
            reader.Join(TimeSpan.FromSeconds(5));
        }

        session?.Dispose();
        lock (_pending)
        {
            Monitor.PulseAll(_pending);
        }
    }

    public void Dispose() => Stop();

    private void ReadLoop(INettraceSource session)
    {
        var reader = new NettraceReader(session.Stream);
        try
        {
            long dropped = 0;
            while (reader.TryReadEvent(out NettraceEvent e))
            {
                if (reader.DroppedEvents != dropped)
                {
                    // Something was lost, and we cannot tell which compilation it belonged to: every
                    // compilation in flight loses its inlining knowledge.
                    dropped = reader.DroppedEvents;
                    Interlocked.Exchange(ref _droppedEvents, dropped);
                    lock (_pending)
                    {
                        foreach (List<PendingCompilation> stack in _pending.Values)
                        {
                            stack.ForEach(p => p.Complete = false);
                        }
                    }
                }

                lock (_pending)
                {
                    Process(e, _pending, live: true);
                    // An event flagged sorted: every older event has been read, and a Synchronize may wait for that.
                    long sorted = e.IsSorted ? StopwatchTime(e.Timestamp, reader.TraceInfo) : 0;
                    if (sorted > Interlocked.Read(ref _sortedThrough))
                    {
                        Interlocked.Exchange(ref _sortedThrough, sorted);
                        Monitor.PulseAll(_pending);
                    }
                }

                long count = Interlocked.Increment(ref _eventsRead);
                if ((count & 255) == 0)
                {
                    Interlocked.Exchange(ref _bytesRead, reader.BytesRead);
                    RefreshCpu();
                }
            }

            Interlocked.Exchange(ref _bytesRead, reader.BytesRead);
            Interlocked.Exchange(ref _droppedEvents, reader.DroppedEvents);
            RefreshCpu();
            if (!_stopping)
            {
                lock (_lock)
                {
                    if (State == RuntimeEventSessionState.Running)
                    {
                        State = RuntimeEventSessionState.Failed;
                        FailureReason = $"the event stream ended unexpectedly ({reader.End}: {reader.EndDetail})";
                    }
                }
            }
        }
        catch (Exception e)
        {
            // A bug here must not take the application down with it.
            lock (_lock)
            {
                State = RuntimeEventSessionState.Failed;
                FailureReason = $"event reader failed: {e.GetType().Name}: {e.Message}";
            }

            session.Dispose();
        }
        finally
        {
            lock (_pending)
            {
                Monitor.PulseAll(_pending);
            }
        }
    }

    private void RefreshCpu()
    {
        if (ThreadCpuClock.CurrentThread() is { } cpu)
        {
            Interlocked.Exchange(ref _readerCpuTicks, cpu.Ticks);
        }
    }

    private void Process(in NettraceEvent e, Dictionary<long, List<PendingCompilation>> pending, bool live)
    {
        ReadOnlySpan<byte> payload = e.Payload.Span;
        if (e.Metadata.ProviderName == RuntimeEvents.PrivateProvider)
        {
            if (live && e.Metadata.EventId == RuntimeEvents.JittedMethodRichDebugInfo && RuntimeEventDecoder.TryDecodeRichDebugInfo(e.Payload, out RichDebugInfoChunk chunk))
                _trees.Add(e.ThreadId, chunk);
            return;
        }
        if (e.Metadata.ProviderName == RuntimeEvents.RuntimeProvider && e.Metadata.EventId == RuntimeEvents.MethodDetails
            && RuntimeEventDecoder.TryDecodeMethodDetails(payload, out MethodDetailsRecord details))
        {
            _trees.Resolve(details);
            return;
        }
        if (e.Metadata.ProviderName == RuntimeEvents.RuntimeProvider)
        {
            switch (e.Metadata.EventId)
            {
                case RuntimeEvents.MethodJittingStarted when RuntimeEventDecoder.TryDecodeMethodJittingStarted(payload, out MethodJittingStartedRecord started):
                    if (!pending.TryGetValue(e.ThreadId, out List<PendingCompilation>? stack))
                    {
                        pending[e.ThreadId] = stack = new List<PendingCompilation>();
                    }

                    // Nested compilations on one thread are possible but shallow; a compilation that
                    // failed leaves an entry behind, so keep the list short.
                    if (stack.Count >= MaxNestedCompilations)
                    {
                        stack.RemoveAt(0);
                    }

                    stack.Add(new PendingCompilation(started.MethodId, started.Method, !live || Interlocked.Read(ref _droppedEvents) == 0));
                    break;

                case RuntimeEvents.MethodJitInliningSucceeded when RuntimeEventDecoder.TryDecodeInliningSucceeded(payload, out InliningRecord inlining):
                    Interlocked.Increment(ref _inliningEvents);
                    if (pending.TryGetValue(e.ThreadId, out List<PendingCompilation>? inliningStack))
                    {
                        for (int i = inliningStack.Count - 1; i >= 0; i--)
                        {
                            if (inliningStack[i].Method == inlining.BeingCompiled)
                            {
                                inliningStack[i].Inlinees.Add(inlining.Inlinee);
                                inliningStack[i].Edges.Add(new InlineEdge(inlining.Inliner, inlining.Inlinee));
                                break;
                            }
                        }
                    }

                    break;

                case RuntimeEvents.MethodLoadVerbose when RuntimeEventDecoder.TryDecodeMethodLoad(payload, out MethodLoadRecord load):
                    Interlocked.Increment(ref _methodLoads);
                    IReadOnlyList<EventMethodName>? inlinees = null;
                    IReadOnlyList<InlineEdge>? edges = null;
                    if (pending.TryGetValue(e.ThreadId, out List<PendingCompilation>? loadStack))
                    {
                        int index = loadStack.FindLastIndex(p => p.MethodId == load.MethodId);
                        if (index >= 0)
                        {
                            PendingCompilation compiled = loadStack[index];
                            loadStack.RemoveAt(index);
                            if (compiled.Complete && Interlocked.Read(ref _droppedEvents) == 0)
                            {
                                inlinees = compiled.Inlinees.ToArray();
                                edges = compiled.Edges.ToArray();
                            }
                        }
                    }

                    CodeMap.Add(load, CodeVersionSource.Jit, inlinees, edges);
                    if (live && load.Method.Name.StartsWith(SyncPrefix, StringComparison.Ordinal) &&
                        long.TryParse(load.Method.Name.AsSpan(SyncPrefix.Length), out long marker))
                    {
                        InterlockedMax(ref _syncSeen, marker);
                        Monitor.PulseAll(_pending);
                    }

                    break;

                case RuntimeEvents.MethodUnloadVerbose when RuntimeEventDecoder.TryDecodeMethodLoad(payload, out MethodLoadRecord unload):
                    CodeMap.Remove(unload);
                    break;

                case RuntimeEvents.ModuleLoad when RuntimeEventDecoder.TryDecodeModuleLoad(payload, out ModuleLoadRecord module):
                    CodeMap.AddModule(module);
                    break;

                case RuntimeEvents.ModuleUnload when RuntimeEventDecoder.TryDecodeModuleLoad(payload, out ModuleLoadRecord module):
                    CodeMap.RemoveModule(module.ModuleId);
                    break;

                case RuntimeEvents.AssemblyLoad when RuntimeEventDecoder.TryDecodeAssemblyLoad(payload, out AssemblyLoadRecord assembly):
                    CodeMap.AddAssembly(assembly);
                    break;

                default:
                    // Inlining failures, tail calls, JIT memory allocation: recognised, not needed.
                    break;
            }
        }
        else if (e.Metadata.ProviderName == RuntimeEvents.RundownProvider)
        {
            switch (e.Metadata.EventId)
            {
                case RuntimeEvents.MethodDCEndVerbose when RuntimeEventDecoder.TryDecodeMethodLoad(payload, out MethodLoadRecord load):
                    CodeMap.Add(load, CodeVersionSource.Rundown, inlinees: null);
                    break;
                case RuntimeEvents.ModuleDCEnd when RuntimeEventDecoder.TryDecodeModuleLoad(payload, out ModuleLoadRecord module):
                    CodeMap.AddModule(module);
                    break;
                case RuntimeEvents.AssemblyDCEnd when RuntimeEventDecoder.TryDecodeAssemblyLoad(payload, out AssemblyLoadRecord assembly):
                    CodeMap.AddAssembly(assembly);
                    break;
                default:
                    break;
            }
        }
    }

    private static void InterlockedMax(ref long target, long value)
    {
        long current;
        while ((current = Interlocked.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }

    private sealed class PendingCompilation(ulong methodId, EventMethodName method, bool complete)
    {
        public ulong MethodId { get; } = methodId;

        public EventMethodName Method { get; } = method;

        public HashSet<EventMethodName> Inlinees { get; } = new();

        public HashSet<InlineEdge> Edges { get; } = new();

        public bool Complete { get; set; } = complete;
    }
}
