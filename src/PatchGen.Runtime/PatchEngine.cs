using System.Diagnostics;
using PatchGen.Diagnostics;
using PatchGen.Runtime.Consistency;
using PatchGen.Runtime.Instrumentation;

namespace PatchGen.Runtime;

/// <summary>
/// The process-wide state of live patching (livepatch's <c>klp_patches</c> and <c>klp_transition_patch</c>):
/// the applied patches, the generations their transitions published, and the transition being certified
/// (docs/consistency-model.md). Operations are serialized (one at a time, one transition at a time) and
/// change state under <see cref="Gate"/>; user code (log hooks, patch callbacks) never runs under it.
/// Instrumented code never takes it: it reads published, immutable states.
/// </summary>
internal static class PatchEngine
{
    private static readonly object Gate = new();
    private static readonly List<LoadedPatch> Patches = new();
    private static readonly SemaphoreSlim Operation = new(1, 1);

    // Generations: every transition publishes the next one. Threads run the code of their own generation
    // until they switch themselves; everything up to the certified one is what every thread runs.
    private static long s_published;
    private static long s_certified;

    // The certification round: > 0 open, < 0 closing, 0 none (Certifier, ThreadUniverse.Advance).
    private static int s_round;
    private static int s_rounds;

    // What each uncertified generation changed, oldest first; replaced as a whole under Gate.
    private static volatile UncertifiedGenerations s_uncertified = UncertifiedGenerations.None;

    private static Transition? s_transition;

    // A certified transition whose post callback has not run yet: waiting for a transition waits for it too.
    private static Transition? s_completing;
    private static string? s_lastFailure;

    /// <summary>Receives one line per event (patch enabled, straggling threads, ...). Never called under the engine's lock; a hook that throws is ignored.</summary>
    public static Action<string>? Log;

    public static long PublishedGeneration => Volatile.Read(ref s_published);

    public static long CertifiedGeneration => Volatile.Read(ref s_certified);

    public static int CertificationRound => Volatile.Read(ref s_round);

    /// <summary>The transition not yet certified, if any.</summary>
    public static Transition? CurrentTransition => Volatile.Read(ref s_transition);

    /// <summary>Everything changed by the generations after <paramref name="generation"/> that are not certified yet.</summary>
    public static ChangeSet ChangesAfter(long generation)
    {
        var touched = TouchedAfter(generation);
        return NetChanges(touched, generation);
    }

    /// <summary>Every function a generation after <paramref name="generation"/> touched, changed back or not.</summary>
    private static ChangeSet TouchedAfter(long generation) => s_uncertified.TouchedAfter(generation);

    /// <summary>
    /// Only the functions whose version at <paramref name="generation"/> differs from their newest: a
    /// function changed and changed back (a reversal) is the same to a thread of either generation.
    /// </summary>
    private static ChangeSet NetChanges(ChangeSet touched, long generation)
    {
        var changed = new List<(PatchSite, IEnumerable<SiteEntry?>)>();
        foreach (var site in touched.Sites)
        {
            var state = site.State;
            if (!SameVersion(state.EntryAt(generation), state.Top))
                changed.Add((site, state.Versions.Select(v => v.Entry)));
        }
        return changed.Count == touched.Sites.Count ? touched : ChangeSet.For(touched.UpTo, changed);
    }

    /// <summary>The same code: the same entry, or both the original (the method's own body or any patch's copy of it).</summary>
    private static bool SameVersion(SiteEntry? a, SiteEntry? b)
        => a == b || ((a is null || a.IsOriginal) && (b is null || b.IsOriginal));

    // ---------------------------------------------------------------- operations

    public static LoadedPatch Enable(Func<LoadedPatch> load)
    {
        EnterOperation("enable");
        try
        {
            RefuseDuringTransition("enabling a patch");
            RuntimeObservation.EnsureStarted();
            var patch = load();
            try
            {
                lock (Gate)
                    CheckCompatible(patch);
                RunCallback(patch, PatchCallbackKind.PrePatch);
            }
            catch
            {
                patch.BeginUnload();
                throw;
            }
            string message;
            lock (Gate)
            {
                Patches.Add(patch);
                message = StartEnable(patch);
            }
            Emit(message);
            ThreadUniverse.SwitchIfClear();
            return patch;
        }
        finally
        {
            Operation.Release();
        }
    }

