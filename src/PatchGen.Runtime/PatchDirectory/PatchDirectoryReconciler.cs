using System.Globalization;
using System.Reflection;
using System.Runtime.Loader;
using PatchGen.Diagnostics;

namespace PatchGen.Runtime.PatchDirectory;

/// <summary>
/// Brings the runtime's patches to what the folder holds, one operation and one transition at a time
/// (docs/patch-directory.md). Level-triggered: every pass compares the folder as it is now with what
/// this directory enabled, and the plan is computed again after every operation, so changes that pile
/// up while a transition runs collapse into the folder's latest state instead of being replayed.
/// </summary>
/// <remarks>
/// Not thread-safe by design: <see cref="PatchDirectoryWatch"/> calls it only under its gate, from the
/// watcher thread, the thread that starts the directory, or a thread loading an assembly a patch waits
/// for. Every operation is followed by a wait for its transition inside that same call, so the
/// runtime never sees two operations of this directory at once; its PG4005 can only come from an
/// operation of someone else (the control channel), and is retried a second later.
/// </remarks>
internal sealed class PatchDirectoryReconciler
{
    /// <summary>
    /// How long content that does not read as a whole patch must stay unchanged before it is reported (a
    /// writer may still be at it), and how long a name that applied must stay gone before its patch is
    /// disabled (its folder may be on its way out, or the name on its way back).
    /// </summary>
    public static readonly TimeSpan SettleTime = TimeSpan.FromSeconds(2);

    private static readonly TimeSpan TransientRetry = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan WaitSlice = TimeSpan.FromSeconds(10);

    private readonly string _folder;
    private readonly PatchDirectoryLog _log;

    // What this directory enabled and the runtime still holds, bottom of each target's stack first.
    private readonly List<PatchFile> _applied = new();
    // Of those: confirmed enabled (logged), and being disabled by this directory.
    private readonly HashSet<PatchIdentity> _confirmed = new();
    private readonly HashSet<PatchIdentity> _disabling = new();
    // By file name: the last content that applied, kept while the name is in the folder, so that new
    // content that cannot be used (being written, corrupt, for another build) leaves the previous fix in place.
    private readonly Dictionary<string, PatchFile> _lastApplied = new(StringComparer.Ordinal);
    // Contents that failed (or were disabled by someone else): not tried again until the file changes.
    private readonly HashSet<PatchIdentity> _failed = new();
    // Names whose applied content left the folder, and since when (Environment.TickCount64): still wanted
    // for the settle time. A folder being deleted (rm -r) loses its files before itself, and a file
    // replaced by delete-then-create is absent for a moment: neither is a request to disable.
    private readonly Dictionary<string, long> _vanished = new(StringComparer.Ordinal);
    // Unreadable names and since when they have looked the same (Environment.TickCount64).
    private readonly Dictionary<string, (string Stamp, long Since)> _unsettled = new(StringComparer.Ordinal);
    // What was last logged about each name (or the folder), so that a condition is logged once.
    private readonly Dictionary<string, string> _reported = new(StringComparer.Ordinal);
    // Disables the runtime refused for a reason of its own (a patch stacked above by someone else): not
    // retried until the folder changes.
    private readonly HashSet<PatchIdentity> _blocked = new();

    private FolderScan? _scan;
    private volatile IReadOnlySet<string> _waitingTargets = new HashSet<string>();

    public PatchDirectoryReconciler(string folder, PatchDirectoryLog log)
    {
        _folder = folder;
        _log = log;
    }

    /// <summary>Simple names of assemblies that patches in the folder wait for; read without the gate (published whole).</summary>
    public IReadOnlySet<string> WaitingTargets => _waitingTargets;

    /// <summary>The fingerprint the last scan started from: the poll rescans when the folder's differs.</summary>
    public FolderFingerprint? LastFingerprint => _scan?.Fingerprint;

    // long.MaxValue: none. Written under the gate, read by the watcher thread without it (one atomic word).
    private long _retryAt = long.MaxValue;

    /// <summary>When (<see cref="Environment.TickCount64"/>) a pass is due even if nothing changes: an unreadable file settles, a refused operation is retried.</summary>
    public long? RetryAt
    {
        get => Volatile.Read(ref _retryAt) is var at && at != long.MaxValue ? at : null;
        private set => Volatile.Write(ref _retryAt, value ?? long.MaxValue);
    }

