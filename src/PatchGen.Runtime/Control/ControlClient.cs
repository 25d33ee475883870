using System.Diagnostics;
using System.Globalization;
using System.IO.Pipes;
using System.Net.Sockets;
using System.Text.Json.Nodes;

namespace PatchGen.Runtime.Control;

/// <summary>
/// The <c>patchgen</c> end of the control channel (docs/control-channel.md): one connection to one
/// process, carrying request/response pairs. Every failure to reach or talk to the process is a
/// <see cref="ControlChannelException"/> with a message for the user; after one, the connection is
/// not used again.
/// </summary>
internal sealed class ControlClient : IDisposable
{
    private const int Running = 0, Finished = 1, TimedOut = 2;

    private readonly Stream _stream;
    private readonly TimeSpan _timeout;
    private bool _broken;
    private bool _disposed;

    private ControlClient(int pid, string endpoint, Stream stream, TimeSpan timeout)
    {
        ProcessId = pid;
        Endpoint = endpoint;
        _stream = stream;
        _timeout = timeout;
    }

    public int ProcessId { get; }

    /// <summary>The socket path or pipe name connected to.</summary>
    public string Endpoint { get; }

    /// <summary>
    /// Connects to the channel of process <paramref name="pid"/>. <paramref name="timeout"/> bounds the
    /// connection and, from then on, every response (plus the wait a <c>wait</c> request asks for).
    /// </summary>
    public static ControlClient Connect(int pid, TimeSpan timeout)
    {
        if (!ProcessExists(pid))
            throw new ControlChannelException($"no process with id {Text(pid)} is running");
        return ConnectTo(pid, ControlEndpoint.For(pid), timeout);
    }

    /// <summary>Connects to an explicit endpoint (tests, and a process whose folder differs from ours).</summary>
    internal static ControlClient ConnectTo(int pid, string endpoint, TimeSpan timeout)
        => OperatingSystem.IsWindows() ? ConnectPipe(pid, endpoint, timeout) : ConnectSocket(pid, endpoint, timeout);

    /// <summary>
    /// Sends <paramref name="request"/> (with <c>"v": 1</c> added) and returns the response, whatever
    /// its <c>ok</c>: a refusal by the runtime is an answer, not a channel failure.
    /// </summary>
    public JsonObject Send(JsonObject request)
    {
        ArgumentNullException.ThrowIfNull(request);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_broken)
            throw new ControlChannelException($"the control connection to process {Text(ProcessId)} failed earlier; connect again");

        var message = new JsonObject { ["v"] = ControlRequestHandler.ProtocolVersion };
        foreach (var (name, value) in request)
            if (name != "v")
                message[name] = value?.DeepClone();
        var bytes = ControlJson.ToUtf8(message);
        if (bytes.Length > ControlFraming.MaxRequestBytes)
            throw new ControlChannelException($"the request is {Text(bytes.Length)} bytes, over the control channel's limit of {Text(ControlFraming.MaxRequestBytes)} bytes (a patch travels in it, base64)");

        // A wait legitimately takes as long as it asks for; the process gets our timeout on top.
        var limit = _timeout;
        if (message["timeoutMs"] is JsonValue wait && wait.TryGetValue(out long waitMs) && waitMs > 0)
            limit += TimeSpan.FromMilliseconds(Math.Min(waitMs, (long)TimeSpan.FromDays(1).TotalMilliseconds));

