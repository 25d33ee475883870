using System.Globalization;
using System.IO.Pipes;
using System.Net.Sockets;
using System.Runtime.Versioning;

namespace PatchGen.Runtime.Control;

/// <summary>
/// The runtime end of the control channel (docs/control-channel.md): listens on the process's socket
/// or pipe, accepts connections on a background thread and serves each on a background thread of its
/// own. Its threads run only the runtime and the BCL, never instrumented application code, so they
/// never hold a transition open.
/// </summary>
internal sealed class ControlServer : IDisposable
{
    /// <summary>Enough for an operator and a monitor; beyond it an idle connection gives way, or the newcomer is closed, so a flood cannot exhaust threads.</summary>
    private const int MaxConnections = 8;

    private static readonly object ProcessServerGate = new();
    private static ControlServer? s_processServer;

    private readonly Socket? _listener;
    private readonly string? _socketPath;
    private readonly string? _pipeName;
    private readonly uint? _expectedPeerUid;
    private readonly CancellationTokenSource _stopping = new();
    private int _connections;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<ControlSession, byte> _sessions = new();

    private ControlServer(string endpoint, Socket? listener, string? socketPath, string? pipeName, uint? expectedPeerUid)
    {
        Endpoint = endpoint;
        _listener = listener;
        _socketPath = socketPath;
        _pipeName = pipeName;
        _expectedPeerUid = expectedPeerUid;
    }

    /// <summary>The socket path, or the pipe name on Windows.</summary>
    public string Endpoint { get; }

    /// <summary>
    /// Starts this process's channel once (<see cref="PatchRuntime.Listen"/>); later calls return the
    /// same endpoint. The socket file is removed when the process exits normally.
    /// </summary>
    public static string ListenForThisProcess()
    {
        lock (ProcessServerGate)
        {
            if (s_processServer is null)
            {
                int pid = Environment.ProcessId;
                var server = OperatingSystem.IsWindows()
                    ? StartPipe(ControlEndpoint.PipeName(pid))
                    : StartUnix(ControlEndpoint.Directory, pid);
                AppDomain.CurrentDomain.ProcessExit += (_, _) => server.Dispose();
                s_processServer = server;
                ControlLog.Write("listening on " + server.Endpoint);
            }
            return s_processServer.Endpoint;
        }
    }