    /// <summary>
    /// One pass: waits for any transition in progress, scans the folder when asked (or never scanned),
    /// then runs operations until the runtime matches the folder, <paramref name="deadline"/>
    /// (<see cref="Environment.TickCount64"/>) passes, or <paramref name="stop"/> is signalled.
    /// <paramref name="takeRescanRequest"/> says (once) whether the folder changed since the last scan.
    /// </summary>
    public void Pass(bool rescan, Func<bool> takeRescanRequest, long deadline, CancellationToken stop)
    {
        RetryAt = null;
        if (!WaitForQuiet(deadline, stop))
        {
            RetryAt = Environment.TickCount64;
            return;
        }
        if (rescan || _scan is null)
            Rescan();
        // Every pass, not only those that scan: a pass for another reason must not forget that an
        // unreadable file is due to be looked at again.
        if (_scan!.Problem is null)
        {
            TrackUnusable(_scan);
            SettleVanished();
        }
        while (true)
        {
            if (stop.IsCancellationRequested)
                return;
            if (Environment.TickCount64 >= deadline)
            {
                RetryAt = Environment.TickCount64;
                return;
            }
            if (takeRescanRequest())
            {
                Rescan();
                if (_scan!.Problem is null)
                {
                    TrackUnusable(_scan);
                    SettleVanished();
                }
            }
            if (_scan!.Problem is not null)
                return;
            var step = NextStep();
            if (step is null)
                return;
            if (!Execute(step, deadline, stop))
                return;
        }
    }

    // ------------------------------------------------------------------ the folder

    private void Rescan()
    {
        var scan = FolderScanner.Scan(_folder);
        _scan = scan;
        _blocked.Clear();
        if (scan.Problem is not null)
        {
            // Missing (an unmounted volume, a redeploy) or untrusted: nothing the folder holds now can be
            // believed, so nothing changes; the patches applied stay until it is usable again.
            Report(".", scan.Problem, scan.Problem + (_applied.Count > 0 ? $"; the {_applied.Count} patch(es) it applied stay until it is usable again" : ""));
            // A folder that comes back may be filled a file at a time: names it lacks at first get the
            // whole settle time from then on.
            foreach (var name in _vanished.Keys)
                _reported.Remove(name);
            _vanished.Clear();
            return;
        }
        if (_reported.Remove("."))
            _log.Write("usable again; applying what it holds");

        var present = scan.Names.ToHashSet(StringComparer.Ordinal);
        long now = Environment.TickCount64;
        foreach (var name in _vanished.Keys.Where(present.Contains).ToList())
        {
            _vanished.Remove(name);
            if (_reported.Remove(name))
                _log.Write($"{name} is back");
        }
        foreach (var (name, previous) in _lastApplied.Where(entry => !present.Contains(entry.Key)).ToList())
        {
            if (_applied.Contains(previous))
                _vanished.TryAdd(name, now);
            else
                _lastApplied.Remove(name);
        }
        _failed.RemoveWhere(identity => !present.Contains(identity.Name));
        foreach (var name in _reported.Keys.Where(n => n != "." && !present.Contains(n) && !_vanished.ContainsKey(n)).ToList())
            _reported.Remove(name);
        foreach (var name in _vanished.Keys)
            Report(name, "gone", $"{name} is gone: patch '{_lastApplied[name].Header.Id}' stays applied for {SettleTime.TotalSeconds.ToString("0", CultureInfo.InvariantCulture)} s in case the name comes back (a folder being deleted, a file being replaced)");
    }

    /// <summary>Reports unusable files: refusals at once, unreadable content once it has settled (and schedules the pass that sees it settle).</summary>
    private void TrackUnusable(FolderScan scan)
    {
        long now = Environment.TickCount64;
        var unusable = scan.Unusable.Select(u => u.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var name in _unsettled.Keys.Where(n => !unusable.Contains(n)).ToList())
            _unsettled.Remove(name);
        foreach (var file in scan.Unusable)
        {
            if (file.MaySettle)
            {
                if (!_unsettled.TryGetValue(file.Name, out var seen) || seen.Stamp != file.Stamp)
                    _unsettled[file.Name] = seen = (file.Stamp, now);
                long settled = seen.Since + (long)SettleTime.TotalMilliseconds;
                if (now < settled)
                {
                    RetryAt = Math.Min(RetryAt ?? long.MaxValue, settled);
                    continue;
                }
            }
            if (!_reported.TryGetValue(file.Name, out var last) || last != "unusable " + file.Stamp)
                Telemetry.RuntimeTelemetry.DirectoryPatchSkipped(_folder, file.Name, file.Diagnostic + KeptOrSkipped(file.Name, null));
            Report(file.Name, "unusable " + file.Stamp, file.Diagnostic + KeptOrSkipped(file.Name, null));
        }
    }

