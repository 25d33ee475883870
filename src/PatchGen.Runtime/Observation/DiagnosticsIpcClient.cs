using System.Buffers.Binary;
using System.Diagnostics;
using System.IO.Pipes;
using System.Net.Sockets;
using System.Text;

namespace PatchGen.Runtime.Observation;

/// <summary>
/// A minimal client of the runtime's diagnostic server (dotnet/diagnostics,
/// documentation/design-docs/ipc-protocol.md), pointed at this very process: it starts EventPipe
/// sessions (CollectTracing3) whose NetTrace stream comes back on the same connection, and stops them.
/// PatchGen.Runtime is copied into customer applications, so it cannot depend on
/// Microsoft.Diagnostics.NETCore.Client; the two commands it needs are a few dozen bytes each.
/// </summary>
internal static class DiagnosticsIpcClient
{
    // "DOTNET_IPC_V1" and its terminating NUL: 14 bytes, then size, command set, command id, reserved.
    private static ReadOnlySpan<byte> Magic => "DOTNET_IPC_V1\0"u8;
    private const int HeaderSize = 20;
    private const byte CommandSetEventPipe = 0x02;
    private const byte CommandSetServer = 0xFF;
    private const byte EventPipeStopTracing = 0x01;
    private const byte EventPipeCollectTracing3 = 0x04;
    private const byte ServerOk = 0x00;
    private const byte ServerError = 0xFF;
    private const uint FormatNetTrace = 1;

    /// <summary>Overrides where the socket is looked for (tests only); null means the runtime's own rule.</summary>
    internal static string? SocketDirectoryOverride { get; set; }

