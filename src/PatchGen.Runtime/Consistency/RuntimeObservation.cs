using System.Reflection;
using System.Runtime.CompilerServices;
using PatchGen.Runtime.Observation;

namespace PatchGen.Runtime.Consistency;

/// <summary>
/// Connects the runtime's own events (src/PatchGen.Runtime/Observation) to the consistency model: the
/// continuous session that records what the JIT compiled and inlined, and the stack snapshots that
/// certification takes. Started once per process, as early as possible (by the module initializer of
/// every instrumented assembly, the startup hook and <see cref="PatchRuntime.Listen"/>): what the JIT
/// inlined before it started is only known cautiously (<see cref="StaticInlining"/>).
/// </summary>
internal sealed class RuntimeObservation : IStackSource, IInlineSource
{
    private static readonly object StartLock = new();
    private static RuntimeObservation? s_instance;

    private static readonly TimeSpan RundownTimeout = TimeSpan.FromSeconds(60);
    private readonly RuntimeEventSession _session;
    private Task _rundown = Task.CompletedTask;
    private readonly object _rundownLock = new();
    private bool _rundownDone;

    private RuntimeObservation(RuntimeEventSession session) => _session = session;

    /// <summary>The running observation, if it started.</summary>
    public static RuntimeObservation? Instance => Volatile.Read(ref s_instance);

    /// <summary>
    /// Starts observing, once per process, before it returns: whatever the JIT compiles afterwards is
    /// recorded (a module initializer relies on that, see <see cref="StaticInlining"/>). The session's own
    /// threads do the rest. <c>PATCHGEN_OBSERVE=0</c> turns it off: then transitions can be certified
    /// only by force. Never throws; a failure is kept for reports.
    /// </summary>
    public static void EnsureStarted()
    {
        if (Volatile.Read(ref s_instance) is not null)
            return;
        lock (StartLock)
        {
            if (s_instance is not null || s_attempted)
                return;
            s_attempted = true;
            if (Environment.GetEnvironmentVariable("PATCHGEN_OBSERVE") == "0")
            {
                StackObservation.WhyUnavailable = "PATCHGEN_OBSERVE=0 turned observation off";
                return;
            }
            try
            {
                Start();
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                StackObservation.WhyUnavailable = "observation could not start: " + e.GetType().Name + ": " + e.Message;
            }
        }
    }

    /// <summary>The same, for callers that need the instance.</summary>
    public static RuntimeObservation? StartNow()
    {
        EnsureStarted();
        return Instance;
    }

    private static bool s_attempted;

    private static void Start()
    {
        var session = new RuntimeEventSession();
        if (!session.Start(rundown: false))
        {
            StackObservation.WhyUnavailable = "the runtime's event pipe is not available: " + (session.FailureReason ?? "unknown reason");
            return;
        }
        var instance = new RuntimeObservation(session);
        Volatile.Write(ref s_instance, instance);
        InlineKnowledge.Source = instance;
        StackObservation.Source = instance;
        // The code compiled before the session started, for the snapshots to name: now, while the process
        // is young and that code is small, and in the background, so nothing waits for it.
        instance._rundown = Task.Run(() => instance.EnsureRundown(RundownTimeout));
    }

    /// <summary>The runtime's ID of <paramref name="module"/>, once its events have named it (0 before).</summary>
    public ulong ModuleIdOf(System.Reflection.Module module) => _session.CodeMap.IdOf(module);

    // ---------------------------------------------------------------- inlining

    public InlineFacts? FactsOf(MethodBase? method)
    {
        if (method is System.Reflection.Emit.DynamicMethod dynamic)
            return FactsOfDynamic(dynamic);
        if (method is null || MethodIdentity.Of(method) is null)
            return null;
        MethodCodeInfo code;
        try
        {
            code = _session.CodeMap.GetMethodCode(method);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or NotSupportedException)
        {
            return null;
        }
        // The record names no code of a method of a patchable assembly: a frame of it runs code compiled a moment ago
        // (its event is on its way), or code no event described, whose inlines are unknown, not "nothing": ReadyToRun
        // code of a patchable assembly published with ReadyToRun (the events name no precompiled method after the
        // rundown, and such code may inline the assembly's own patchable methods: one version bubble), or a first code
        // version the JIT published before writing its event (the runtime publishes a method's default version, then
        // writes its MethodLoad; tier-1 and on-stack-replacement versions run only after theirs). NoCode: a thread's
        // check catches up first, then takes the IL's cautious answer. Other assemblies keep the empty record: their
        // precompiled code cannot hold a patchable assembly's methods (ReadyToRun inlines only within its version
        // bubble), and judged by their IL with profiles every delegate call would hold every thread
        // (docs/consistency-model.md, "Limits", ReadyToRun).
        if (code.Versions.Count == 0 && IsPatchable(method.Module.Assembly))
            return new InlineFacts(MethodIdentity.NameKey(method), new HashSet<string>(), Array.Empty<(string, string)>(), InlineEvidence.NoCode, null);
        return Facts(MethodIdentity.NameKey(method), code.Versions);
    }

