using System.Net.Sockets;
using System.Runtime.InteropServices;
using PatchGen.Runtime.Control;
using static PatchGen.Runtime.Tests.Control.ControlChannelFixture;

namespace PatchGen.Runtime.Tests.Control;

/// <summary>
/// Who may use the channel: the socket's folder is private to the user (0700, owned by it), the
/// socket is 0600, peers running as another user are cut off, and the client says clearly when there
/// is nothing to talk to.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class ControlEndpointTests
{
    private const UnixFileMode OwnerOnlyDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    // Not a real process of this test: servers started here listen under a made-up pid.
    private const int FakePid = 4242;

    [DllImport("libc", SetLastError = true)]
    private static extern int chown(string path, uint owner, uint group);

    [DllImport("libc")]
    private static extern uint geteuid();

    [Fact]
    public void TheSocketIsReadableByItsOwnerOnlyInAFolderOfTheOwnerOnly()
    {
        var path = Endpoint;
        Assert.Equal(ControlEndpoint.SocketPath(Environment.ProcessId), path);
        Assert.EndsWith($"patchgen-{Environment.ProcessId}.sock", path);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.Equal(OwnerOnlyDirectory, File.GetUnixFileMode(Path.GetDirectoryName(path)!));
        Assert.Equal(path, PatchRuntime.Listen());
    }

    [Fact]
    public void TheDefaultFolderIsPerUserUnderTemp()
    {
        var saved = ControlEndpoint.DirectoryOverride;
        try
        {
            ControlEndpoint.DirectoryOverride = null;
            if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable("PATCHGEN_CONTROL_DIR")))
            {
                var temp = Environment.GetEnvironmentVariable("TMPDIR") is { Length: > 0 } t ? Path.GetFullPath(t) : "/tmp";
                Assert.Equal(Path.Combine(temp, $"patchgen-{geteuid()}"), ControlEndpoint.Directory);
            }
            Assert.Equal("patchgen-77", ControlEndpoint.PipeName(77));
        }
        finally
        {
            ControlEndpoint.DirectoryOverride = saved;
        }
    }

    [Theory]
    [InlineData(0b111_101_101)] // 0755
    [InlineData(0b111_111_000)] // 0770
    [InlineData(0b111_000_001)] // 0701
    [InlineData(0b111_111_111)] // 0777
    public void AFolderOthersCanUseIsRefused(int mode)
    {
        var directory = NewFolder();
        File.SetUnixFileMode(directory, (UnixFileMode)mode);
        var e = Assert.Throws<ControlChannelException>(() => ControlServer.StartUnix(directory, FakePid));
        Assert.Contains(directory, e.Message);
        Assert.Contains("mode " + Convert.ToString(mode, 8), e.Message);
        Assert.False(File.Exists(ControlEndpoint.SocketPath(directory, FakePid)));
    }

    [Fact]
    public void AFileOrASymbolicLinkInPlaceOfTheFolderIsRefused()
    {
        var parent = NewFolder();
        var file = Path.Combine(parent, "file");
        File.WriteAllText(file, "");
        Assert.Contains("is not a directory", Assert.Throws<ControlChannelException>(() => ControlServer.StartUnix(file, FakePid)).Message);

        var target = Path.Combine(parent, "target");
        Directory.CreateDirectory(target, OwnerOnlyDirectory);
        var link = Path.Combine(parent, "link");
        Directory.CreateSymbolicLink(link, target);
        Assert.Contains("is not a directory", Assert.Throws<ControlChannelException>(() => ControlServer.StartUnix(link, FakePid)).Message);
    }

    [Fact]
    public void AFolderOfAnotherUserIsRefused()
    {
        // Only root can give a folder away; as anyone else, the mode checks above are what can be tested.
        if (geteuid() != 0)
            return;
        var directory = NewFolder();
        File.SetUnixFileMode(directory, OwnerOnlyDirectory);
        Assert.Equal(0, chown(directory, 65534, 65534));
        var e = Assert.Throws<ControlChannelException>(() => ControlServer.StartUnix(directory, FakePid));
        Assert.Contains("is owned by uid 65534", e.Message);
    }

    [Fact]
    public void AMissingFolderIsCreatedPrivateAndTheSocketRemovedOnDispose()
    {
        var directory = Path.Combine(NewFolder(), "a", "b");
        var server = ControlServer.StartUnix(directory, FakePid);
        var path = ControlEndpoint.SocketPath(directory, FakePid);
        try
        {
            Assert.Equal(path, server.Endpoint);
            Assert.Equal(OwnerOnlyDirectory, File.GetUnixFileMode(directory));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
            using var client = ControlClient.ConnectTo(Environment.ProcessId, path, IoTimeout); // the server is this process, under a made-up pid
            AssertOk(client.Send(Request("status")));
        }
        finally
        {
            server.Dispose();
        }
        Assert.False(File.Exists(path));
        // A stopped server accepts nothing more.
        Assert.Contains("has no PatchGen control channel", Assert.Throws<ControlChannelException>(() => ControlClient.ConnectTo(FakePid, path, IoTimeout)).Message);
    }

    [Fact]
    public void AStaleSocketFileIsReplaced()
    {
        var directory = PrivateFolder();
        var path = ControlEndpoint.SocketPath(directory, FakePid);
        File.WriteAllText(path, "left by a crashed process");
        using var server = ControlServer.StartUnix(directory, FakePid);
        using var client = ControlClient.ConnectTo(Environment.ProcessId, path, IoTimeout); // the server is this process, under a made-up pid
        AssertOk(client.Send(Request("status")));
    }

    [Fact]
    public void APeerOfAnotherUserIsDisconnectedWithoutAReply()
    {
        if (!OperatingSystem.IsLinux())
            return;
        var directory = PrivateFolder();
        // The server expects a different uid than ours, which is what another user's peer looks like to it.
        using var server = ControlServer.StartUnix(directory, FakePid, expectedPeerUid: geteuid() + 1);
        using var socket = RawConnect(server.Endpoint);
        try
        {
            socket.Send(Frame("{\"v\":1,\"op\":\"status\"}"));
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.Shutdown or SocketError.ConnectionReset)
        {
            // Already disconnected before the request went out: what the test wants to see.
        }
        Assert.True(IsClosed(socket));
    }

    [Fact]
    public void ConnectingToAProcessThatDoesNotExistSaysSo()
    {
        var e = Assert.Throws<ControlChannelException>(() => ControlClient.Connect(int.MaxValue, IoTimeout));
        Assert.Contains($"no process with id {int.MaxValue} is running", e.Message);
    }

    [Fact]
    public void ConnectingToAProcessWithoutAChannelSaysHowToGetOne()
    {
        _ = Endpoint;
        // Process 1 exists but never listens in this test's folder.
        var e = Assert.Throws<ControlChannelException>(() => ControlClient.Connect(1, IoTimeout));
        Assert.Contains("process 1 has no PatchGen control channel", e.Message);
        Assert.Contains("DOTNET_STARTUP_HOOKS=", e.Message);
        Assert.Contains("PatchGen.Runtime.dll", e.Message);
    }

    [Fact]
    public void AStaleSocketFileWithoutAListenerIsNoChannel()
    {
        var path = Path.Combine(PrivateFolder(), "patchgen-1.sock");
        File.WriteAllText(path, "");
        var e = Assert.Throws<ControlChannelException>(() => ControlClient.ConnectTo(1, path, IoTimeout));
        Assert.Contains("has no PatchGen control channel", e.Message);
    }

    [Fact]
    public void AResponseOverSixteenMebibytesIsRefusedByTheClient()
    {
        var e = WithFakeServer(socket => socket.Send(BitConverter.GetBytes(16 * 1024 * 1024 + 1)), TimeSpan.FromSeconds(10));
        Assert.Contains("over the limit", e.Message);
    }

    [Fact]
    public void AServerThatClosesWithoutAnsweringIsReported()
    {
        var e = WithFakeServer(socket => socket.Shutdown(SocketShutdown.Both), TimeSpan.FromSeconds(10));
        Assert.Contains("without a complete response", e.Message);
    }

    [Fact]
    public void AServerThatNeverAnswersTimesOut()
    {
        var e = WithFakeServer(_ => { }, TimeSpan.FromMilliseconds(300));
        Assert.Contains("did not answer the 'status' request within", e.Message);
    }

    [Fact]
    public void TheClientAddsTheVersionAndKeepsTheCallersRequest()
    {
        var request = Request("status");
        using var client = Connect();
        AssertOk(client.Send(request));
        Assert.False(request.ContainsKey("v"));
    }

    /// <summary>
    /// A fake process end that reads one request and then does <paramref name="answer"/>; returns what
    /// the client threw.
    /// </summary>
    private static ControlChannelException WithFakeServer(Action<Socket> answer, TimeSpan clientTimeout)
    {
        var path = Path.Combine(PrivateFolder(), "fake.sock");
        using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(path));
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        listener.Listen(1);
        using var done = new ManualResetEventSlim();
        var fake = new Thread(() =>
        {
            using var connection = listener.Accept();
            connection.ReceiveTimeout = (int)IoTimeout.TotalMilliseconds;
            var prefix = new byte[4];
            connection.Receive(prefix);
            var body = new byte[BitConverter.ToInt32(prefix)];
            for (int read = 0; read < body.Length;)
                read += connection.Receive(body, read, body.Length - read, SocketFlags.None);
            answer(connection);
            done.Wait(IoTimeout);
        }) { IsBackground = true };
        fake.Start();
        try
        {
            using var client = ControlClient.ConnectTo(Environment.ProcessId, path, clientTimeout);
            return Assert.Throws<ControlChannelException>(() => client.Send(Request("status")));
        }
        finally
        {
            done.Set();
            Assert.True(fake.Join(IoTimeout));
        }
    }

    private static string NewFolder() => PatchGen.TestSupport.InlineAssembly.TempDirectory("control-endpoint");

    private static string PrivateFolder()
    {
        var directory = NewFolder();
        File.SetUnixFileMode(directory, OwnerOnlyDirectory);
        return directory;
    }
}