    /// <summary>
    /// Listens on <c>&lt;directory&gt;/patchgen-&lt;pid&gt;.sock</c>. <paramref name="expectedPeerUid"/>
    /// replaces the effective uid that peers must have (tests); peers are checked on Linux and macOS.
    /// </summary>
    [UnsupportedOSPlatform("windows")]
    internal static ControlServer StartUnix(string directory, int pid, uint? expectedPeerUid = null)
    {
        ControlEndpoint.PrepareDirectory(directory);
        var path = ControlEndpoint.SocketPath(directory, pid);
        UnixDomainSocketEndPoint endpoint;
        try
        {
            endpoint = new UnixDomainSocketEndPoint(path);
        }
        catch (ArgumentException e)
        {
            throw new ControlChannelException($"the control socket path {path} is too long for a Unix domain socket; set PATCHGEN_CONTROL_DIR to a shorter folder", e);
        }
        var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            // The pid is ours, so a file under this name was left by a crashed process that had it before.
            File.Delete(path);
            listener.Bind(endpoint);
            // The folder is 0700: nobody else could reach the socket between bind and this chmod.
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            listener.Listen(MaxConnections);
        }
        catch (Exception e) when (e is SocketException or IOException or UnauthorizedAccessException)
        {
            listener.Dispose();
            throw new ControlChannelException($"cannot listen on {path}: {e.Message}", e);
        }
        var server = new ControlServer(path, listener, path, null,
            expectedPeerUid ?? (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS() ? UnixNative.EffectiveUserId() : null));
        StartBackgroundThread("PatchGen control listener", server.AcceptSockets);
        return server;
    }

    /// <summary>Listens on the named pipe <paramref name="name"/>, which only the current user can open.</summary>
    internal static ControlServer StartPipe(string name)
    {
        NamedPipeServerStream first;
        try
        {
            // Created here, not on the accept thread, so that a name already in use fails Listen.
            first = CreatePipe(name);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ControlChannelException($"cannot listen on pipe {name}: {e.Message}", e);
        }
        var server = new ControlServer(name, null, null, name, null);
        StartBackgroundThread("PatchGen control listener", () => server.AcceptPipes(first));
        return server;
    }

    /// <summary>Stops accepting and removes the socket file; connections already open finish on their own.</summary>
    public void Dispose()
    {
        if (_stopping.IsCancellationRequested)
            return;
        _stopping.Cancel();
        _listener?.Dispose();
        if (_socketPath is not null)
        {
            try
            {
                File.Delete(_socketPath);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                ControlLog.Write($"cannot remove {_socketPath}: {e.Message}");
            }
        }
    }

    private void AcceptSockets()
    {
        var listener = _listener!;
        while (!_stopping.IsCancellationRequested)
        {
            Socket connection;
            try
            {
                connection = listener.Accept();
            }
            catch (Exception) when (_stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // Out of descriptors, for example: say so, and do not spin.
                ControlLog.Write("accept failed: " + e.Message);
                Thread.Sleep(100);
                continue;
            }
            try
            {
                if (PeerIsAllowed(connection, out var peer))
                    Admit(new NetworkStream(connection, ownsSocket: true), peer);
                else
                    connection.Dispose();
            }
            catch (Exception e)
            {
                ControlLog.Write("connection refused: " + e.Message);
                connection.Dispose();
            }
        }
    }

    private void AcceptPipes(NamedPipeServerStream first)
    {
        var pipe = first;
        while (true)
        {
            try
            {
                pipe.WaitForConnectionAsync(_stopping.Token).GetAwaiter().GetResult();
                var connected = pipe;
                pipe = CreatePipe(_pipeName!);
                Admit(connected, "connection");
            }
            catch (Exception) when (_stopping.IsCancellationRequested)
            {
                pipe.Dispose();
                return;
            }
            catch (Exception e)
            {
                ControlLog.Write("accept failed: " + e.Message);
                pipe.Dispose();
                Thread.Sleep(100);
                try
                {
                    pipe = CreatePipe(_pipeName!);
                }
                catch (Exception again)
                {
                    ControlLog.Write($"stopped listening on pipe {_pipeName}: {again.Message}");
                    return;
                }
            }
        }
    }

    private static NamedPipeServerStream CreatePipe(string name)
        => new(name, PipeDirection.InOut, NamedPipeServerStream.MaxAllowedServerInstances, PipeTransmissionMode.Byte,
            PipeOptions.CurrentUserOnly | PipeOptions.Asynchronous);

    /// <summary>
    /// On Linux and macOS, a peer running as another user is refused without a reply (it could only have
    /// reached the socket through a folder with wrong permissions). Unknown credentials are refused too.
    /// <paramref name="peer"/> names the peer in log lines.
    /// </summary>
    private bool PeerIsAllowed(Socket connection, out string peer)
    {
        peer = "connection";
        if (_expectedPeerUid is not uint expected)
            return true;
        if (PeerCredentials.Of(connection) is not { } credentials)
        {
            ControlLog.Write("disconnected a peer whose credentials could not be read");
            return false;
        }
        int pid = credentials.ProcessId;
        uint uid = credentials.UserId;
        peer = "process " + pid.ToString(CultureInfo.InvariantCulture);
        if (uid == expected)
            return true;
        ControlLog.Write($"disconnected process {pid.ToString(CultureInfo.InvariantCulture)}: it runs as uid {uid.ToString(CultureInfo.InvariantCulture)}, not as uid {expected.ToString(CultureInfo.InvariantCulture)}");
        return false;
    }

    private void Admit(Stream stream, string peer)
    {
        // Every slot taken: the connection idle the longest gives way, so that idle clients (eight
        // forgotten `nc` sessions, say) never lock an operator out. Only when every session is busy
        // with a request is the newcomer refused. An evicted session's thread ends at once and gives its
        // slot back; until then the count may exceed the cap by the connections just admitted this way.
        if (Interlocked.Increment(ref _connections) > MaxConnections && !EvictLongestIdle())
        {
            Interlocked.Decrement(ref _connections);
            ControlLog.Write($"closed a connection: {MaxConnections.ToString(CultureInfo.InvariantCulture)} are open and busy");
            stream.Dispose();
            return;
        }
        var session = new ControlSession(stream, peer);
        _sessions.TryAdd(session, 0);
        try
        {
            StartBackgroundThread("PatchGen control connection", () =>
            {
                try
                {
                    session.Run();
                }
                finally
                {
                    _sessions.TryRemove(session, out _);
                    Interlocked.Decrement(ref _connections);
                }
            });
        }
        catch (Exception)
        {
            _sessions.TryRemove(session, out _);
            Interlocked.Decrement(ref _connections);
            stream.Dispose();
            throw;
        }
    }

    private bool EvictLongestIdle()
    {
        foreach (var session in _sessions.Keys.Select(s => (Session: s, Idle: s.IdleFor)).Where(s => s.Idle is not null).OrderByDescending(s => s.Idle).Select(s => s.Session))
        {
            if (session.TryEvict())
                return true;
        }
        return false;
    }

    // Background threads: the channel must never keep the process alive, and dedicated ones, because a
    // request can block (a wait) and must not take a thread from the application's pool.
    private static void StartBackgroundThread(string name, ThreadStart body)
        => new Thread(body) { IsBackground = true, Name = name }.Start();
}
