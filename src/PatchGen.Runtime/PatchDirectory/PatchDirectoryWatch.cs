using System.Runtime.Loader;

namespace PatchGen.Runtime.PatchDirectory;

/// <summary>
/// A patch directory being followed (docs/patch-directory.md): the first pass on the thread that starts
/// it (before <c>Main</c>, from the startup hook), then a background thread that passes again whenever
/// the folder may have changed, and passes on the loading thread when an assembly a patch waits for loads.
/// </summary>
/// <remarks>
/// <para><b>Concurrency.</b> Passes run one at a time under <see cref="_gate"/>, and each waits for the
/// transition of every operation it starts before the next, so this directory never has two
/// transitions at once (the runtime would refuse the second, PG4005). Event sources never take the gate:
/// the FileSystemWatcher's callbacks (thread pool) and the poll only raise a flag and wake the watcher
/// thread, so a transition that takes seconds never holds up the watcher (whose events then overflow
/// into an error, which is one more reason to rescan) and changes that arrive meanwhile simply make the
/// next pass see the folder's latest state. The only application thread that ever waits for the gate is
/// one loading an assembly a patch waits for, and only for <see cref="LoadGateWait"/>: past it, the
/// watcher thread does the work instead, an instant later. A pass never waits for anything an
/// application thread holds: it takes no lock but the gate and the runtime's own, and the runtime's
/// waits park the passing thread so that the certifier can judge its stack while it waits.</para>
/// <para><b>Events are hints, the poll is the truth.</b> Any event means "scan the whole folder", after a
/// short quiet period (debounce): Kubernetes' <c>..data</c> swap reports on <c>..data</c> and the
/// timestamped folders, never on the visible names, and a writer's create, writes and rename arrive as
/// a burst. Every 2 s the folder's fingerprint (statuses only, no reads) is compared with the last scan's,
/// which catches whatever inotify cannot see: a folder deleted and created again (the watcher is made
/// anew), a change on another machine's mount, a lost event.</para>
/// </remarks>
internal sealed class PatchDirectoryWatch : IDisposable
{
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(2);

    /// <summary>How long starting the directory may take before <c>Main</c>: what is not done by then goes on in the background.</summary>
    public static readonly TimeSpan StartupBudget = TimeSpan.FromSeconds(30);

    private static readonly TimeSpan QuietPeriod = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan MaxDebounce = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan LoadGateWait = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan LoadBudget = TimeSpan.FromSeconds(10);

    private static readonly object ProcessGate = new();
    private static PatchDirectoryWatch? s_process;

    // A pass in progress on this thread: assemblies it loads (a patch's dependencies) are its own business.
    [ThreadStatic]
    private static bool t_inPass;

    private readonly object _gate = new();
    private readonly PatchDirectoryReconciler _reconciler;
    private readonly PatchDirectoryLog _log;
    private readonly AutoResetEvent _wake = new(false);
    private readonly CancellationTokenSource _stop = new();
    private int _rescanRequested;
    private FileSystemWatcher? _watcher;
    private (ulong Device, ulong Inode)? _watchedFolder;
    private volatile bool _watcherFailed;
    private Thread? _thread;

    public PatchDirectoryWatch(string folder)
    {
        Folder = Path.GetFullPath(folder);
        _log = new PatchDirectoryLog(Folder);
        _reconciler = new PatchDirectoryReconciler(Folder, _log);
    }

    public string Folder { get; }

    /// <summary>
    /// The process's directory (<see cref="PatchRuntime.WatchPatchDirectory"/>): started once; the same
    /// folder again is a no-op, another folder is refused (one folder decides the stacking order).
    /// </summary>
    public static void StartForProcess(string folder)
    {
        var full = Path.GetFullPath(folder);
        lock (ProcessGate)
        {
            if (s_process is not null)
            {
                if (!string.Equals(s_process.Folder, full, StringComparison.Ordinal))
                    throw new InvalidOperationException($"this process already follows the patch directory {s_process.Folder}; it cannot follow {full} too");
                return;
            }
            s_process = new PatchDirectoryWatch(full);
        }
        s_process.Start(StartupBudget);
    }

    /// <summary>
    /// Applies what the folder holds for the assemblies loaded now, on this thread (within
    /// <paramref name="budget"/>), then follows the folder in the background.
    /// </summary>
    public void Start(TimeSpan budget)
    {
        // Before the first pass, so that no assembly can load unseen between the pass and the hook.
        AppDomain.CurrentDomain.AssemblyLoad += OnAssemblyLoad;
        RefreshWatcher();
        RunPass(rescan: true, budget);
        _thread = new Thread(Follow) { IsBackground = true, Name = "PatchGen patch directory" };
        _thread.Start();
    }

    public void Dispose()
    {
        AppDomain.CurrentDomain.AssemblyLoad -= OnAssemblyLoad;
        _stop.Cancel();
        _wake.Set();
        _thread?.Join(TimeSpan.FromSeconds(30));
        _watcher?.Dispose();
    }

    // ------------------------------------------------------------------ passes

    private void RunPass(bool rescan, TimeSpan budget)
    {
        lock (_gate)
            RunPassUnderGate(rescan, budget);
    }

    private void RunPassUnderGate(bool rescan, TimeSpan budget)
    {
        long deadline = budget == Timeout.InfiniteTimeSpan ? long.MaxValue : Environment.TickCount64 + (long)budget.TotalMilliseconds;
        t_inPass = true;
        try
        {
            _reconciler.Pass(rescan, TakeRescanRequest, deadline, _stop.Token);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A bug here must not take the application (or, before Main, its start) down with it.
            _log.Write($"pass failed unexpectedly: {e.GetType().Name}: {e.Message}");
        }
        finally
        {
            t_inPass = false;
        }
    }

