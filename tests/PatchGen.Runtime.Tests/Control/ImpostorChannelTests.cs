using System.Diagnostics;
using System.Text;
using PatchGen.Runtime.Control;
using PatchGen.TestSupport;
using Xunit.Abstractions;
using static PatchGen.Runtime.Tests.Control.ControlChannelFixture;

namespace PatchGen.Runtime.Tests.Control;

/// <summary>
/// The client trusts nothing it finds at a socket path (docs/control-channel.md, "Threat model"): a real
/// impostor, a process that answers every request with "ok" as a hostile user would write it, is put
/// where <c>patchgen</c> looks for the process it targets. The client must refuse it before sending a
/// byte; the impostor writes down every request it receives, so the test sees that nothing arrived.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class ImpostorChannelTests
{
    private const string ImpostorSource = """
        using System;
        using System.IO;
        using System.Net.Sockets;
        using System.Text;

        public static class Program
        {
            // args: socket path, file to record requests in
            public static int Main(string[] args)
            {
                var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                listener.Bind(new UnixDomainSocketEndPoint(args[0]));
                File.SetUnixFileMode(args[0], UnixFileMode.UserRead | UnixFileMode.UserWrite);
                listener.Listen(8);
                Console.WriteLine("ready");
                Console.Out.Flush();
                while (true)
                {
                    using var connection = listener.Accept();
                    var prefix = new byte[4];
                    if (!ReadExactly(connection, prefix))
                        continue;
                    var body = new byte[BitConverter.ToInt32(prefix)];
                    if (!ReadExactly(connection, body))
                        continue;
                    File.AppendAllText(args[1], Encoding.UTF8.GetString(body) + "\n");
                    var reply = Encoding.UTF8.GetBytes("{\"v\":1,\"ok\":true,\"applied\":true,\"patches\":[{\"id\":\"impostor\",\"state\":\"enabled\"}],\"transition\":null}");
                    connection.Send(BitConverter.GetBytes(reply.Length));
                    connection.Send(reply);
                }
            }

            private static bool ReadExactly(Socket socket, byte[] buffer)
            {
                for (int read = 0; read < buffer.Length;)
                {
                    int n = socket.Receive(buffer, read, buffer.Length - read, SocketFlags.None);
                    if (n == 0)
                        return false;
                    read += n;
                }
                return true;
            }
        }
        """;

    private readonly ITestOutputHelper _output;

    public ImpostorChannelTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public void AnotherUserWhoCreatedTheControlFolderFirstIsNotBelieved()
    {
        if (SecondUnixUser.Get() is not { } attacker)
        {
            _output.WriteLine("not run: needs root on Linux to create a second Unix user (CI runs as root)");
            return;
        }
        // Like /tmp: anyone may create entries, only their owner may remove them.
        var shared = PatchGen.TestSupport.InlineAssembly.TempDirectory("shared-tmp");
        File.SetUnixFileMode(shared, (UnixFileMode)0b1_111_111_111);
        // The attacker creates this user's control folder before any process of this user does, mode 0700.
        var folder = Path.Combine(shared, "patchgen-" + UnixNative.EffectiveUserId());
        var made = attacker.RunAs("mkdir", "-m", "700", folder);
        Assert.True(made.ExitCode == 0, made.Output);
        int victim = Environment.ProcessId;
        var socket = ControlEndpoint.SocketPath(folder, victim);
        var received = Path.Combine(shared, "received.txt");
        attacker.RunAs("touch", received);

        using var impostor = StartImpostor(attacker.StartInfo(DotnetHost(), ImpostorApp(), socket, received));
        try
        {
            AssertTheImpostorAnswersAnyone(socket, received);

            var e = Assert.Throws<ControlChannelException>(() => ControlClient.ConnectTo(victim, socket, IoTimeout));
            Assert.Contains($"refusing the control channel of process {victim}", e.Message);
            Assert.Contains($"is owned by uid {attacker.Uid}", e.Message);
            Assert.Single(File.ReadAllLines(received)); // only the probe: the client sent nothing
        }
        finally
        {
            Stop(impostor);
        }
    }

    [Fact]
    public void ASocketServedByAnotherProcessIsNotBelieved()
    {
        if (!OperatingSystem.IsLinux())
            return;
        // This user's own, correct folder; the socket named for this process is served by another one.
        var folder = PatchGen.TestSupport.InlineAssembly.TempDirectory("own-folder");
        File.SetUnixFileMode(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        int victim = Environment.ProcessId;
        var socket = ControlEndpoint.SocketPath(folder, victim);
        var received = Path.Combine(folder, "received.txt");
        File.WriteAllText(received, "");
        var start = new ProcessStartInfo(DotnetHost()) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { ImpostorApp(), socket, received })
            start.ArgumentList.Add(argument);

        using var impostor = StartImpostor(start);
        try
        {
            AssertTheImpostorAnswersAnyone(socket, received);

            var e = Assert.Throws<ControlChannelException>(() => ControlClient.ConnectTo(victim, socket, IoTimeout));
            Assert.Contains($"it is served by process {impostor.Id}, not by process {victim}", e.Message);
            Assert.Single(File.ReadAllLines(received));
        }
        finally
        {
            Stop(impostor);
        }
    }

    [Fact]
    public void ASocketOthersCanOpenIsNotBelieved()
    {
        if (!OperatingSystem.IsLinux())
            return;
        var folder = PatchGen.TestSupport.InlineAssembly.TempDirectory("open-socket");
        File.SetUnixFileMode(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        using var server = ControlServer.StartUnix(folder, Environment.ProcessId + 1_000_000);
        File.SetUnixFileMode(server.Endpoint, (UnixFileMode)0b110_110_110);
        var e = Assert.Throws<ControlChannelException>(() => ControlClient.ConnectTo(Environment.ProcessId, server.Endpoint, IoTimeout));
        Assert.Contains("the socket has mode 666", e.Message);
    }

    /// <summary>A connection that checks nothing gets the impostor's "ok": the attack is live, not a stand-in.</summary>
    private static void AssertTheImpostorAnswersAnyone(string socket, string received)
    {
        using var raw = RawConnect(socket);
        raw.Send(Frame("{\"v\":1,\"op\":\"status\",\"probe\":true}"));
        var answer = ReadResponse(raw);
        Assert.NotNull(answer);
        Assert.Equal("impostor", answer!["patches"]![0]!["id"]!.GetValue<string>());
        Assert.Contains("\"probe\":true", File.ReadAllText(received));
    }

    private static Process StartImpostor(ProcessStartInfo start)
    {
        var process = Process.Start(start)!;
        var line = process.StandardOutput.ReadLineAsync();
        Assert.True(line.Wait(IoTimeout) && line.Result == "ready", "the impostor did not start: " + (process.HasExited ? process.StandardError.ReadToEnd() : "no answer"));
        return process;
    }

    private static void Stop(Process process)
    {
        if (!process.HasExited)
        {
            process.Kill();
            process.WaitForExit((int)IoTimeout.TotalMilliseconds);
        }
    }

    private static string DotnetHost()
        => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "/usr/bin/dotnet";

    // World-readable, so that the second user can run it.
    private static readonly Lazy<string> Impostor = new(() => ConsoleApp.Compile(InlineAssembly.TempDirectory("impostor"), "Impostor", ImpostorSource));

    private static string ImpostorApp() => Impostor.Value;
}