    /// <summary>
    /// Lets go of names gone for the settle time (their patches are then disabled), and schedules the
    /// pass that sees the others settle. A name that comes back within it is simply present again.
    /// </summary>
    private void SettleVanished()
    {
        long now = Environment.TickCount64;
        foreach (var (name, since) in _vanished.ToList())
        {
            long settled = since + (long)SettleTime.TotalMilliseconds;
            if (now >= settled)
            {
                _vanished.Remove(name);
                _lastApplied.Remove(name);
                _reported.Remove(name);
            }
            else
            {
                RetryAt = Math.Min(RetryAt ?? long.MaxValue, settled);
            }
        }
    }

    // ------------------------------------------------------------------ planning

    private PlanStep? NextStep()
    {
        var loadedIds = Refresh();
        var wanted = Wanted(out var waiting);
        _waitingTargets = waiting;
        var targets = wanted.Keys.Concat(_applied.Select(a => a.Header.TargetAssembly)).Distinct().Order(StringComparer.Ordinal);
        foreach (var target in targets)
        {
            var applied = _applied.Where(a => a.Header.TargetAssembly == target).ToList();
            var step = TargetPlan.Next(applied, wanted.GetValueOrDefault(target) ?? new List<PatchFile>(), loadedIds.Contains);
            if (step is PlanStep.Disable disable && _blocked.Contains(disable.Patch.Identity))
                continue;
            if (step is not null)
                return step;
        }
        return null;
    }

    /// <summary>Why a loaded base is not the one the patch was built for (PG0001 for a bad MVID, PG0005 for another build), or null.</summary>
    private static string? BaseProblem(PatchFile file, string name, string recorded, Assembly assembly)
    {
        if (!Guid.TryParse(recorded, out var expected))
            return Error(DiagnosticCatalog.InputUnreadable, file.Path, $"its base MVID '{recorded}' is not a GUID");
        var actual = assembly.ManifestModule.ModuleVersionId;
        return actual == expected ? null : Error(DiagnosticCatalog.PatchForOtherBase, file.Path, expected, name, BaseMismatch.OtherMvid(actual));
    }

    /// <summary>
    /// Per target, the patches the folder asks for now, in file order, from the target's last
    /// cumulative patch on (a cumulative patch replaces the ones before it). A name whose content cannot
    /// be used keeps the content of it that applied last. Patches of assemblies not loaded wait for them
    /// (<paramref name="waiting"/>); patches of another build of a loaded assembly fail (PG0005).
    /// </summary>
    private Dictionary<string, List<PatchFile>> Wanted(out HashSet<string> waiting)
    {
        waiting = new HashSet<string>(StringComparer.Ordinal);
        var wanted = new Dictionary<string, List<PatchFile>>(StringComparer.Ordinal);
        var loaded = new Dictionary<string, Assembly>(StringComparer.Ordinal);
        foreach (var assembly in AssemblyLoadContext.Default.Assemblies)
        {
            if (assembly.GetName().Name is { } simpleName)
                loaded.TryAdd(simpleName, assembly);
        }
        var usable = _scan!.Patches.ToDictionary(p => p.Name, StringComparer.Ordinal);
        var names = _vanished.Count == 0 ? _scan.Names : _scan.Names.Concat(_vanished.Keys).Order(PatchFileNames.Order).ToList();
        foreach (var name in names)
        {
            PatchFile? file = usable.TryGetValue(name, out var current) && !_failed.Contains(current.Identity) ? current : null;
            if (file is null && _lastApplied.TryGetValue(name, out var previous) && !_failed.Contains(previous.Identity))
                file = previous;
            if (file is null)
                continue;
            // Every base must be loaded with its MVID: a patch of several assemblies waits for the last of
            // them, and is planned in the stack of its target (the first base).
            var target = file.Header.TargetAssembly;
            var missing = file.Header.Bases.Select(b => b.Name).FirstOrDefault(b => !loaded.ContainsKey(b));
            if (missing is not null)
            {
                waiting.Add(missing);
                Report(name, "waiting " + file.Identity, $"{name}: patch '{file.Header.Id}' waits for '{missing}', which this process has not loaded; it is applied when it loads");
                continue;
            }
            var problem = file.Header.Bases.Select(b => BaseProblem(file, b.Name, b.Mvid, loaded[b.Name])).FirstOrDefault(p => p is not null);
            if (problem is not null)
            {
                Fail(file, problem);
                continue;
            }
            if (!wanted.TryGetValue(target, out var stack))
                wanted[target] = stack = new List<PatchFile>();
            stack.Add(file);
        }
        foreach (var stack in wanted.Values)
        {
            int cumulative = stack.FindLastIndex(p => p.Header.Cumulative);
            if (cumulative > 0)
                stack.RemoveRange(0, cumulative);
        }
        return wanted;
    }