    /// <summary>
    /// What a stack frame's <see cref="System.Reflection.Emit.DynamicMethod"/> (a compiled expression's
    /// <c>lambda_method&lt;N&gt;</c>) inlined: the record of the one dynamic code version of its name. A
    /// DynamicMethod is compiled once (no tiering, no rejit) and its MethodID is not reachable from
    /// reflection, so the name is the only key; when it names no live version or more than one, which
    /// code the frame runs is unknown, and null makes it hold (docs/consistency-model.md, "Inlining").
    /// A version of that name the events have not brought in yet is what the caller's catch-up is for
    /// (<see cref="StackCheck.IsClear"/>): after it, a second method of the name makes the answer null.
    /// </summary>
    private InlineFacts? FactsOfDynamic(System.Reflection.Emit.DynamicMethod method)
    {
        // A unique name proves the version is the frame's only if the map missed no dynamic method: none
        // compiled before observation that the rundown has not named yet, no load event dropped.
        if (!Volatile.Read(ref _rundownDone) || _session.DroppedEvents != 0)
            return null;
        var versions = _session.CodeMap.DynamicVersionsNamed(method.Name);
        if (versions.Count != 1)
            return null;
        return Facts(Key(versions[0].Name), versions);
    }

    private static InlineFacts Facts(string root, IReadOnlyList<CodeVersion> versions)
    {
        var inlinees = new HashSet<string>(StringComparer.Ordinal);
        var edges = new HashSet<(string, string)>();
        var evidence = InlineEvidence.Recorded;
        List<InlineTree>? trees = new();
        foreach (var version in versions)
        {
            if (NeverInlines(version))
                continue;
            if (version.Tree is { } tree)
                trees?.Add(tree);
            else
                trees = null;
            if (version.Inlinees is null || version.InlineEdges is null)
            {
                evidence = version.Source == CodeVersionSource.Rundown && evidence != InlineEvidence.Lost ? InlineEvidence.BeforeObservation : InlineEvidence.Lost;
                continue;
            }
            foreach (var inlinee in version.Inlinees)
                inlinees.Add(Key(inlinee));
            foreach (var edge in version.InlineEdges)
                edges.Add((Key(edge.Inliner), Key(edge.Inlinee)));
        }
        return new InlineFacts(root, inlinees, edges, evidence, trees);
    }