    private bool TakeRescanRequest() => Interlocked.Exchange(ref _rescanRequested, 0) == 1;

    private void RequestRescan()
    {
        Volatile.Write(ref _rescanRequested, 1);
        _wake.Set();
    }

    /// <summary>The watcher thread: a pass whenever an event, the poll, or a retry asks for one.</summary>
    private void Follow()
    {
        long nextPoll = Environment.TickCount64 + (long)PollInterval.TotalMilliseconds;
        var handles = new[] { _wake, _stop.Token.WaitHandle };
        while (!_stop.IsCancellationRequested)
        {
            long due = Math.Min(nextPoll, _reconciler.RetryAt ?? long.MaxValue);
            int timeout = (int)Math.Clamp(due - Environment.TickCount64, 0, int.MaxValue);
            bool woken = WaitHandle.WaitAny(handles, timeout) == 0;
            if (_stop.IsCancellationRequested)
                return;
            if (woken)
                Debounce();
            bool rescan = TakeRescanRequest();
            if (Environment.TickCount64 >= nextPoll)
            {
                nextPoll = Environment.TickCount64 + (long)PollInterval.TotalMilliseconds;
                RefreshWatcher();
                rescan |= FolderFingerprint.Take(Folder) != _reconciler.LastFingerprint;
            }
            bool retryDue = _reconciler.RetryAt is { } retry && Environment.TickCount64 >= retry;
            // A wake without a rescan (an assembly a patch waits for loaded elsewhere) still replans.
            if (woken || rescan || retryDue)
                RunPass(rescan || retryDue, Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>Waits until events stop arriving for a moment (a writer's burst, a volume update), at most a second.</summary>
    private void Debounce()
    {
        long limit = Environment.TickCount64 + (long)MaxDebounce.TotalMilliseconds;
        while (Environment.TickCount64 < limit && _wake.WaitOne(QuietPeriod) && !_stop.IsCancellationRequested)
        {
        }
    }

    // ------------------------------------------------------------------ assemblies loaded later

    /// <summary>
    /// kpatch patches a module as it comes in (<c>klp_module_coming</c>), before any of its code runs; so
    /// does this, on the loading thread, for an assembly a patch in the folder waits for. Its code cannot
    /// be on any stack yet, so the transition completes in one certification round.
    /// </summary>
    private void OnAssemblyLoad(object? sender, AssemblyLoadEventArgs args)
    {
        try
        {
            if (t_inPass)
            {
                _wake.Set(); // loaded by a pass on this thread, which plans again after each operation anyway
                return;
            }
            var assembly = args.LoadedAssembly;
            if (assembly.IsDynamic || AssemblyLoadContext.GetLoadContext(assembly) != AssemblyLoadContext.Default)
                return;
            var name = assembly.GetName().Name;
            if (name is null || !_reconciler.WaitingTargets.Contains(name))
                return;
            if (!Monitor.TryEnter(_gate, LoadGateWait))
            {
                _wake.Set();
                return;
            }
            try
            {
                RunPassUnderGate(rescan: false, LoadBudget);
            }
            finally
            {
                Monitor.Exit(_gate);
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            _log.Write($"applying patches to a newly loaded assembly failed unexpectedly: {e.GetType().Name}: {e.Message}");
        }
    }

    // ------------------------------------------------------------------ the file system watcher

    /// <summary>
    /// Keeps a FileSystemWatcher on the folder while it exists: made when it appears, made anew when it was
    /// deleted and created again (another inode: the old watch sees nothing of the new folder) or the
    /// watcher failed. Where none can be made, the poll alone still sees every change, two seconds later.
    /// </summary>
    private void RefreshWatcher()
    {
        FileStatus? folder;
        try
        {
            folder = FileStatus.Of(Folder, followLinks: true);
        }
        catch (IOException)
        {
            folder = null;
        }
        (ulong, ulong)? identity = folder is { IsDirectory: true } ? (folder.Device, folder.Inode) : null;
        if (_watcher is not null && (identity is null || identity != _watchedFolder || _watcherFailed))
        {
            _watcher.Dispose();
            _watcher = null;
        }
        if (_watcher is not null || identity is null)
            return;
        try
        {
            var watcher = new FileSystemWatcher(Folder)
            {
                IncludeSubdirectories = false,
                NotifyFilter = NotifyFilters.FileName | NotifyFilters.DirectoryName | NotifyFilters.LastWrite | NotifyFilters.Size
                               | NotifyFilters.Attributes | NotifyFilters.CreationTime | NotifyFilters.Security,
            };
            watcher.Created += (_, _) => RequestRescan();
            watcher.Changed += (_, _) => RequestRescan();
            watcher.Deleted += (_, _) => RequestRescan();
            watcher.Renamed += (_, _) => RequestRescan();
            watcher.Error += (_, _) =>
            {
                _watcherFailed = true;
                RequestRescan();
            };
            watcher.EnableRaisingEvents = true;
            _watcherFailed = false;
            _watchedFolder = identity;
            _watcher = watcher;
        }
        catch (Exception e) when (e is IOException or ArgumentException or UnauthorizedAccessException or PlatformNotSupportedException)
        {
            // No inotify instance left, a folder gone again: the poll covers it.
        }
    }
}
