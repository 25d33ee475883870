using System.Diagnostics;
using PatchGen.Diagnostics;
using PatchGen.Runtime.Instrumentation;

namespace PatchGen.Runtime;

/// <summary>
/// The process-wide state of live patching (livepatch's <c>klp_patches</c>, <c>klp_transition_patch</c>
/// and the task list): applied patches, the transition in progress, and every thread that ever ran
/// tracked code. Every change happens under <see cref="Gate"/>; instrumented code reads published
/// snapshots and never takes it. Operations are serialized: one at a time, one transition at a time.
/// </summary>
internal static class PatchEngine
{
    public static readonly object Gate = new();
    private static readonly List<ThreadPatchState> Threads = new();
    private static readonly List<LoadedPatch> Patches = new();
    private static readonly SemaphoreSlim Operation = new(1, 1);
    private static long s_generation;
    private static Transition? s_transition;
    private static TransitionWorker? s_worker;
    private static string? s_lastFailure;

    /// <summary>The transition in progress, if any.</summary>
    public static Transition? CurrentTransition => Volatile.Read(ref s_transition);

    /// <summary>Receives one line per event (patch enabled, thread stragglers, ...).</summary>
    public static Action<string>? Log;

    /// <summary>
    /// Registers a thread on its first tracked entry. A thread registered during a transition has no
    /// function of the patch on its stack (it has no tracked frame at all), so it starts at the target.
    /// </summary>
    public static ThreadPatchState RegisterThread(Thread thread)
    {
        lock (Gate)
        {
            // A new thread has no tracked frame, so it may start at the target, but only once every
            // site shows the transition; before that it starts where every other thread is.
            var transition = s_transition;
            var word = transition is null
                ? Universe.Word(s_generation, Universe.Patched)
                : Universe.Word(transition.Generation, transition.Started ? transition.Target : transition.Initial);
            var state = new ThreadPatchState(thread, word);
            Threads.Add(state);
            return state;
        }
    }

    // ---------------------------------------------------------------- operations

