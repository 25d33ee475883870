using System.Diagnostics;
using PatchGen.Diagnostics;
using PatchGen.Runtime.Consistency;
using PatchGen.Runtime.Instrumentation;
using PatchGen.Runtime.Telemetry;

namespace PatchGen.Runtime;

/// <summary>
/// One driver of live patching (livepatch's <c>klp_patches</c> and <c>klp_transition_patch</c>): the
/// applied patches, the generations their transitions published, the transition being certified, and the
/// universes of the threads in those generations (docs/consistency-model.md). Operations are serialized
/// (one at a time, one transition at a time) and change state under <see cref="_gate"/>; user code (log
/// hooks, patch callbacks) never runs under it. Instrumented code never takes it: it reads published,
/// immutable states.
/// <para>
/// The process's engine is <see cref="PatchRuntime.Engine"/>, which the public API, the control channel
/// and the startup hook drive. Tests make their own, for what needs no process-wide state. What stays
/// process-wide whatever the engine (docs/consistency-model.md, "One engine per site"): the slots and site
/// tables of the instrumented assemblies, each driven by the one engine that claimed it
/// (<see cref="InstrumentedAssembly.Claim"/>); the threads, their stacks and the parked ones
/// (<see cref="ParkedThreads"/>); the observation of the JIT and the stack sampler
/// (<see cref="RuntimeObservation"/>), whose rounds are taken one at a time (<see cref="Certifier"/>); the
/// trusted keys and the control channel (<see cref="PatchRuntime"/>).
/// </para>
/// </summary>
internal sealed class PatchEngine
{
    private readonly object _gate = new();
    private readonly List<LoadedPatch> _patches = new();
    private readonly SemaphoreSlim _operation = new(1, 1);

    // Generations: every transition publishes the next one. Threads run the code of their own generation
    // until they switch themselves; everything up to the certified one is what every thread runs.
    private long _published;
    private long _certified;

    // What each uncertified generation changed, oldest first; replaced as a whole under _gate.
    private volatile UncertifiedGenerations _uncertified = UncertifiedGenerations.None;

    private Transition? _transition;

    // A certified transition whose post callback has not run yet: waiting for a transition waits for it too.
    private Transition? _completing;
    private string? _lastFailure;

    /// <summary>An engine with no patches, whose threads all run generation 0 (tests make their own; see <see cref="PatchRuntime.Engine"/>).</summary>
    internal PatchEngine(string name)
    {
        Name = name;
        Threads = new ThreadRegistry(this);
    }

    /// <summary>What logs and certifier threads call this engine.</summary>
    public string Name { get; }

    /// <summary>Whether this is the process's engine, the one <see cref="PatchRuntime"/> drives.</summary>
    public bool IsProcessEngine => ReferenceEquals(this, PatchRuntime.Engine);

    /// <summary>The threads that have a universe in this engine.</summary>
    public ThreadRegistry Threads { get; }

    /// <summary>The certification round (Certifier, ThreadUniverse.Advance).</summary>
    public CertificationRounds Rounds { get; } = new();

    /// <summary>Receives one line per event (patch enabled, straggling threads, ...). Never called under the engine's lock; a hook that throws is ignored.</summary>
    public Action<string>? Log { get; set; }

    public long PublishedGeneration => Volatile.Read(ref _published);

    public long CertifiedGeneration => Volatile.Read(ref _certified);

    /// <summary>The transition not yet certified, if any.</summary>
    public Transition? CurrentTransition => Volatile.Read(ref _transition);

    /// <summary>Everything changed by the generations after <paramref name="generation"/> that are not certified yet.</summary>
    public ChangeSet ChangesAfter(long generation)
    {
        var touched = TouchedAfter(generation);
        BetweenTouchedAndVersionsForTests?.Invoke(this);
        return NetChanges(touched, generation);
    }

    /// <summary>Runs between reading the touched functions and reading their versions (tests: a generation published in between).</summary>
    internal static Action<PatchEngine>? BetweenTouchedAndVersionsForTests;

    /// <summary>Every function a generation after <paramref name="generation"/> touched, changed back or not.</summary>
    private ChangeSet TouchedAfter(long generation) => _uncertified.TouchedAfter(generation);