    // ------------------------------------------------------------------ operations

    /// <summary>Runs one step and waits for its transition; false when the pass must end here (deadline, stop, or a retry later).</summary>
    private bool Execute(PlanStep step, long deadline, CancellationToken stop)
    {
        try
        {
            switch (step)
            {
                case PlanStep.Enable enable:
                    PatchRuntime.Enable(enable.File.Image, null, enable.File.Path);
                    _applied.Add(enable.File);
                    break;
                case PlanStep.Disable disable:
                    PatchRuntime.Disable(disable.Patch.Header.Id);
                    _disabling.Add(disable.Patch.Identity);
                    break;
            }
        }
        catch (PatchRuntimeException e) when (e.DiagnosticId == DiagnosticCatalog.TransitionInProgress.Id)
        {
            // Someone else's operation (the control channel) is in progress: the folder waits its turn.
            RetryAt = Environment.TickCount64 + (long)TransientRetry.TotalMilliseconds;
            return false;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A refusal (PatchRuntimeException), or a bug of the runtime: either way one patch's problem,
            // which must not stop the others (nor, before Main, the application).
            var line = e is PatchRuntimeException refusal ? refusal.ToString()
                : Error(DiagnosticCatalog.InputUnreadable, step is PlanStep.Enable failed ? failed.File.Path : _folder, $"the operation failed unexpectedly: {e.GetType().Name}: {e.Message}");
            if (step is PlanStep.Enable refused)
            {
                Fail(refused.File, line);
            }
            else if (step is PlanStep.Disable blocked)
            {
                _blocked.Add(blocked.Patch.Identity);
                Report(blocked.Patch.Name, "blocked " + blocked.Patch.Identity, $"cannot disable {blocked.Patch.Name} (patch '{blocked.Patch.Header.Id}'): {line}; it stays enabled");
            }
            return true;
        }
        return WaitForQuiet(deadline, stop);
    }

    /// <summary>
    /// Waits until no transition is in progress (this directory's, or anyone's); false at the deadline
    /// or stop. A transition still running after 10 s gets its PG4001 line, once.
    /// </summary>
    private bool WaitForQuiet(long deadline, CancellationToken stop)
    {
        string? warned = null;
        while (true)
        {
            long left = deadline - Environment.TickCount64;
            var slice = left <= 0 ? TimeSpan.Zero : left >= (long)WaitSlice.TotalMilliseconds ? WaitSlice : TimeSpan.FromMilliseconds(left);
            var result = PatchRuntime.WaitForTransition(slice);
            if (result.Completed)
                return true;
            if (result.Warning is not null && warned is null)
                _log.Write(warned = result.Warning);
            if (stop.IsCancellationRequested || Environment.TickCount64 >= deadline)
                return false;
        }
    }