        _broken = true; // until a whole response has been read: the stream's position in the protocol is unknown
        // Running, finished or timed out: whichever of this thread and the watchdog moves it first from
        // running decides, so a response that arrives as the timer fires is either used or reported late.
        int outcome = Running;
        using var watchdog = new Timer(_ =>
        {
            if (Interlocked.CompareExchange(ref outcome, TimedOut, Running) == Running)
                _stream.Dispose(); // the one way to end a blocked read on every transport
        }, null, limit, Timeout.InfiniteTimeSpan);
        FrameStatus status;
        byte[] body;
        uint declared;
        Exception? failure = null;
        // The process may be this one: while the request runs, this thread's frames are checked for it
        // (its stack can be deeper than the sampler shows, and it cannot switch itself while it waits).
        using var park = Consistency.ParkedThreads.Park();
        try
        {
            ControlFraming.Write(_stream, bytes);
            status = ControlFraming.Read(_stream, ControlFraming.MaxResponseBytes, out body, out declared);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or SocketException)
        {
            failure = e;
            status = FrameStatus.Truncated;
            body = Array.Empty<byte>();
            declared = 0;
        }
        if (Interlocked.CompareExchange(ref outcome, Finished, Running) == TimedOut)
            throw new ControlChannelException($"process {Text(ProcessId)} did not answer the '{message["op"]}' request within {Text((long)limit.TotalMilliseconds)} ms", failure ?? new TimeoutException());
        if (failure is not null)
            throw new ControlChannelException($"the control connection to process {Text(ProcessId)} failed: {failure.Message}", failure);
        if (status == FrameStatus.TooLarge)
            throw new ControlChannelException($"process {Text(ProcessId)} sent a response of {Text(declared)} bytes, over the limit of {Text(ControlFraming.MaxResponseBytes)} bytes");
        if (status != FrameStatus.Complete)
            throw new ControlChannelException($"process {Text(ProcessId)} closed the control channel without a complete response");
        JsonObject? response;
        try
        {
            response = JsonNode.Parse(body) as JsonObject;
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or ArgumentException)
        {
            throw new ControlChannelException($"process {Text(ProcessId)} sent a response that is not JSON: {e.Message}", e);
        }
        if (response is null)
            throw new ControlChannelException($"process {Text(ProcessId)} sent a response that is not a JSON object");
        _broken = false;
        return response;
    }

    public void Dispose()
    {
        _disposed = true;
        _stream.Dispose();
    }

    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static ControlClient ConnectSocket(int pid, string path, TimeSpan timeout)
    {
        if (!File.Exists(path))
            throw NoChannel(pid, path);
        // Before a byte goes out: whoever can write the folder can put any socket there (docs/control-channel.md, "Threat model").
        if (ControlEndpoint.FindProblem(Path.GetDirectoryName(path)!) is { } folderProblem)
            throw Refused(pid, path, $"its folder {Path.GetDirectoryName(path)} {folderProblem}");
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            using var deadline = new CancellationTokenSource(timeout);
            socket.ConnectAsync(new UnixDomainSocketEndPoint(path), deadline.Token).AsTask().GetAwaiter().GetResult();
            VerifyServer(pid, path, socket);
            return new ControlClient(pid, path, new NetworkStream(socket, ownsSocket: true), timeout);
        }
        catch (ControlChannelException)
        {
            socket.Dispose();
            throw;
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionRefused or SocketError.AddressNotAvailable)
        {
            socket.Dispose();
            // A socket file nobody listens on: left by a process that crashed.
            throw NoChannel(pid, path);
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.AccessDenied)
        {
            socket.Dispose();
            throw new ControlChannelException($"cannot open the control channel of process {Text(pid)} ({path}): permission denied; patchgen must run as the same user as the process", e);
        }
        catch (OperationCanceledException e)
        {
            socket.Dispose();
            throw new ControlChannelException($"process {Text(pid)} did not accept a control connection within {Text((long)timeout.TotalMilliseconds)} ms", e);
        }
        catch (Exception e) when (e is SocketException or IOException)
        {
            socket.Dispose();
            throw new ControlChannelException($"cannot open the control channel of process {Text(pid)} ({path}): {e.Message}", e);
        }
    }

    /// <summary>
    /// The socket is served by process <paramref name="pid"/> itself, running as this user, as the kernel
    /// says (<see cref="PeerCredentials"/>), and the socket file is this user's alone. Anything else is
    /// an impostor or a mistake; nothing is sent to it.
    /// </summary>
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static void VerifyServer(int pid, string path, Socket socket)
    {
        if (PeerCredentials.Of(socket) is { } peer)
        {
            uint user = UnixNative.EffectiveUserId();
            if (peer.ProcessId != pid)
                throw Refused(pid, path, $"it is served by process {Text(peer.ProcessId)}, not by process {Text(pid)}");
            if (peer.UserId != user)
                throw Refused(pid, path, $"its process runs as uid {Text(peer.UserId)}, not as this user (uid {Text(user)})");
        }
        else if (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS())
        {
            throw Refused(pid, path, "the kernel did not say which process serves it");
        }
        if (ControlEndpoint.FindSocketProblem(path) is { } problem)
            throw Refused(pid, path, "the socket " + problem);
    }

    private static ControlChannelException Refused(int pid, string path, string why)
        => new($"refusing the control channel of process {Text(pid)} at {path}: {why}") { Refusal = true };

    private static ControlClient ConnectPipe(int pid, string name, TimeSpan timeout)
    {
        var pipe = new NamedPipeClientStream(".", name, PipeDirection.InOut, PipeOptions.CurrentUserOnly);
        try
        {
            pipe.Connect((int)Math.Clamp(timeout.TotalMilliseconds, 0, int.MaxValue));
            // CurrentUserOnly makes the client check that the pipe's owner is this user; the server's
            // process must also be the one named.
            if (OperatingSystem.IsWindows() && WindowsNative.ServerProcessId(pipe) is { } server && server != pid)
            {
                pipe.Dispose();
                throw new ControlChannelException($"refusing the control channel of process {Text(pid)} (pipe {name}): it is served by process {Text(server)}") { Refusal = true };
            }
            return new ControlClient(pid, name, pipe, timeout);
        }
        catch (TimeoutException)
        {
            pipe.Dispose();
            throw NoChannel(pid, @"\\.\pipe\" + name);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            pipe.Dispose();
            throw new ControlChannelException($"cannot open the control channel of process {Text(pid)} (pipe {name}): {e.Message}", e);
        }
    }

    private static ControlChannelException NoChannel(int pid, string where)
        => new($"process {Text(pid)} has no PatchGen control channel at {where} (was it started with DOTNET_STARTUP_HOOKS=.../PatchGen.Runtime.dll, or does it call PatchRuntime.Listen()?)") { NoChannel = true };

    internal static bool ProcessExists(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return true;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            return false;
        }
    }

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);
}