    /// <summary>
    /// Only the functions whose version at <paramref name="generation"/> differs from their version at the generation
    /// the changes reach (<see cref="ChangeSet.UpTo"/>, where a thread that finds them clear switches to): a function
    /// changed and changed back (a reversal) is the same to a thread of either generation. Compared with the version at
    /// that generation, not the state's newest: a reversal published after the touched functions were read makes the
    /// newest the old one again, and a thread raised to the generation before it would run the new one with an old caller
    /// on its stack (the steady-stubs stress test caught it: a thread went from 49 to 50 "with no changes" while 51
    /// reversed 50).
    /// </summary>
    private ChangeSet NetChanges(ChangeSet touched, long generation)
    {
        var changed = new List<(PatchSite, IEnumerable<SiteEntry?>)>();
        foreach (var site in touched.Sites)
        {
            var state = site.State;
            if (!SameVersion(state.EntryAt(generation), state.EntryAt(touched.UpTo)))
                changed.Add((site, state.Versions.Select(v => v.Entry)));
        }
        return changed.Count == touched.Sites.Count ? touched : ChangeSet.For(touched.UpTo, changed);
    }

    /// <summary>The same code: the same entry, or both the original (the method's own body or any patch's copy of it).</summary>
    private static bool SameVersion(SiteEntry? a, SiteEntry? b)
        => a == b || ((a is null || a.IsOriginal) && (b is null || b.IsOriginal));

    // ---------------------------------------------------------------- the operations of PatchRuntime

    /// <summary><see cref="PatchRuntime.Enable(string)"/> on this engine.</summary>
    public PatchInfo Enable(string patchPath)
        => Reported("enable", patchPath, () => Describe(EnablePatch(() => PatchLoader.Load(patchPath))));

    /// <summary><see cref="PatchRuntime.Enable(byte[], byte[], string)"/> on this engine.</summary>
    public PatchInfo Enable(byte[] image, byte[]? symbols = null, string source = "(in memory)")
    {
        ArgumentNullException.ThrowIfNull(image);
        // A private copy: what is verified must be what is loaded, even if the caller's array changes.
        var copy = (byte[])image.Clone();
        return Reported("enable", source, () => Describe(EnablePatch(() => PatchLoader.Load(copy, symbols, source))));
    }

    /// <summary><see cref="PatchRuntime.Disable"/> on this engine.</summary>
    public PatchInfo Disable(string patchId) => Reported("disable", patchId, () => Describe(DisablePatch(patchId)));

    /// <summary><see cref="PatchRuntime.WaitForTransition"/> on this engine.</summary>
    public TransitionResult WaitForTransition(TimeSpan timeout)
    {
        if (WaitUntilNoTransition(timeout))
            return new TransitionResult(true, null);
        var transition = GetStatus().Transition;
        if (transition is null)
            return new TransitionResult(true, null);
        var warning = "warning PG4001: " + StalledTransitionWarning.Format(transition);
        Emit(warning);
        return new TransitionResult(false, warning);
    }

    /// <summary><see cref="PatchRuntime.Force"/> on this engine.</summary>
    public string Force()
    {
        var patch = Reported("force", CurrentTransition?.Patch.Id ?? "", ForceTransition);
        return "warning PG4002: " + DiagnosticCatalog.TransitionForced.Format(patch.Id);
    }

    /// <summary>Runs an operation; a refusal is reported to the telemetry (outside every lock) and thrown on unchanged.</summary>
    private static T Reported<T>(string operation, string subject, Func<T> run)
    {
        try
        {
            return run();
        }
        catch (PatchRuntimeException e)
        {
            RuntimeTelemetry.Refused(operation, subject, e.DiagnosticId, e.Message);
            throw;
        }
    }

    // ---------------------------------------------------------------- operations