    /// <summary>What one code version inlined (name keys); null when unknown.</summary>
    private static IReadOnlySet<string>? InlineesOf(CodeVersion version)
    {
        if (NeverInlines(version))
            return new HashSet<string>();
        if (version.Inlinees is null)
            return null;
        return version.Inlinees.Select(Key).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>
    /// Unoptimized code (tier 0, minimal optimizations) never inlines; marshalling stubs call nothing of
    /// the application's.
    /// </summary>
    private static bool NeverInlines(CodeVersion version)
        => version.Tier is CodeTier.Tier0 or CodeTier.Tier0Instrumented or CodeTier.MinOpts
           || (version.IsDynamic && version.Name.Name.StartsWith("IL_STUB", StringComparison.Ordinal));

    private static string Key(EventMethodName name) => MethodIdentity.NameKey(name.Namespace, name.Name);

    public bool CatchUp(TimeSpan timeout) => _session.Synchronize(timeout);

    public long CaughtUpThrough => _session.CaughtUpThrough;

    // ---------------------------------------------------------------- stacks

    public Consistency.StackSnapshot? Take(TimeSpan timeout, out string? whyNot)
    {
        _rundown.Wait(RundownTimeout);
        DebugLog.Mark("rundown ready");
        Observation.StackSnapshot snapshot;
        try
        {
            snapshot = Observation.StackSnapshot.Take(_session.CodeMap, timeout);
        }
        catch (Exception e) when (e is DiagnosticsIpcException or IOException or TimeoutException or InvalidOperationException)
        {
            whyNot = "taking a stack snapshot failed: " + e.Message;
            return null;
        }
        // Both read once per snapshot, when the first frame needs them, not once per frame.
        var images = new Lazy<ImageRanges>(() =>
        {
            var ranges = ImageRanges.Read();
            DebugLog.Mark("mappings read");
            return ranges;
        });
        var instrumented = new Lazy<HashSet<string>>(() => InstrumentedFiles);
        // Caught up once per snapshot, only if some frame needs it (see Name).
        var caughtUp = new Lazy<CodeAddressIndex?>(() =>
        {
            bool done = _session.Synchronize(CatchUpTimeout);
            if (DebugLog.Enabled)
                DebugLog.Write($"  frames: caught up {(done ? "" : "NOT ")}for naming");
            return done ? _session.CodeMap.AddressIndex() : null;
        });
        var threads = new List<Consistency.ThreadStack>(snapshot.Threads.Count);
        foreach (var thread in snapshot.Threads)
            threads.Add(new Consistency.ThreadStack((int)thread.OsThreadId, () => Name(thread, images.Value, instrumented, caughtUp), thread.MaybeTruncated));
        whyNot = null;
        return new Consistency.StackSnapshot(threads, snapshot.Latency);
    }

    private static readonly TimeSpan CatchUpTimeout = TimeSpan.FromSeconds(1);

    private List<SnapshotFrame> Name(Observation.ThreadStack thread, ImageRanges images, Lazy<HashSet<string>> instrumentedFiles, Lazy<CodeAddressIndex?> caughtUp)
    {
        var frames = new List<SnapshotFrame>(thread.Frames.Count);
        foreach (var frame in thread.Frames)
        {
            if (frame.Code is { IsDynamic: true } dynamic && caughtUp.Value?.Find(frame.InstructionPointer) != dynamic)
            {
                // The address was looked up in the map as it was when the sample was read, which lags the JIT by
                // an event flush. Dynamic methods are collected and their code memory reused: a method compiled
                // a moment ago at the address of one collected a moment ago would be judged by the collected
                // one's record. Once the map has caught up past the sample, it holds every version running then
                // (and has dropped the collected one, or ranks the newer above it): the same version is right.
                frames.Add(new SnapshotFrame(null, null, Unresolved: true, Reason: "a dynamic method whose code the runtime's events have not caught up with"));
            }
            else if (frame.Code is { } code)
            {
                var method = code.IsDynamic ? null : _session.CodeMap.Resolve(code);
                frames.Add(new SnapshotFrame(method, InlineesOf(code), Unresolved: false, code.MethodId, Key(code.Name)));
            }
            else if (images.FileAt(frame.InstructionPointer) is not { } file)
            {
                // Compiled by the JIT, but its load event had not come through the stream when the sample was
                // read (a snapshot from a file session takes a few ms; the stream lags by an event flush).
                // The caught-up map names it if the code there is a method of a non-collectible assembly, and
                // not a generic instantiation (whose code lives with its type arguments, which may be collectible):
                // such code memory is never freed, so no other code can have been at that address when the
                // sample was taken. Code of a collectible assembly may sit where a collected method's did.
                frames.Add(caughtUp.Value?.Find(frame.InstructionPointer) is { IsDynamic: false } late
                           && (late.Flags & Observation.RuntimeEventDecoder.FlagGeneric) == 0
                           && _session.CodeMap.Resolve(late) is { } method && !method.Module.Assembly.IsCollectible
                    ? new SnapshotFrame(method, InlineesOf(late), Unresolved: false, late.MethodId, Key(late.Name))
                    : new SnapshotFrame(null, null, Unresolved: true));
            }
            else if (instrumentedFiles.Value.Contains(file))
            {
                // ReadyToRun code of an instrumented assembly (published with PublishReadyToRun after
                // instrumentation): its methods are not named by the runtime's events, and may be changed ones.
                frames.Add(new SnapshotFrame(null, null, Unresolved: true, Reason: "ReadyToRun code of " + Path.GetFileName(file) + " (build patchable assemblies without ReadyToRun)"));
            }
            // Else precompiled code of another image (the framework's ReadyToRun code, native code): it
            // cannot hold the application's code inlined, since ReadyToRun inlines only within its own
            // version bubble.
        }
        return frames;
    }

    /// <summary>The files of the instrumented assemblies loaded now.</summary>
    private static HashSet<string> InstrumentedFiles
    {
        get
        {
            var files = new HashSet<string>(StringComparer.Ordinal);
            foreach (var assembly in AppDomain.CurrentDomain.GetAssemblies())
            {
                if (InstrumentedFileOf.GetValue(assembly, FileIfInstrumented) is string file)
                    files.Add(file);
            }
            return files;
        }
    }

    // Whether an assembly is instrumented, and its file, asked once per assembly: asking every loaded assembly for its
    // attribute took ~0.5 ms of every stack snapshot. The table holds its assemblies weakly (collectible ones can still
    // unload). An entry is the file, InstrumentedInMemory (no file: loaded from bytes, or dynamic) or NotInstrumented.
    private static readonly ConditionalWeakTable<Assembly, object> InstrumentedFileOf = new();
    private static readonly object NotInstrumented = new();
    private static readonly object InstrumentedInMemory = new();

    /// <summary>Whether <paramref name="assembly"/> is instrumented (it carries <see cref="PatchableAssemblyAttribute"/>).</summary>
    private static bool IsPatchable(Assembly assembly) => InstrumentedFileOf.GetValue(assembly, FileIfInstrumented) != NotInstrumented;

    private static object FileIfInstrumented(Assembly assembly)
        => !assembly.IsDefined(typeof(PatchableAssemblyAttribute), inherit: false) ? NotInstrumented
            : !assembly.IsDynamic && assembly.Location.Length > 0 ? assembly.Location
            : InstrumentedInMemory;

    /// <summary>The first snapshot needs every code version that existed before observation began.</summary>
    private void EnsureRundown(TimeSpan timeout)
    {
        lock (_rundownLock)
        {
            if (_rundownDone)
                return;
            _rundownDone = _session.RunRundown(timeout);
        }
    }
}
