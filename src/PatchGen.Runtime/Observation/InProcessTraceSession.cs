using System.Reflection;
using System.Runtime.InteropServices;

namespace PatchGen.Runtime.Observation;

/// <summary>
/// An EventPipe session of this process that writes to a file the runtime closes when the session is
/// disabled, enabled and disabled through CoreLib's own EventPipe entry points
/// (<c>System.Diagnostics.Tracing.EventPipeInternal</c>, what <c>EventListener</c> uses) instead of the
/// diagnostic server.
/// <para>
/// Why: a diagnostic-server session streams through a runtime thread that sleeps 100 ms after every write
/// (<c>ep-session.c</c>, <c>streaming_thread</c>), and stopping one waits for that sleep, so a stack snapshot
/// through it costs ~100 ms however idle the process. A file session has no streaming thread: its events
/// stay in the session's buffers, and disabling it writes them to the file before it returns (a few ms).
/// </para>
/// <para>
/// The file is an anonymous memory file on Linux (<c>memfd_create</c>, reached by the runtime through
/// <c>/proc/self/fd</c>): nothing on disk another user could replace or read, and it works on a read-only
/// root file system. Elsewhere, a new file in the user's temporary folder (per-user on Windows and macOS).
/// On Linux without <c>memfd_create</c>, or when CoreLib's entry points are not the ones expected (another
/// runtime version), <see cref="TryStart"/> says why and callers use the diagnostic server.
/// </para>
/// </summary>
internal sealed class InProcessTraceSession : IDisposable
{
    private readonly ulong _sessionId;
    private readonly string _path;
    private readonly int _memoryFile;
    private bool _disposed;
    // The disable, on a thread of its own, once StopWhileReading started it.
    private Task? _disabling;

    private InProcessTraceSession(ulong sessionId, string path, int memoryFile)
    {
        _sessionId = sessionId;
        _path = path;
        _memoryFile = memoryFile;
    }

    /// <summary>Starts a session of <paramref name="providers"/>, or returns null and why not.</summary>
    public static InProcessTraceSession? TryStart(IReadOnlyList<EventPipeProvider> providers, uint bufferMB, out string? whyNot)
    {
        if (CoreLibEventPipe.Unavailable is { } reason)
        {
            whyNot = reason;
            return null;
        }

        int memoryFile = -1;
        string path;
        if (OperatingSystem.IsLinux())
        {
            memoryFile = MemfdCreate("patchgen-trace", MfdCloexec);
            if (memoryFile < 0)
            {
                whyNot = $"memfd_create failed (errno {Marshal.GetLastPInvokeError()})";
                return null;
            }

            path = "/proc/self/fd/" + memoryFile;
        }
        else
        {
            path = Path.Combine(Path.GetTempPath(), $"patchgen-trace-{Environment.ProcessId}-{Guid.NewGuid():N}.nettrace");
        }

        ulong sessionId;
        try
        {
            sessionId = CoreLibEventPipe.Enable(path, providers, bufferMB);
        }
        catch (Exception e) when (e is TargetInvocationException or ArgumentException or MemberAccessException or NotSupportedException)
        {
            Release(memoryFile, path);
            whyNot = "CoreLib's EventPipe refused the session: " + (e.InnerException ?? e).Message;
            return null;
        }

        if (sessionId == 0)
        {
            Release(memoryFile, path);
            whyNot = "CoreLib's EventPipe did not start the session (no session ID)";
            return null;
        }

        whyNot = null;
        return new InProcessTraceSession(sessionId, path, memoryFile);
    }

    /// <summary>
    /// Disables the session on a thread of its own and returns the trace as the runtime writes it
    /// (<see cref="GrowingFileStream"/>). Disabling a file session writes the session's buffered events, then runs a
    /// rundown (~17–20 ms in a process of ~30,000 code versions, though it writes only two events: CoreLib asks for
    /// one, docs/consistency-model.md, "Limits"), then the end of the trace; a reader that needs only the events stops
    /// reading long before the disable returns, and the rundown goes on without it. The file is released once
    /// the disable is done, whenever the session is disposed. A second call reads the trace again from its start.
    /// </summary>
    public Stream StopWhileReading()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ulong sessionId = _sessionId;
        _disabling ??= SessionDisabler.Disable(sessionId);
        return new GrowingFileStream(_path, _disabling);
    }

    /// <summary>Whether the session's disable has returned (for the debug log: whether a reader had to wait for it).</summary>
    public bool Disabled => _disabling?.IsCompleted ?? false;

    public void Dispose()
    {
        if (_disposed)
            return;
        _disposed = true;
        if (_disabling is { IsCompleted: false } disabling)
        {
            // The runtime is still writing the rundown into the file: release it once the disable is done, without
            // waiting for that here.
            int memoryFile = _memoryFile;
            string path = _path;
            disabling.ContinueWith(_ => Release(memoryFile, path), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
            return;
        }

        try
        {
            if (_disabling is null)
                CoreLibEventPipe.Disable(_sessionId);
        }
        finally
        {
            Release(_memoryFile, _path);
        }
    }

    private static void Release(int memoryFile, string path)
    {
        if (memoryFile >= 0)
        {
            Close(memoryFile);
            return;
        }

        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // A temporary file left behind costs a few KB; nothing to report to.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private const uint MfdCloexec = 1;

    [DllImport("libc", EntryPoint = "memfd_create", SetLastError = true)]
    private static extern int MemfdCreate([MarshalAs(UnmanagedType.LPUTF8Str)] string name, uint flags);

    [DllImport("libc", EntryPoint = "close")]
    private static extern int Close(int fd);
}