    private LoadedPatch EnablePatch(Func<LoadedPatch> load)
    {
        EnterOperation("enable");
        try
        {
            RefuseDuringTransition("enabling a patch");
            long startedAt = Stopwatch.GetTimestamp();
            RuntimeObservation.EnsureStarted();
            DebugLog.Write($"enable: observation started after {Stopwatch.GetElapsedTime(startedAt).TotalMilliseconds:0} ms");
            var patch = load();
            DebugLog.Write($"enable: '{patch.Id}' loaded after {Stopwatch.GetElapsedTime(startedAt).TotalMilliseconds:0} ms");
            try
            {
                lock (_gate)
                {
                    ClaimTargetOf(patch);
                    PatchCompatibility.Check(_patches, patch);
                }
                PatchCallbacks.Run(patch, PatchCallbackKind.PrePatch);
            }
            catch
            {
                patch.BeginUnload();
                throw;
            }
            string message;
            Transition started;
            lock (_gate)
            {
                _patches.Add(patch);
                message = StartEnable(patch);
                started = _transition!;
            }
            Emit(message);
            RuntimeTelemetry.Enable(patch.Id, patch.TargetNames, patch.Source, started.Replaced.Select(p => p.Id).ToArray());
            RuntimeTelemetry.TransitionStarted(patch.Id, enabling: true, started.Generation);
            DebugLog.Write($"enable: '{patch.Id}' transition started after {Stopwatch.GetElapsedTime(startedAt).TotalMilliseconds:0} ms");
            Threads.Current.SwitchIfClear(mayCatchUp: false);
            DebugLog.Write($"enable: '{patch.Id}' answered after {Stopwatch.GetElapsedTime(startedAt).TotalMilliseconds:0} ms");
            return patch;
        }
        finally
        {
            _operation.Release();
        }
    }

    private LoadedPatch DisablePatch(string id)
    {
        EnterOperation("disable");
        try
        {
            LoadedPatch patch;
            string? reversal = null;
            Transition? reversed = null;
            lock (_gate)
            {
                patch = Find(id);
                var transition = _transition;
                if (transition is not null && transition.Patch == patch && transition.Enabling)
                {
                    // livepatch's klp_reverse_transition: the enable is still being certified; publish the way
                    // back at once, through the same model (threads that already switched switch back).
                    reversal = StartDisable(patch, reversing: transition);
                    reversed = _transition;
                }
                else
                {
                    if (transition is not null)
                        throw new PatchRuntimeException(DiagnosticCatalog.TransitionInProgress, $"disabling {id}", transition.Patch.Id);
                    if (patch.State != PatchState.Enabled)
                        throw new PatchRuntimeException(DiagnosticCatalog.PatchConflict, id, $"it is {Describe(patch.State)}, not enabled");
                    var above = _patches.FirstOrDefault(p => p != patch && p.State == PatchState.Enabled
                        && p.Entries.Keys.Any(patch.Entries.ContainsKey) && _patches.IndexOf(p) > _patches.IndexOf(patch));
                    if (above is not null)
                        throw new PatchRuntimeException(DiagnosticCatalog.PatchConflict, id, $"{above.Id} is stacked on it and patches the same functions; disable {above.Id} first");
                }
            }
            if (reversal is not null)
            {
                // The log hook and telemetry listeners are user code: called once the lock is released.
                Emit(reversal);
                RuntimeTelemetry.Disable(patch.Id);
                RuntimeTelemetry.TransitionReversed(patch.Id, reversed!.Generation);
                RuntimeTelemetry.TransitionStarted(patch.Id, enabling: false, reversed.Generation);
                return patch;
            }
            PatchCallbacks.Run(patch, PatchCallbackKind.PreUnpatch);
            string started;
            Transition disabling;
            lock (_gate)
            {
                started = StartDisable(patch, reversing: null);
                disabling = _transition!;
            }
            Emit(started);
            RuntimeTelemetry.Disable(patch.Id);
            RuntimeTelemetry.TransitionStarted(patch.Id, enabling: false, disabling.Generation);
            Threads.Current.SwitchIfClear(mayCatchUp: false);
            return patch;
        }
        finally
        {
            _operation.Release();
        }
    }

    /// <summary>livepatch's <c>klp_force_transition</c>: certifies the transition now, whatever the threads run (PG4002).</summary>
    private LoadedPatch ForceTransition()
    {
        EnterOperation("force");
        try
        {
            Transition transition;
            lock (_gate)
            {
                transition = _transition
                    ?? throw new PatchRuntimeException(DiagnosticCatalog.PatchConflict, "force", "no transition is in progress");
                transition.Forced = true;
                // Which patches may still have threads in their code afterwards, and so can never be
                // unloaded (the rule worked out for klp_force_transition(), kernel/livepatch/transition.c,
                // in the LKML thread "[PATCH v2] livepatch: Don't block removal of patches that are safe
                // to unload", March 2022): the patch being removed by a forced disable; the patches
                // being replaced by a forced atomic replace. A forced enable of a plain patch leaves
                // threads only in code that stays (the original, or patches still enabled).
                if (!transition.Enabling)
                    transition.Patch.Forced = true;
                else
                    foreach (var replaced in transition.Replaced)
                        replaced.Forced = true;
                foreach (var universe in Threads.Live())
                    universe.RaiseTo(transition.Generation);
                CompleteUnderGate(transition);
            }
            transition.Certifier?.Stop();
            Emit($"{transition.Patch.Id}: transition forced (PG4002)");
            RuntimeTelemetry.TransitionCompleted(transition.Patch.Id, transition.Enabling, transition.Generation, transition.Duration!.Value, forced: true);
            AfterCompletion(transition);
            return transition.Patch;
        }
        finally
        {
            _operation.Release();
        }
    }