    /// <summary>
    /// Starts a streaming session. The returned session owns the connection the events arrive on;
    /// read it until it ends, and stop the session with <see cref="EventPipeSession.Stop"/>.
    /// </summary>
    /// <exception cref="DiagnosticsIpcException">No diagnostic server, or it refused the session.</exception>
    /// <remarks>
    /// <c>requestStackwalk</c>: whether every event carries the managed stack of the thread that wrote it. Only the snapshot session
    /// needs stacks (its sample-profiler events are the stacks). Asked for on a session that records JIT
    /// events, it makes the runtime walk the stack of every thread that compiles a method while the event
    /// is written: on a thread tens of thousands of frames deep (a recursion near its limit), that walk
    /// did not finish, and the process hung where the plain build returned.
    /// </remarks>
    public static EventPipeSession StartSession(
        IReadOnlyList<EventPipeProvider> providers, bool requestRundown, bool requestStackwalk, uint circularBufferMB, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(providers);
        if (providers.Count == 0)
        {
            throw new ArgumentException("An EventPipe session needs at least one provider.", nameof(providers));
        }

        byte[] message = BuildCollectTracing3(providers, requestRundown, requestStackwalk, circularBufferMB);
        Stream stream = Connect(timeout);
        try
        {
            Write(stream, message, timeout);
            byte[] payload = ReadResponse(stream, timeout);
            if (payload.Length < 8)
            {
                throw new DiagnosticsIpcException(DiagnosticsIpcFailure.ProtocolError, "The diagnostic server's answer to CollectTracing3 has no session ID.");
            }

            ulong sessionId = BinaryPrimitives.ReadUInt64LittleEndian(payload);
            return new EventPipeSession(sessionId, stream, timeout);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Asks the server to stop a session (on a connection of its own, as the protocol wants). The
    /// session's stream then receives its last buffered events (and the rundown, if requested) and ends.
    /// </summary>
    public static void StopSession(ulong sessionId, TimeSpan timeout)
    {
        byte[] message = new byte[HeaderSize + 8];
        WriteHeader(message, CommandSetEventPipe, EventPipeStopTracing);
        BinaryPrimitives.WriteUInt64LittleEndian(message.AsSpan(HeaderSize), sessionId);
        using Stream stream = Connect(timeout);
        Write(stream, message, timeout);
        _ = ReadResponse(stream, timeout);
    }

    /// <summary>
    /// The transport name of this process's diagnostic server: a Unix domain socket path, or a named pipe
    /// name on Windows. Null when there is none (diagnostics disabled, or its socket was removed).
    /// </summary>
    public static string? FindEndpoint()
    {
        int pid = Environment.ProcessId;
        if (OperatingSystem.IsWindows())
        {
            return $"dotnet-diagnostic-{pid}";
        }

        string directory = SocketDirectoryOverride ?? DefaultSocketDirectory();
        string[] candidates;
        try
        {
            candidates = Directory.GetFiles(directory, $"dotnet-diagnostic-{pid}-*-socket");
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }

        if (candidates.Length == 0)
        {
            return null;
        }

        // Several sockets for one pid: a process that had this pid before us (containers reuse pid 1)
        // left its socket behind. The disambiguation key is our own start time in jiffies on Linux;
        // prefer the exact match, else the newest file.
        string? key = DisambiguationKey();
        if (key is not null)
        {
            string exact = Path.Combine(directory, $"dotnet-diagnostic-{pid}-{key}-socket");
            if (Array.IndexOf(candidates, exact) >= 0)
            {
                return exact;
            }
        }

        return candidates.OrderByDescending(File.GetLastWriteTimeUtc).First();
    }

    /// <summary>Whether the environment switched the diagnostic server off, to say so in the error.</summary>
    internal static string? DisabledBy()
    {
        foreach (string name in new[] { "DOTNET_EnableDiagnostics", "COMPlus_EnableDiagnostics", "DOTNET_EnableDiagnostics_IPC" })
        {
            if (Environment.GetEnvironmentVariable(name) == "0")
            {
                return $"{name}=0";
            }
        }

        return null;
    }

    private static string DefaultSocketDirectory()
    {
        string? tmp = Environment.GetEnvironmentVariable("TMPDIR");
        return string.IsNullOrEmpty(tmp) ? "/tmp" : tmp;
    }

    private static string? DisambiguationKey()
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        try
        {
            // Field 22 of /proc/self/stat (starttime); the command name (field 2) may contain spaces
            // and parentheses, so count from the last ')'.
            string stat = File.ReadAllText("/proc/self/stat");
            int close = stat.LastIndexOf(')');
            string[] fields = stat[(close + 2)..].Split(' ');
            return fields.Length > 19 ? fields[19] : null;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static Stream Connect(TimeSpan timeout)
    {
        string? endpoint = FindEndpoint();
        if (endpoint is null)
        {
            throw Unavailable("no diagnostic server socket for this process", null);
        }

        if (OperatingSystem.IsWindows())
        {
            var pipe = new NamedPipeClientStream(".", endpoint, PipeDirection.InOut, PipeOptions.None);
            try
            {
                pipe.Connect((int)Math.Min(int.MaxValue, timeout.TotalMilliseconds));
                return pipe;
            }
            catch (Exception e) when (e is TimeoutException or IOException)
            {
                pipe.Dispose();
                throw Unavailable($"cannot connect to pipe {endpoint}", e);
            }
        }

        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            socket.Connect(new UnixDomainSocketEndPoint(endpoint));
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch (SocketException e)
        {
            socket.Dispose();
            throw Unavailable($"cannot connect to {endpoint}", e);
        }
    }

    private static DiagnosticsIpcException Unavailable(string what, Exception? inner)
    {
        string? disabledBy = DisabledBy();
        string reason = disabledBy is null ? what : $"{what} (diagnostics are disabled: {disabledBy})";
        return new DiagnosticsIpcException(DiagnosticsIpcFailure.ServerUnavailable, $"The runtime's diagnostic server is not available: {reason}.", inner);
    }

    // CollectTracing3 (runtime 8 and later): CollectTracing2's payload plus requestStackwalk, after requestRundown.
    private static byte[] BuildCollectTracing3(IReadOnlyList<EventPipeProvider> providers, bool requestRundown, bool requestStackwalk, uint circularBufferMB)
    {
        using var body = new MemoryStream();
        using (var writer = new BinaryWriter(body, Encoding.Unicode, leaveOpen: true))
        {
            writer.Write(new byte[HeaderSize]);
            writer.Write(circularBufferMB);
            writer.Write(FormatNetTrace);
            writer.Write(requestRundown);
            writer.Write(requestStackwalk);
            writer.Write((uint)providers.Count);
            foreach (EventPipeProvider provider in providers)
            {
                writer.Write(provider.Keywords);
                writer.Write((uint)provider.Level);
                WriteString(writer, provider.Name);
                WriteString(writer, provider.FilterData);
            }
        }

        byte[] message = body.ToArray();
        if (message.Length > ushort.MaxValue)
        {
            throw new ArgumentException("The provider list does not fit in one diagnostic IPC message.", nameof(providers));
        }

        WriteHeader(message, CommandSetEventPipe, EventPipeCollectTracing3);
        return message;
    }

    // Protocol strings: a length in UTF-16 code units that counts the terminating NUL, or 0 for none.
    private static void WriteString(BinaryWriter writer, string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            writer.Write(0u);
            return;
        }

        writer.Write((uint)(value.Length + 1));
        writer.Write(Encoding.Unicode.GetBytes(value + "\0"));
    }

    private static void WriteHeader(byte[] message, byte commandSet, byte commandId)
    {
        Magic.CopyTo(message);
        BinaryPrimitives.WriteUInt16LittleEndian(message.AsSpan(14), (ushort)message.Length);
        message[16] = commandSet;
        message[17] = commandId;
        BinaryPrimitives.WriteUInt16LittleEndian(message.AsSpan(18), 0);
    }

    private static void Write(Stream stream, byte[] message, TimeSpan timeout)
    {
        try
        {
            using var cts = new CancellationTokenSource(timeout);
            stream.WriteAsync(message, cts.Token).AsTask().GetAwaiter().GetResult();
        }
        catch (OperationCanceledException e)
        {
            throw new DiagnosticsIpcException(DiagnosticsIpcFailure.Timeout, "The diagnostic server did not accept the request in time.", e);
        }
        catch (IOException e)
        {
            throw new DiagnosticsIpcException(DiagnosticsIpcFailure.ProtocolError, "The diagnostic server closed the connection.", e);
        }
    }

    /// <summary>Reads one response message and returns its payload; an error response throws.</summary>
    private static byte[] ReadResponse(Stream stream, TimeSpan timeout)
    {
        var header = new byte[HeaderSize];
        ReadExactly(stream, header, timeout);
        if (!header.AsSpan(0, 14).SequenceEqual(Magic))
        {
            throw new DiagnosticsIpcException(DiagnosticsIpcFailure.ProtocolError, "The diagnostic server's answer does not start with DOTNET_IPC_V1.");
        }

        int size = BinaryPrimitives.ReadUInt16LittleEndian(header.AsSpan(14));
        if (size < HeaderSize)
        {
            throw new DiagnosticsIpcException(DiagnosticsIpcFailure.ProtocolError, $"The diagnostic server's answer has an impossible size {size}.");
        }

        var payload = new byte[size - HeaderSize];
        ReadExactly(stream, payload, timeout);
        if (header[16] != CommandSetServer)
        {
            throw new DiagnosticsIpcException(DiagnosticsIpcFailure.ProtocolError, $"Unexpected answer command set 0x{header[16]:X2}.");
        }

        if (header[17] == ServerError)
        {
            uint hresult = payload.Length >= 4 ? BinaryPrimitives.ReadUInt32LittleEndian(payload) : 0;
            throw new DiagnosticsIpcException(hresult, $"The diagnostic server refused the command (HRESULT 0x{hresult:X8}).");
        }

        if (header[17] != ServerOk)
        {
            throw new DiagnosticsIpcException(DiagnosticsIpcFailure.ProtocolError, $"Unexpected answer command 0x{header[17]:X2}.");
        }

        return payload;
    }

    private static void ReadExactly(Stream stream, byte[] buffer, TimeSpan timeout)
    {
        // Timed, so a server that accepted the connection but never answers (it is single threaded and
        // could be busy) fails the request instead of hanging the patch operation.
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            stream.ReadExactlyAsync(buffer, cts.Token).AsTask().GetAwaiter().GetResult();
        }
        catch (OperationCanceledException e)
        {
            throw new DiagnosticsIpcException(DiagnosticsIpcFailure.Timeout, "The diagnostic server did not answer in time.", e);
        }
        catch (EndOfStreamException e)
        {
            throw new DiagnosticsIpcException(DiagnosticsIpcFailure.ProtocolError, "The diagnostic server closed the connection before answering.", e);
        }
        catch (IOException e)
        {
            throw new DiagnosticsIpcException(DiagnosticsIpcFailure.ProtocolError, "The diagnostic server closed the connection before answering.", e);
        }
    }
}