    public static LoadedPatch Disable(string id)
    {
        EnterOperation("disable");
        try
        {
            LoadedPatch patch;
            lock (Gate)
            {
                patch = Find(id);
                var transition = s_transition;
                if (transition is not null && transition.Patch == patch && transition.Enabling)
                {
                    // livepatch's klp_reverse_transition: the enable is still being certified; publish the way
                    // back at once, through the same model (threads that already switched switch back).
                    var message = StartDisable(patch, reversing: transition);
                    Emit(message);
                    return patch;
                }
                if (transition is not null)
                    throw new PatchRuntimeException(DiagnosticCatalog.TransitionInProgress, $"disabling {id}", transition.Patch.Id);
                if (patch.State != PatchState.Enabled)
                    throw new PatchRuntimeException(DiagnosticCatalog.PatchConflict, id, $"it is {Describe(patch.State)}, not enabled");
                var above = Patches.FirstOrDefault(p => p != patch && p.State == PatchState.Enabled
                    && p.Entries.Keys.Any(patch.Entries.ContainsKey) && Patches.IndexOf(p) > Patches.IndexOf(patch));
                if (above is not null)
                    throw new PatchRuntimeException(DiagnosticCatalog.PatchConflict, id, $"{above.Id} is stacked on it and patches the same functions; disable {above.Id} first");
            }
            RunCallback(patch, PatchCallbackKind.PreUnpatch);
            string started;
            lock (Gate)
                started = StartDisable(patch, reversing: null);
            Emit(started);
            ThreadUniverse.SwitchIfClear();
            return patch;
        }
        finally
        {
            Operation.Release();
        }
    }

    /// <summary>livepatch's <c>klp_force_transition</c>: certifies the transition now, whatever the threads run (PG4002).</summary>
    public static LoadedPatch Force()
    {
        EnterOperation("force");
        try
        {
            Transition transition;
            lock (Gate)
            {
                transition = s_transition
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
                foreach (var universe in ThreadRegistry.Live())
                    universe.RaiseTo(transition.Generation);
                CompleteUnderGate(transition);
            }
            transition.Certifier?.Stop();
            Emit($"{transition.Patch.Id}: transition forced (PG4002)");
            AfterCompletion(transition);
            return transition.Patch;
        }
        finally
        {
            Operation.Release();
        }
    }