    /// <summary>Unloads a disabled, never-forced patch's load context; true when it was collected within the timeout.</summary>
    public bool Unload(string id, TimeSpan timeout)
    {
        EnterOperation("unload");
        LoadedPatch patch;
        try
        {
            lock (_gate)
            {
                patch = Find(id);
                if (patch.State is not (PatchState.Disabled or PatchState.Replaced))
                    throw new PatchRuntimeException(DiagnosticCatalog.PatchConflict, id, $"it is {Describe(patch.State)}; only a disabled patch can be unloaded");
                if (patch.Forced)
                    throw new PatchRuntimeException(DiagnosticCatalog.TransitionForced, id);
                patch.BeginUnload();
                patch.State = PatchState.Unloaded;
                _patches.Remove(patch);
            }
            // Remembered IL searches name methods of the patch's module: they would keep its context alive.
            Consistency.StaticInlining.ForgetAll();
        }
        finally
        {
            _operation.Release();
        }
        // Certification showed no thread in its code; the runtime collects the context once nothing refers to it.
        var deadline = Stopwatch.StartNew();
        while (patch.ContextReference.IsAlive && deadline.Elapsed < timeout)
        {
            // Again at every try: a thread's stack check that began before the transition completed may remember its
            // answers after the forgetting above (an IL search can take seconds on a loaded machine), and those answers
            // name the patch's methods. Seen once in CI: Unload false after 10 s of collections.
            Consistency.StaticInlining.ForgetAll();
            GC.Collect();
            GC.WaitForPendingFinalizers();
            if (patch.ContextReference.IsAlive)
                Thread.Sleep(10);
        }
        bool collected = !patch.ContextReference.IsAlive;
        Emit($"{id}: unloaded{(collected ? "" : " (still referenced; collection pending)")}");
        RuntimeTelemetry.Unload(id, collected);
        return collected;
    }

    /// <summary>Waits until no transition is in progress; false if one still is at the timeout.</summary>
    private bool WaitUntilNoTransition(TimeSpan timeout)
    {
        // A thread that waits cannot switch itself: its frames are checked for it while it does (its sampled
        // stack, or the frames it records here). It does not check them itself first: where that check rests on
        // the JIT's record it waits for an event flush (~100 ms), which the certifier mostly does not need.
        using var park = ParkedThreads.Park();
        var clock = Stopwatch.StartNew();
        while ((CurrentTransition ?? Volatile.Read(ref _completing)) is { } transition)
        {
            var remaining = timeout - clock.Elapsed;
            if (remaining <= TimeSpan.Zero)
                return false;
            // A reversal replaces the transition: wait on each in turn.
            transition.Done.Wait(remaining);
        }
        return true;
    }

    // ---------------------------------------------------------------- transitions

    private string StartEnable(LoadedPatch patch)
    {
        var replaced = patch.Cumulative
            ? _patches.Where(p => p != patch && p.State == PatchState.Enabled && p.SharesBaseWith(patch)).ToList()
            : new List<LoadedPatch>();
        var tops = new Dictionary<PatchSite, SiteEntry>();
        foreach (var (site, entry) in patch.Replacements)
        {
            tops[site] = entry;
            patch.Entries[site] = entry;
        }
        // An atomic replace reverts what the replaced patches patched and it does not: the function runs
        // its original again (livepatch's klp_add_nops), here a copy of the original from a loaded patch.
        foreach (var old in replaced)
        {
            foreach (var site in old.Entries.Keys)
            {
                if (!tops.ContainsKey(site))
                    tops[site] = patch.Entries[site] = OriginalFor(site);
            }
        }
        var transition = Publish(patch, enabling: true, tops, replaced);
        patch.State = PatchState.Enabling;
        return $"{patch.Id}: enabling ({tops.Count} functions{(replaced.Count > 0 ? ", replacing " + string.Join(", ", replaced.Select(p => p.Id)) : "")}, generation {transition.Generation})";
    }

