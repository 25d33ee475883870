using System.Net.Sockets;

namespace PatchGen.Runtime.Control;

/// <summary>
/// Who is at the other end of a connected Unix domain socket, as the kernel says (it cannot be forged by
/// the peer): SO_PEERCRED on Linux, LOCAL_PEERPID and LOCAL_PEERCRED on macOS. The server uses it to
/// refuse other users; the client uses it to refuse a socket that is not served by the process it names.
/// </summary>
/// <param name="ProcessId">The peer's process ID (on Linux and macOS, the process that connected or listened).</param>
/// <param name="UserId">The peer's effective uid.</param>
internal readonly record struct PeerCredentials(int ProcessId, uint UserId)
{
    // Linux (x64 and arm64): SOL_SOCKET, SO_PEERCRED, struct ucred { int pid; uint uid; uint gid; }.
    private const int LinuxSolSocket = 1, LinuxSoPeerCred = 17, LinuxUcredSize = 12;

    // macOS: SOL_LOCAL, LOCAL_PEERCRED (struct xucred { uint version; uint uid; short ngroups; uint groups[16]; }),
    // LOCAL_PEERPID (pid_t).
    private const int MacSolLocal = 0, MacLocalPeerCred = 1, MacLocalPeerPid = 2, MacXucredSize = 76;

    /// <summary>The peer of <paramref name="socket"/>, or null where the OS cannot say (or this one is not supported).</summary>
    public static PeerCredentials? Of(Socket socket)
    {
        try
        {
            if (OperatingSystem.IsLinux())
            {
                Span<byte> ucred = stackalloc byte[LinuxUcredSize];
                if (socket.GetRawSocketOption(LinuxSolSocket, LinuxSoPeerCred, ucred) < LinuxUcredSize)
                    return null;
                return new PeerCredentials(BitConverter.ToInt32(ucred), BitConverter.ToUInt32(ucred[4..]));
            }
            if (OperatingSystem.IsMacOS())
            {
                Span<byte> pid = stackalloc byte[4];
                Span<byte> xucred = stackalloc byte[MacXucredSize];
                if (socket.GetRawSocketOption(MacSolLocal, MacLocalPeerPid, pid) < 4
                    || socket.GetRawSocketOption(MacSolLocal, MacLocalPeerCred, xucred) < 8)
                    return null;
                return new PeerCredentials(BitConverter.ToInt32(pid), BitConverter.ToUInt32(xucred[4..]));
            }
        }
        catch (SocketException)
        {
            // Not a Unix socket, or already closed: unknown, which callers treat as refused.
        }
        return null;
    }
}