    public static LoadedPatch Enable(Func<LoadedPatch> load)
    {
        EnterOperation("enable");
        try
        {
            RefuseDuringTransition("enabling a patch");
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
            lock (Gate)
            {
                Patches.Add(patch);
                StartEnable(patch);
            }
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
                if (transition is not null && transition.Patch == patch && transition.Target == Universe.Patched)
                {
                    // livepatch's klp_reverse_transition: the enable is still in progress; send every
                    // thread back through the same model instead of waiting for it to finish.
                    Reverse(transition);
                    return patch;
                }
                if (transition is not null)
                    throw new PatchRuntimeException(DiagnosticCatalog.TransitionInProgress, $"disabling {id}", transition.Patch.Id);
                if (patch.State != PatchState.Enabled)
                    throw new PatchRuntimeException(DiagnosticCatalog.PatchConflict, id, $"it is {Describe(patch.State)}, not enabled");
                var above = Patches.FirstOrDefault(p => p != patch && p.State == PatchState.Enabled
                    && p.Sites.Overlaps(patch.Sites) && Patches.IndexOf(p) > Patches.IndexOf(patch));
                if (above is not null)
                    throw new PatchRuntimeException(DiagnosticCatalog.PatchConflict, id, $"{above.Id} is stacked on it and patches the same functions; disable {above.Id} first");
            }
            RunCallback(patch, PatchCallbackKind.PreUnpatch);
            lock (Gate)
                StartDisable(patch);
            return patch;
        }
        finally
        {
            Operation.Release();
        }
    }

    /// <summary>livepatch's <c>klp_force_transition</c>: completes the transition now, whatever the threads run (PG4002).</summary>
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
                foreach (var thread in Threads)
                    Volatile.Write(ref thread.Word, Universe.Word(transition.Generation, transition.Target));
                transition.Forced = true;
                // Which patches may still have threads in their code afterwards, and so can never be
                // unloaded (shared/seeds/004): the patch being removed by a forced disable; the patches
                // being replaced by a forced atomic replace. A forced enable of a plain patch leaves
                // threads only in code that stays (the original, or patches still enabled).
                if (transition.Target == Universe.Unpatched)
                    transition.Patch.Forced = true;
                else
                    foreach (var replaced in transition.Replaced)
                        replaced.Forced = true;
                Emit($"{transition.Patch.Id}: transition forced (PG4002)");
                Complete(transition);
            }
            s_worker?.Stop();
            RunPostCallback(transition);
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
        }
        finally
        {
            Operation.Release();
        }
        // Code of the patch still running on some thread (a leaf, which pushes nothing) keeps the
        // context alive until it returns: the runtime itself never frees code that is on a stack.
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

    /// <summary>Waits for the transition in progress to complete; false if it is still pending at the timeout.</summary>
    public static bool WaitForTransition(TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (CurrentTransition is not null)
        {
            var remaining = timeout - clock.Elapsed;
            if (remaining <= TimeSpan.Zero)
                return false;
            // A forced or reversed transition replaces the worker; poll so the wait follows it.
            Volatile.Read(ref s_worker)?.Wait(remaining < TimeSpan.FromMilliseconds(50) ? remaining : TimeSpan.FromMilliseconds(50));
        }
        return true;
    }

    // ---------------------------------------------------------------- transitions

    private static void StartEnable(LoadedPatch patch)
    {
        var replaced = patch.Cumulative
            ? Patches.Where(p => p != patch && p.State == PatchState.Enabled && p.Target == patch.Target).ToList()
            : new List<LoadedPatch>();
        var entries = new Dictionary<PatchSite, SiteEntry>();
        foreach (var (site, entry) in patch.Replacements)
            entries[site] = entry;
        // An atomic replace reverts what the replaced patches patched and it does not: a "nop" entry
        // (livepatch's klp_add_nops) runs the original in the new universe.
        foreach (var old in replaced)
            foreach (var site in old.Sites)
                if (!entries.ContainsKey(site))
                    entries[site] = SiteEntry.Nop(patch, site.State?.Top.Member ?? "?");

        var functions = new bool[SiteRegistry.KeyLimit];
        foreach (var site in entries.Keys.Concat(replaced.SelectMany(p => p.Sites)))
            functions[site.Key] = true;

        var transition = BeginTransition(patch, Universe.Patched, functions, replaced);
        foreach (var (site, entry) in entries.OrderBy(e => e.Key.Key))
        {
            var below = site.State?.Entries ?? Array.Empty<SiteEntry>();
            site.State = new SiteState(below.Append(entry).ToArray(), transition);
            patch.Sites.Add(site);
            site.Assembly.SetSlot(site, patched: true);
        }
        patch.State = PatchState.Enabling;
        Publish(transition, $"{patch.Id}: enabling ({entries.Count} functions{(replaced.Count > 0 ? ", replacing " + string.Join(", ", replaced.Select(p => p.Id)) : "")})");
    }

    private static void StartDisable(LoadedPatch patch)
    {
        var functions = new bool[SiteRegistry.KeyLimit];
        foreach (var site in patch.Sites)
            functions[site.Key] = true;
        var transition = BeginTransition(patch, Universe.Unpatched, functions, Array.Empty<LoadedPatch>());
        foreach (var site in patch.Sites.OrderBy(s => s.Key))
            site.State = new SiteState(site.State!.Entries, transition);
        patch.State = PatchState.Disabling;
        Publish(transition, $"{patch.Id}: disabling ({patch.Sites.Count} functions)");
    }

    /// <summary>
    /// Opens a new generation: every registered thread starts in the universe opposite the target
    /// (livepatch's klp_init_transition). The words are written before any site of the transition is
    /// published, so a thread that sees the transition on a site also sees its own word for it.
    /// </summary>
    private static Transition BeginTransition(LoadedPatch patch, int target, bool[] functions, IReadOnlyList<LoadedPatch> replaced)
    {
        long generation = ++s_generation;
        var transition = new Transition(generation, target, patch, functions, replaced);
        foreach (var thread in Threads)
            Volatile.Write(ref thread.Word, Universe.Word(generation, transition.Initial));
        Volatile.Write(ref s_transition, transition);
        return transition;
    }

    private static void Publish(Transition transition, string message)
    {
        // Every thread now sees the new site states and words; a thread that read a site slot as empty
        // before this barrier had already pushed that frame, and the worker will see it. Only then may
        // threads switch (Transition.Started).
        Interlocked.MemoryBarrierProcessWide();
        transition.Started = true;
        Emit(message);
        var worker = new TransitionWorker(transition);
        Volatile.Write(ref s_worker, worker);
        worker.Start();
    }

    /// <summary>livepatch's klp_reverse_transition: the same patch, towards the other universe.</summary>
    private static void Reverse(Transition current)
    {
        s_worker?.Stop();
        long generation = ++s_generation;
        var reversed = new Transition(generation, current.Initial, current.Patch, current.Functions, current.Replaced);
        // Linked before any word moves to the new generation: a reader holding a site snapshot of the
        // old transition then finds the thread's answer in the reversed one.
        current.Successor = reversed;
        // Threads keep the universe they are in; those already at the new target are done. The link
        // lets a reader holding a site snapshot of the old transition find the thread's answer.
        // Compare-and-swap: a thread may be switching itself at this very moment, and its switch must
        // be carried over, not overwritten (it may already run the code of the universe it switched to).
        foreach (var thread in Threads)
        {
            while (true)
            {
                long word = Volatile.Read(ref thread.Word);
                var carried = Universe.Word(generation, Universe.UniverseOf(word));
                if (Interlocked.CompareExchange(ref thread.Word, carried, word) == word)
                    break;
            }
        }
        Volatile.Write(ref s_transition, reversed);
        foreach (var site in current.Patch.Sites.Concat(current.Replaced.SelectMany(p => p.Sites)).Distinct())
            if (site.State?.Transition == current)
                site.State = new SiteState(site.State.Entries, reversed);
        current.Patch.State = reversed.Target == Universe.Patched ? PatchState.Enabling : PatchState.Disabling;
        Publish(reversed, $"{current.Patch.Id}: transition reversed");
    }

    /// <summary>
    /// One pass of the transition worker (livepatch's klp_try_complete_transition): switches every thread
    /// that has no function of the transition on its shadow stack; completes the transition when none
    /// is left behind. Returns true when the transition is over (completed, or no longer current).
    /// </summary>
    public static bool TrySwitchThreads(Transition transition)
    {
        lock (Gate)
        {
            if (s_transition != transition)
                return true;
            Threads.RemoveAll(t => !t.Thread.IsAlive);
            var marked = new List<(ThreadPatchState Thread, long Word)>();
            foreach (var thread in Threads)
            {
                long word = Volatile.Read(ref thread.Word);
                if (Universe.UniverseOf(word) != transition.Initial)
                    continue;
                long switching = Universe.Word(transition.Generation, Universe.Switching);
                if (Interlocked.CompareExchange(ref thread.Word, switching, word) == word)
                    marked.Add((thread, word));
            }
            if (marked.Count > 0)
            {
                // The other half of the handshake in Transition: after this barrier, a thread either had
                // its frame visible to the reads below, or will read Switching and wait.
                Interlocked.MemoryBarrierProcessWide();
                foreach (var (thread, word) in marked)
                {
                    bool busy = thread.HasAnyOnStack(transition.Functions, excludeTop: false);
                    Volatile.Write(ref thread.Word, busy ? word : Universe.Word(transition.Generation, transition.Target));
                }
            }
            foreach (var thread in Threads)
            {
                if (Universe.UniverseOf(Volatile.Read(ref thread.Word)) != transition.Target)
                    return false;
            }
            Complete(transition);
        }
        RunPostCallback(transition);
        return true;
    }

    /// <summary>livepatch's klp_complete_transition: every thread is at the target; make it the steady state.</summary>
    private static void Complete(Transition transition)
    {
        var patch = transition.Patch;
        var touched = patch.Sites.Concat(transition.Replaced.SelectMany(p => p.Sites)).Distinct().OrderBy(s => s.Key).ToList();
        // Enabling removes the patches an atomic replace supersedes; disabling (also a reversed
        // replace) removes only the patch itself, and the replaced patches stay as they were.
        bool enabling = transition.Target == Universe.Patched;
        var replaced = enabling ? transition.Replaced : Array.Empty<LoadedPatch>();
        var removed = new HashSet<LoadedPatch>(replaced);
        if (!enabling)
            removed.Add(patch);
        foreach (var site in touched)
        {
            var state = site.State;
            if (state is null)
                continue;
            var kept = state.Entries
                .Where(e => !removed.Contains(e.Patch) && !(e.Patch == patch && e.IsNop))
                .ToArray();
            if (kept.Length == 0)
            {
                // The slot stays set: instrumented code reads it twice (the check, then the dispatch
                // path), and a thread between the two reads must not find it cleared. With no state
                // the site answers "run the original"; the function pays a Resolve call per entry
                // from now on (found by the transition benchmark: clearing it raced).
                site.State = null;
            }
            else
            {
                site.State = new SiteState(kept, null);
            }
        }
        foreach (var old in replaced)
        {
            old.State = PatchState.Replaced;
            old.Sites.Clear();
        }
        if (transition.Target == Universe.Unpatched)
        {
            patch.State = PatchState.Disabled;
            patch.Sites.Clear();
        }
        else
        {
            patch.State = PatchState.Enabled;
            patch.Sites.RemoveWhere(s => s.State is null || s.State.Entries.All(e => e.Patch != patch));
        }
        transition.Completed = true;
        Volatile.Write(ref s_transition, null);
        Emit($"{patch.Id}: {(transition.Target == Universe.Patched ? "enabled" : "disabled")}{(transition.Forced ? " (forced)" : "")}");
    }

    /// <summary>
    /// Post callbacks run after completion. One that throws undoes the operation through the model
    /// (PG4004): a failed post-patch disables the patch again, a failed post-unpatch re-enables it.
    /// </summary>
    private static void RunPostCallback(Transition transition)
    {
        var patch = transition.Patch;
        var kind = transition.Target == Universe.Patched ? PatchCallbackKind.PostPatch : PatchCallbackKind.PostUnpatch;
        try
        {
            RunCallback(patch, kind);
        }
        catch (PatchRuntimeException e)
        {
            s_lastFailure = e.ToString();
            Emit(e.ToString());
            lock (Gate)
            {
                if (s_transition is not null)
                    return;
                if (kind == PatchCallbackKind.PostPatch)
                    StartUndoEnable(transition);
                else
                    StartEnable(patch);
            }
        }
    }

    /// <summary>Undoes a completed enable without running callbacks (after a failed post-patch callback).</summary>
    private static void StartUndoEnable(Transition enable)
    {
        if (enable.Replaced.Count > 0)
        {
            // The patches this atomic replace superseded are no longer installed; the honest undo is to
            // leave it enabled and report the failure.
            return;
        }
        StartDisable(enable.Patch);
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

    internal static void Emit(string message) => Log?.Invoke("patchgen: " + message);

    // ---------------------------------------------------------------- observation

    /// <summary>A consistent picture of patches, the transition and its stragglers, for the CLI and logs.</summary>
    public static RuntimeStatus Snapshot()
    {
        lock (Gate)
        {
            var patches = Patches.Select(Describe).ToArray();
            TransitionInfo? transition = null;
            var current = s_transition;
            if (current is not null)
            {
                var pending = new List<ThreadInfo>();
                foreach (var thread in Threads)
                {
                    if (Universe.UniverseOf(Volatile.Read(ref thread.Word)) == current.Target || !thread.Thread.IsAlive)
                        continue;
                    var functions = thread.SnapshotFrames()
                        .Where(k => (uint)k < (uint)current.Functions.Length && current.Functions[k])
                        .Distinct()
                        .Select(NameOfKey)
                        .ToArray();
                    pending.Add(new ThreadInfo(thread.Thread.ManagedThreadId, thread.Thread.Name, functions));
                }
                transition = new TransitionInfo(current.Patch.Id, current.Target == Universe.Patched, current.StartTime, DateTime.UtcNow - current.StartTime, pending);
            }
            return new RuntimeStatus(patches, transition, s_lastFailure);
        }
    }

    /// <summary>What the status shows of one patch.</summary>
    public static PatchInfo Describe(LoadedPatch patch)
    {
        lock (Gate)
        {
            return new PatchInfo(
                patch.Id, patch.Target.Assembly.GetName().Name!, patch.State, patch.Cumulative, patch.Forced,
                patch.Replacements.Select(r => r.Entry.Member).OrderBy(m => m, StringComparer.Ordinal).ToArray())
            {
                PublicKeyToken = patch.PublicKeyToken,
            };
        }
    }

    private static string NameOfKey(int key)
    {
        var found = SiteRegistry.Find(key);
        if (found is null)
            return "site " + key;
        var method = found.Value.Assembly.MethodOf(found.Value.Site);
        return method is null ? $"{found.Value.Assembly.Assembly.GetName().Name} site {found.Value.Site}" : ReflectionDocumentationId.ForMethod(method);
    }
}
