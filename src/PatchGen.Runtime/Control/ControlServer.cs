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
    /// <summary>Enough for an operator and a monitor; more are closed at once so a flood cannot exhaust threads.</summary>
    private const int MaxConnections = 8;

    // SO_PEERCRED on Linux (x64 and arm64): struct ucred { int pid; uint uid; uint gid; }.
    private const int SolSocket = 1;
    private const int SoPeerCred = 17;
    private const int UcredSize = 12;

    private static readonly object ProcessServerGate = new();
    private static ControlServer? s_processServer;

    private readonly Socket? _listener;
    private readonly string? _socketPath;
    private readonly string? _pipeName;
    private readonly uint? _expectedPeerUid;
    private readonly CancellationTokenSource _stopping = new();
    private int _connections;

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
    /// replaces the effective uid that peers must have (tests); peers are checked on Linux only.
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
            expectedPeerUid ?? (OperatingSystem.IsLinux() ? UnixNative.EffectiveUserId() : null));
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
    /// On Linux, a peer running as another user is refused without a reply (it could only have
    /// reached the socket through a folder with wrong permissions). Unknown credentials are refused too.
    /// <paramref name="peer"/> names the peer in log lines.
    /// </summary>
    private bool PeerIsAllowed(Socket connection, out string peer)
    {
        peer = "connection";
        if (_expectedPeerUid is not uint expected)
            return true;
        Span<byte> credentials = stackalloc byte[UcredSize];
        try
        {
            if (connection.GetRawSocketOption(SolSocket, SoPeerCred, credentials) < UcredSize)
            {
                ControlLog.Write("disconnected a peer whose credentials could not be read");
                return false;
            }
        }
        catch (SocketException e)
        {
            ControlLog.Write("disconnected a peer whose credentials could not be read: " + e.Message);
            return false;
        }
        int pid = BitConverter.ToInt32(credentials);
        uint uid = BitConverter.ToUInt32(credentials[4..]);
        peer = "process " + pid.ToString(CultureInfo.InvariantCulture);
        if (uid == expected)
            return true;
        ControlLog.Write($"disconnected process {pid.ToString(CultureInfo.InvariantCulture)}: it runs as uid {uid.ToString(CultureInfo.InvariantCulture)}, not as uid {expected.ToString(CultureInfo.InvariantCulture)}");
        return false;
    }

    private void Admit(Stream stream, string peer)
    {
        if (Interlocked.Increment(ref _connections) > MaxConnections)
        {
            Interlocked.Decrement(ref _connections);
            ControlLog.Write($"closed a connection: {MaxConnections.ToString(CultureInfo.InvariantCulture)} are open already");
            stream.Dispose();
            return;
        }
        var session = new ControlSession(stream, peer);
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
                    Interlocked.Decrement(ref _connections);
                }
            });
        }
        catch (Exception)
        {
            Interlocked.Decrement(ref _connections);
            stream.Dispose();
            throw;
        }
    }

    // Background threads: the channel must never keep the process alive, and dedicated ones, because a
    // request can block (a wait) and must not take a thread from the application's pool.
    private static void StartBackgroundThread(string name, ThreadStart body)
        => new Thread(body) { IsBackground = true, Name = name }.Start();
}