    private string StartDisable(LoadedPatch patch, Transition? reversing)
    {
        var tops = new Dictionary<PatchSite, SiteEntry>();
        foreach (var site in patch.Entries.Keys)
            tops[site] = TopWithout(site, patch);
        reversing?.Certifier?.Stop();
        var transition = Publish(patch, enabling: false, tops, Array.Empty<LoadedPatch>());
        reversing?.Done.Set();
        patch.State = PatchState.Disabling;
        return reversing is not null
            ? $"{patch.Id}: transition reversed (generation {transition.Generation})"
            : $"{patch.Id}: disabling ({tops.Count} functions, generation {transition.Generation})";
    }

    /// <summary>What a function runs without <paramref name="patch"/>: the top entry of the other enabled patches, or the original.</summary>
    private SiteEntry TopWithout(PatchSite site, LoadedPatch patch)
    {
        for (int i = _patches.Count - 1; i >= 0; i--)
        {
            var other = _patches[i];
            if (other != patch && other.State is PatchState.Enabled or PatchState.Enabling && other.Entries.TryGetValue(site, out var entry))
                return entry;
        }
        return OriginalFor(site);
    }

    /// <summary>A copy of the original body of the function, from any loaded patch that carries one (every patch does for what it replaces).</summary>
    private SiteEntry OriginalFor(PatchSite site)
    {
        for (int i = _patches.Count - 1; i >= 0; i--)
        {
            if (_patches[i].Originals.TryGetValue(site, out var original))
                return original;
        }
        throw new InvalidOperationException($"no loaded patch carries the original of {site}");
    }

    /// <summary>
    /// Publishes the next generation: every function in <paramref name="tops"/> gets its new version from
    /// it, every slot involved is set, and only then the generation number, which is what lets threads
    /// switch (docs/consistency-model.md, "Publishing").
    /// </summary>
    private Transition Publish(LoadedPatch patch, bool enabling, Dictionary<PatchSite, SiteEntry> tops, IReadOnlyList<LoadedPatch> replaced)
    {
        // Only the engine that claimed a site's assembly may drive it (ClaimTargetOf, before any publish);
        // checked before anything changes.
        if (tops.Keys.FirstOrDefault(site => site.Assembly.Engine != this) is { } foreign)
            throw new InvalidOperationException($"{foreign} is not driven by the engine {Name}");
        long generation = _published + 1;
        var changed = new List<(PatchSite, IEnumerable<SiteEntry?>)>();
        foreach (var (site, entry) in tops.OrderBy(t => t.Key.Assembly.Name, StringComparer.Ordinal).ThenBy(t => t.Key.Number))
        {
            // While the slot is set, calling the method would come straight back here: where a version ran
            // the method's own body, threads of that generation run a copy of the original instead.
            var versions = site.State.Versions.Select(v => v.Entry is null ? new SiteVersion(v.Since, OriginalFor(site)) : v).ToArray();
            var state = SiteState.InTransition(versions).With(generation, entry);
            site.State = state;
            changed.Add((site, state.Versions.Select(v => v.Entry)));
        }
        // States before slots: a thread that finds a slot set must find the state that goes with it.
        Interlocked.MemoryBarrier();
        foreach (var site in tops.Keys)
            site.SetSlot(true);

        _uncertified = _uncertified.With(generation, ChangeSet.For(generation, changed));
        var transition = new Transition(generation, patch, enabling, replaced);
        Volatile.Write(ref _transition, transition);
        // Last: from here on threads entering these functions may switch to the new generation.
        Volatile.Write(ref _published, generation);
        DebugLog.WriteTimeline("steps before this publication");
        DebugLog.Mark("published");
        DebugLog.Write($"published {generation} ({patch.Id}, {(enabling ? "enable" : "disable")})");
        transition.Certifier = new Certifier(this, transition);
        transition.Certifier.Start();
        return transition;
    }

    // ---------------------------------------------------------------- certification