    /// <summary>Unloads a disabled, never-forced patch's load context; true when it was collected within the timeout.</summary>
    public static bool Unload(string id, TimeSpan timeout)
    {
        EnterOperation("unload");
        LoadedPatch patch;
        try
        {
            lock (Gate)
            {
                patch = Find(id);
                if (patch.State is not (PatchState.Disabled or PatchState.Replaced))
                    throw new PatchRuntimeException(DiagnosticCatalog.PatchConflict, id, $"it is {Describe(patch.State)}; only a disabled patch can be unloaded");
                if (patch.Forced)
                    throw new PatchRuntimeException(DiagnosticCatalog.TransitionForced, id);
                patch.BeginUnload();
                patch.State = PatchState.Unloaded;
                Patches.Remove(patch);
            }
            // Remembered IL searches name methods of the patch's module: they would keep its context alive.
            Consistency.StaticInlining.ForgetAll();
        }
        finally
        {
            Operation.Release();
        }
        // Certification showed no thread in its code; the runtime collects the context once nothing refers to it.
        var deadline = Stopwatch.StartNew();
        while (patch.ContextReference.IsAlive && deadline.Elapsed < timeout)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            if (patch.ContextReference.IsAlive)
                Thread.Sleep(10);
        }
        bool collected = !patch.ContextReference.IsAlive;
        Emit($"{id}: unloaded{(collected ? "" : " (still referenced; collection pending)")}");
        return collected;
    }

    /// <summary>Waits until no transition is in progress; false if one still is at the timeout.</summary>
    public static bool WaitForTransition(TimeSpan timeout)
    {
        if (CurrentTransition is not null)
            ThreadUniverse.SwitchIfClear();
        // A thread that waits cannot switch itself: its frames are checked for it while it does.
        using var park = ThreadUniverse.Park();
        var clock = Stopwatch.StartNew();
        while ((CurrentTransition ?? Volatile.Read(ref s_completing)) is { } transition)
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

    private static string StartEnable(LoadedPatch patch)
    {
        var replaced = patch.Cumulative
            ? Patches.Where(p => p != patch && p.State == PatchState.Enabled && p.Target == patch.Target).ToList()
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

    private static string StartDisable(LoadedPatch patch, Transition? reversing)
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
    private static SiteEntry TopWithout(PatchSite site, LoadedPatch patch)
    {
        for (int i = Patches.Count - 1; i >= 0; i--)
        {
            var other = Patches[i];
            if (other != patch && other.State is PatchState.Enabled or PatchState.Enabling && other.Entries.TryGetValue(site, out var entry))
                return entry;
        }
        return OriginalFor(site);
    }

    /// <summary>A copy of the original body of the function, from any loaded patch that carries one (every patch does for what it replaces).</summary>
    private static SiteEntry OriginalFor(PatchSite site)
    {
        for (int i = Patches.Count - 1; i >= 0; i--)
        {
            if (Patches[i].Originals.TryGetValue(site, out var original))
                return original;
        }
        throw new InvalidOperationException($"no loaded patch carries the original of {site}");
    }

    /// <summary>
    /// Publishes the next generation: every function in <paramref name="tops"/> gets its new version from
    /// it, every slot involved is set, and only then the generation number, which is what lets threads
    /// switch (docs/consistency-model.md, "Publishing").
    /// </summary>
    private static Transition Publish(LoadedPatch patch, bool enabling, Dictionary<PatchSite, SiteEntry> tops, IReadOnlyList<LoadedPatch> replaced)
    {
        long generation = s_published + 1;
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

        s_uncertified = s_uncertified.With(generation, ChangeSet.For(generation, changed));
        var transition = new Transition(generation, patch, enabling, replaced);
        Volatile.Write(ref s_transition, transition);
        // Last: from here on threads entering these functions may switch to the new generation.
        Volatile.Write(ref s_published, generation);
        DebugLog.Write($"published {generation} ({patch.Id}, {(enabling ? "enable" : "disable")})");
        transition.Certifier = new Certifier(transition);
        transition.Certifier.Start();
        return transition;
    }

    // ---------------------------------------------------------------- certification

    /// <summary>Opens a certification round; returns its number (ThreadUniverse and Certifier follow it).</summary>
    public static int OpenRound()
    {
        int round = Interlocked.Increment(ref s_rounds) & int.MaxValue;
        if (round == 0)
            round = Interlocked.Increment(ref s_rounds) & int.MaxValue;
        Volatile.Write(ref s_round, round);
        // Every thread that decides after this point sees the round; every earlier old activation is on a stack by now.
        Interlocked.MemoryBarrierProcessWide();
        return round;
    }

    /// <summary>Moves an open round to closing: from here threads that cannot switch wait for the verdict.</summary>
    public static bool CloseRound(int round)
    {
        if (Interlocked.CompareExchange(ref s_round, -round, round) != round)
            return false;
        Interlocked.MemoryBarrierProcessWide();
        return true;
    }

    /// <summary>Ends round <paramref name="round"/>, open or closing, unless it already ended.</summary>
    public static void EndRound(int round)
    {
        if (Interlocked.CompareExchange(ref s_round, 0, round) != round)
            Interlocked.CompareExchange(ref s_round, 0, -round);
    }

    /// <summary>Called by the certifier when a round cleared every thread; false if the transition is no longer current.</summary>
    public static bool Certify(Transition transition)
    {
        lock (Gate)
        {
            if (s_transition != transition)
                return false;
            CompleteUnderGate(transition);
        }
        Emit($"{transition.Patch.Id}: {(transition.Enabling ? "enabled" : "disabled")} in {transition.Duration!.Value.TotalMilliseconds:0.0} ms");
        AfterCompletion(transition);
        return true;
    }

    /// <summary>
    /// livepatch's <c>klp_complete_transition</c>: every thread runs the transition's generation, so each
    /// function keeps one version; a function nothing patches any more gets its empty slot back and costs
    /// nothing again.
    /// </summary>
    private static void CompleteUnderGate(Transition transition)
    {
        long generation = transition.Generation;
        var changes = TouchedAfter(CertifiedGeneration);
        // Certified first, then the round ends: a thread waiting on a closing round looks at the certified
        // generation first. Whatever round is running belongs to this transition's certifier (one round at
        // a time, Certifier.RoundLock), and is moot once the transition completes.
        Volatile.Write(ref s_certified, generation);
        Volatile.Write(ref s_round, 0);
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
        s_uncertified = s_uncertified.After(generation);
        transition.Duration = DateTime.UtcNow - transition.StartTime;
        Volatile.Write(ref s_completing, transition);
        Volatile.Write(ref s_transition, null);
    }

    /// <summary>
    /// Post callbacks run after completion, outside the lock. One that throws undoes the operation through
    /// the model (PG4004): a failed post-patch disables the patch again, a failed post-unpatch re-enables it.
    /// </summary>
    private static void AfterCompletion(Transition transition)
    {
        try
        {
            RunPostCallback(transition);
        }
        finally
        {
            Interlocked.CompareExchange(ref s_completing, null, transition);
            transition.Done.Set();
        }
    }

    private static void RunPostCallback(Transition transition)
    {
        var patch = transition.Patch;
        var kind = transition.Enabling ? PatchCallbackKind.PostPatch : PatchCallbackKind.PostUnpatch;
        try
        {
            RunCallback(patch, kind);
        }
        catch (PatchRuntimeException e)
        {
            s_lastFailure = e.ToString();
            Emit(e.ToString());
            string? message = null;
            lock (Gate)
            {
                if (s_transition is not null)
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
            }
            if (message is not null)
                Emit(message);
        }
    }

    // ---------------------------------------------------------------- helpers

    private static void EnterOperation(string what)
    {
        if (!Operation.Wait(0))
        {
            var transition = CurrentTransition;
            throw new PatchRuntimeException(DiagnosticCatalog.TransitionInProgress, what, transition?.Patch.Id ?? "another operation");
        }
    }

    private static void RefuseDuringTransition(string what)
    {
        var transition = CurrentTransition;
        if (transition is not null)
            throw new PatchRuntimeException(DiagnosticCatalog.TransitionInProgress, what, transition.Patch.Id);
    }

    private static LoadedPatch Find(string id)
        => Patches.FirstOrDefault(p => p.Id == id)
           ?? throw new PatchRuntimeException(DiagnosticCatalog.PatchConflict, id, "no patch with this ID is loaded");

    /// <summary>livepatch's klp_is_patch_compatible, plus the checks a .NET process needs (PG4003).</summary>
    private static void CheckCompatible(LoadedPatch patch)
    {
        if (Patches.Any(p => p.Id == patch.Id))
            throw new PatchRuntimeException(DiagnosticCatalog.PatchConflict, patch.Id, "a patch with the same ID is already loaded");
        var established = new Dictionary<int, (int Version, string By)>();
        foreach (var other in Patches.Where(p => p.State == PatchState.Enabled))
            foreach (var (id, version) in other.SystemStates)
                if (!established.TryGetValue(id, out var known) || known.Version < version)
                    established[id] = (version, other.Id);
        foreach (var (id, version) in patch.SystemStates)
            if (established.TryGetValue(id, out var known) && known.Version > version)
                throw new PatchRuntimeException(DiagnosticCatalog.PatchConflict, patch.Id, $"it declares system state {id} version {version}, but {known.By} established version {known.Version}");
        if (patch.Cumulative)
        {
            // The patches it replaces (those of the same assembly) stop maintaining their states.
            foreach (var replaced in Patches.Where(p => p.State == PatchState.Enabled && p.Target == patch.Target))
                foreach (var (id, version) in replaced.SystemStates)
                    if (!patch.SystemStates.Any(s => s.Id == id))
                        throw new PatchRuntimeException(DiagnosticCatalog.PatchConflict, patch.Id, $"it replaces {replaced.Id}, which established system state {id} version {version}, but does not declare that state");
        }
    }

    private static void RunCallback(LoadedPatch patch, PatchCallbackKind kind)
    {
        if (!patch.Callbacks.TryGetValue(kind, out var method))
            return;
        try
        {
            method.Invoke(null, null);
        }
        catch (System.Reflection.TargetInvocationException e) when (e.InnerException is not null)
        {
            throw new PatchRuntimeException(DiagnosticCatalog.CallbackFailed, e.InnerException, patch.Id, Describe(kind), e.InnerException.GetType().Name + ": " + e.InnerException.Message);
        }
    }

    private static string Describe(PatchCallbackKind kind) => kind switch
    {
        PatchCallbackKind.PrePatch => "pre-patch",
        PatchCallbackKind.PostPatch => "post-patch",
        PatchCallbackKind.PreUnpatch => "pre-unpatch",
        _ => "post-unpatch",
    };

    internal static string Describe(PatchState state) => state.ToString().ToLowerInvariant();

    /// <summary>Sends one line to the log hook. User code: never called under the engine's lock, and a hook that throws changes nothing.</summary>
    internal static void Emit(string message)
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

    /// <summary>A consistent picture of patches, the transition and its stragglers, for the CLI and logs.</summary>
    public static RuntimeStatus Snapshot()
    {
        // The thread asking may have a stack deeper than the sampler shows: let it answer for itself.
        if (CurrentTransition is not null)
            ThreadUniverse.SwitchIfClear();
        lock (Gate)
        {
            var patches = Patches.Select(DescribeUnderGate).ToArray();
            TransitionInfo? info = null;
            var current = s_transition;
            if (current is not null)
            {
                var pending = current.Stragglers
                    .Select(s => new ThreadInfo(s.ManagedThreadId ?? 0, s.Name, s.Reasons) { OsThreadId = s.OsThreadId })
                    .ToArray();
                info = new TransitionInfo(current.Patch.Id, current.Enabling, current.StartTime, DateTime.UtcNow - current.StartTime, pending);
            }
            return new RuntimeStatus(patches, info, s_lastFailure);
        }
    }

    /// <summary>What the status shows of one patch.</summary>
    public static PatchInfo Describe(LoadedPatch patch)
    {
        lock (Gate)
            return DescribeUnderGate(patch);
    }

    private static PatchInfo DescribeUnderGate(LoadedPatch patch)
        => new(patch.Id, patch.Target.Name, patch.State, patch.Cumulative, patch.Forced,
            patch.Replacements.Select(r => r.Entry.Member).OrderBy(m => m, StringComparer.Ordinal).ToArray())
        {
            PublicKeyToken = patch.PublicKeyToken,
        };
}