    /// <summary>
    /// Settles what the runtime did with this directory's patches since the last look (nothing runs in
    /// between here but transitions this directory waited for, and operations of others): confirms
    /// enables, finishes disables, takes note of patches someone else disabled or replaced. Returns
    /// every patch ID the runtime holds.
    /// </summary>
    private HashSet<string> Refresh()
    {
        var status = PatchRuntime.GetStatus();
        var states = status.Patches.ToDictionary(p => p.Id, p => p.State, StringComparer.Ordinal);
        PatchState StateOf(PatchFile patch) => states.TryGetValue(patch.Header.Id, out var known) ? known : PatchState.Unloaded;

        // Enables first, while the patches a cumulative one replaced are still on the books to be named.
        foreach (var patch in _applied.Where(p => StateOf(p) == PatchState.Enabled && !_disabling.Contains(p.Identity)).ToList())
        {
            if (!_confirmed.Add(patch.Identity))
                continue;
            _lastApplied[patch.Name] = patch;
            _reported.Remove(patch.Name);
            var replaced = _applied.Where(p => p != patch && p.Header.TargetAssembly == patch.Header.TargetAssembly && StateOf(p) == PatchState.Replaced).Select(p => p.Name).ToList();
            Telemetry.RuntimeTelemetry.DirectoryPatchLoaded(_folder, patch.Name, patch.Header.Id);
            _log.Write($"applied {patch.Name}: patch '{patch.Header.Id}' for {patch.Header.TargetAssembly} ({patch.Header.Replaces.Count} method(s){(patch.Header.Cumulative ? ", cumulative" : "")}{(replaced.Count > 0 ? ", replacing " + string.Join(", ", replaced) : "")})");
        }

        foreach (var patch in _applied.ToList())
        {
            var id = patch.Header.Id;
            var state = StateOf(patch);
            if (state is PatchState.Enabling or PatchState.Disabling)
                continue; // a transition the next wait covers
            if (state is PatchState.Enabled)
            {
                if (_disabling.Remove(patch.Identity))
                {
                    // Disabled, then enabled again by the runtime: a post-unpatch callback failed (PG4004).
                    _blocked.Add(patch.Identity);
                    Report(patch.Name, "blocked " + patch.Identity, $"cannot disable {patch.Name} (patch '{id}'): {status.LastFailure ?? "the runtime enabled it again"}; it stays enabled");
                }
                continue;
            }

            // Disabled, replaced or gone: off the directory's books.
            _applied.Remove(patch);
            bool confirmed = _confirmed.Remove(patch.Identity);
            if (_disabling.Remove(patch.Identity))
            {
                _log.Write($"disabled {patch.Name}: patch '{id}'");
            }
            else if (state is PatchState.Replaced && _applied.Any(p => p.Header.TargetAssembly == patch.Header.TargetAssembly && p.Header.Cumulative && StateOf(p) == PatchState.Enabled))
            {
                // Replaced by this directory's own cumulative patch: logged with it.
            }
            else if (!confirmed)
            {
                // Enabled, then undone by the runtime before completing: a post-patch callback failed (PG4004).
                Fail(patch, status.LastFailure ?? $"error {DiagnosticCatalog.CallbackFailed.Id}: patch '{id}' did not stay enabled");
            }
            else
            {
                // Someone disabled it through the control channel or the API: the folder does not fight the
                // operator; it is enabled again only when its file changes.
                _failed.Add(patch.Identity);
                Report(patch.Name, "released " + patch.Identity, $"{patch.Name}: patch '{id}' was {PatchStateText(state)} outside the patch directory; it stays so until its file changes");
            }
            if (state is PatchState.Disabled or PatchState.Replaced)
                Unload(patch);
        }
        return states.Keys.ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>Frees the patch's ID (a new version may reuse it) and lets its load context be collected when nothing runs its code.</summary>
    private void Unload(PatchFile patch)
    {
        try
        {
            PatchRuntime.Unload(patch.Header.Id, TimeSpan.Zero);
        }
        catch (PatchRuntimeException e)
        {
            // Forced once (PG4002): its code may still run somewhere, so it stays loaded, and its ID taken.
            Report(patch.Name, "unload " + patch.Identity, $"{patch.Name}: patch '{patch.Header.Id}' stays loaded: {e}");
        }
    }

    // ------------------------------------------------------------------ reporting

    private void Fail(PatchFile file, string diagnostic)
    {
        _failed.Add(file.Identity);
        if (!_reported.TryGetValue(file.Name, out var last) || last != "failed " + file.Identity)
            Telemetry.RuntimeTelemetry.DirectoryPatchSkipped(_folder, file.Name, diagnostic + KeptOrSkipped(file.Name, file.Identity));
        Report(file.Name, "failed " + file.Identity, diagnostic + KeptOrSkipped(file.Name, file.Identity));
    }

    /// <summary>What happens to a name whose content cannot be used: the previous content stays applied, or nothing of it is.</summary>
    private string KeptOrSkipped(string name, PatchIdentity? unusable)
        => _lastApplied.TryGetValue(name, out var previous) && previous.Identity != unusable && _applied.Contains(previous)
            ? $"; the version of {name} applied before (patch '{previous.Header.Id}') stays"
            : "; skipped";

    /// <summary>Logs <paramref name="message"/> unless <paramref name="condition"/> is what was last logged about <paramref name="key"/>.</summary>
    private void Report(string key, string condition, string message)
    {
        if (_reported.TryGetValue(key, out var last) && last == condition)
            return;
        _reported[key] = condition;
        _log.Write(message);
    }

    private static string Error(DiagnosticDescriptor descriptor, params object[] args) => "error " + descriptor.Id + ": " + descriptor.Format(args);

    private static string PatchStateText(PatchState state) => state switch
    {
        PatchState.Replaced => "replaced",
        PatchState.Unloaded => "unloaded",
        _ => "disabled",
    };
}