    /// <summary>Called by the certifier when a round cleared every thread; false if the transition is no longer current.</summary>
    public bool Certify(Transition transition)
    {
        lock (_gate)
        {
            if (_transition != transition)
                return false;
            CompleteUnderGate(transition);
        }
        Emit($"{transition.Patch.Id}: {(transition.Enabling ? "enabled" : "disabled")} in {transition.Duration!.Value.TotalMilliseconds:0.0} ms");
        RuntimeTelemetry.TransitionCompleted(transition.Patch.Id, transition.Enabling, transition.Generation, transition.Duration.Value, forced: false);
        AfterCompletion(transition);
        return true;
    }

    /// <summary>
    /// livepatch's <c>klp_complete_transition</c>: every thread runs the transition's generation, so each
    /// function keeps one version; a function nothing patches any more gets its empty slot back and costs
    /// nothing again.
    /// </summary>
    private void CompleteUnderGate(Transition transition)
    {
        long generation = transition.Generation;
        var changes = TouchedAfter(CertifiedGeneration);
        // Certified first, then the round ends: a thread waiting on a closing round looks at the certified
        // generation first. Whatever round is running belongs to this transition's certifier (one round at
        // a time, Certifier.RoundLock), and is moot once the transition completes.
        Volatile.Write(ref _certified, generation);
        Rounds.EndAny();
        DebugLog.Mark("certified");
        DebugLog.WriteTimeline($"generation {generation}");
        DebugLog.Write($"certified {generation} ({transition.Patch.Id})");

        foreach (var site in changes.Sites.OrderBy(s => s.Assembly.Name, StringComparer.Ordinal).ThenBy(s => s.Number))
        {
            var top = site.State.Top;
            if (top is null || top.IsOriginal)
            {
                // Slot first, then the state: a stub that still sees the old slot and then the empty state
                // calls the method, which finds its slot empty and runs its own body.
                site.SetSlot(false);
                Interlocked.MemoryBarrier();
                site.State = SiteState.SteadyOn(null, site.OwnBody);
            }
            else
            {
                site.State = SiteState.SteadyOn(top, IntPtr.Zero);
            }
        }

        var patch = transition.Patch;
        if (transition.Enabling)
        {
            patch.State = PatchState.Enabled;
            foreach (var nop in patch.Entries.Where(e => e.Value.IsOriginal).Select(e => e.Key).ToList())
                patch.Entries.Remove(nop);
            foreach (var old in transition.Replaced)
            {
                old.State = PatchState.Replaced;
                old.Entries.Clear();
            }
        }
        else
        {
            patch.State = PatchState.Disabled;
            patch.Entries.Clear();
        }
        _uncertified = _uncertified.After(generation);
        transition.Duration = DateTime.UtcNow - transition.StartTime;
        Volatile.Write(ref _completing, transition);
        Volatile.Write(ref _transition, null);
    }

    /// <summary>
    /// Post callbacks run after completion, outside the lock. One that throws undoes the operation through
    /// the model (PG4004): a failed post-patch disables the patch again, a failed post-unpatch re-enables it.
    /// </summary>
    private void AfterCompletion(Transition transition)
    {
        try
        {
            RunPostCallback(transition);
        }
        finally
        {
            Interlocked.CompareExchange(ref _completing, null, transition);
            transition.Done.Set();
        }
    }

    private void RunPostCallback(Transition transition)
    {
        var patch = transition.Patch;
        var kind = transition.Enabling ? PatchCallbackKind.PostPatch : PatchCallbackKind.PostUnpatch;
        try
        {
            PatchCallbacks.Run(patch, kind);
        }
        catch (PatchRuntimeException e)
        {
            _lastFailure = e.ToString();
            Emit(e.ToString());
            string? message = null;
            Transition? undo = null;
            lock (_gate)
            {
                if (_transition is not null)
                    return;
                if (kind == PatchCallbackKind.PostPatch)
                {
                    // The patches an atomic replace superseded are gone by now; the honest undo is to leave
                    // it enabled and report the failure.
                    if (transition.Replaced.Count == 0)
                        message = StartDisable(patch, reversing: null);
                }
                else
                {
                    message = StartEnable(patch);
                }
                if (message is not null)
                    undo = _transition;
            }
            if (message is not null)
                Emit(message);
            if (undo is not null)
                RuntimeTelemetry.TransitionStarted(patch.Id, undo.Enabling, undo.Generation);
        }
    }

    // ---------------------------------------------------------------- helpers

    private void EnterOperation(string what)
    {
        if (!_operation.Wait(0))
        {
            var transition = CurrentTransition;
            throw new PatchRuntimeException(DiagnosticCatalog.TransitionInProgress, what, transition?.Patch.Id ?? "another operation");
        }
    }

    private void RefuseDuringTransition(string what)
    {
        var transition = CurrentTransition;
        if (transition is not null)
            throw new PatchRuntimeException(DiagnosticCatalog.TransitionInProgress, what, transition.Patch.Id);
    }

    private LoadedPatch Find(string id)
        => _patches.FirstOrDefault(p => p.Id == id)
           ?? throw new PatchRuntimeException(DiagnosticCatalog.PatchConflict, id, "no patch with this ID is loaded");

    /// <summary>
    /// Makes this engine the one that drives the sites of the assemblies <paramref name="patch"/> patches, or
    /// refuses the patch (PG4003) when another engine of the process drives any of them: a site's slot is the
    /// process's, and its versions and the generations of the threads dispatching through it belong to one
    /// engine (docs/consistency-model.md, "One engine per site"). Every base is checked before any is claimed.
    /// </summary>
    private void ClaimTargetOf(LoadedPatch patch)
    {
        foreach (var target in patch.Targets)
        {
            if (target.Engine is { } engine && engine != this)
                throw new PatchRuntimeException(DiagnosticCatalog.PatchConflict, patch.Id,
                    $"the sites of {target.Name} are driven by another patch engine of this process ({engine.Name}); an instrumented assembly belongs to one engine for the life of the process");
        }
        foreach (var target in patch.Targets)
        {
            if (!target.Claim(this))
                throw new PatchRuntimeException(DiagnosticCatalog.PatchConflict, patch.Id,
                    $"the sites of {target.Name} are driven by another patch engine of this process ({target.Engine?.Name}); an instrumented assembly belongs to one engine for the life of the process");
        }
    }

    internal static string Describe(PatchState state) => state.ToString().ToLowerInvariant();

    /// <summary>How many patches are in each state, for the <c>patchgen.patches</c> gauge: no stack work, one short lock, no user code.</summary>
    internal Dictionary<PatchState, int> CountByState()
    {
        var counts = new Dictionary<PatchState, int>();
        lock (_gate)
        {
            foreach (var patch in _patches)
                counts[patch.State] = counts.GetValueOrDefault(patch.State) + 1;
        }
        return counts;
    }

    /// <summary>Sends one line to the log hook. User code: never called under the engine's lock, and a hook that throws changes nothing.</summary>
    internal void Emit(string message)
    {
        var log = Log;
        if (log is null)
            return;
        try
        {
            log("patchgen: " + message);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The hook is the application's; its failure is not the runtime's, and must not become one.
            System.Diagnostics.Trace.WriteLine("patchgen: the log hook threw " + e.GetType().Name + ": " + e.Message);
        }
    }

    // ---------------------------------------------------------------- observation

    /// <summary>A consistent picture of patches, the transition and its stragglers, for the CLI and logs (<see cref="PatchRuntime.GetStatus"/>).</summary>
    public RuntimeStatus GetStatus()
    {
        // The thread asking may have a stack deeper than the sampler shows: let it answer for itself.
        if (CurrentTransition is not null)
            Threads.Current.SwitchIfClear();
        lock (_gate)
        {
            var patches = _patches.Select(DescribeUnderGate).ToArray();
            TransitionInfo? info = null;
            var current = _transition;
            if (current is not null)
            {
                var pending = current.Stragglers
                    .Select(s => new ThreadInfo(s.ManagedThreadId ?? 0, s.Name, s.Reasons) { OsThreadId = s.OsThreadId })
                    .ToArray();
                info = new TransitionInfo(current.Patch.Id, current.Enabling, current.StartTime, DateTime.UtcNow - current.StartTime, pending);
            }
            return new RuntimeStatus(patches, info, _lastFailure);
        }
    }

    /// <summary>What the status shows of one patch.</summary>
    private PatchInfo Describe(LoadedPatch patch)
    {
        lock (_gate)
            return DescribeUnderGate(patch);
    }

    private static PatchInfo DescribeUnderGate(LoadedPatch patch)
        => new(patch.Id, patch.Target.Name, patch.State, patch.Cumulative, patch.Forced,
            patch.Replacements.Select(r => r.Entry.Member).OrderBy(m => m, StringComparer.Ordinal).ToArray())
        {
            PublicKeyToken = patch.PublicKeyToken,
            Assemblies = patch.Targets.Select(t => t.Name).ToArray(),
        };
}
