using System.Globalization;
using System.Net.Sockets;
using System.Text.Json;
using PatchGen.Cli.Demo;
using PatchGen.Emit;
using PatchGen.Instrumentation;
using PatchGen.SourcePatching;
using PatchGen.TestSupport;

namespace PatchGen.Cli.Tests;

/// <summary>
/// <c>patchgen ps</c> and <c>apply --all</c> against real child processes: two replicas of the ShopService
/// sample (made patchable, the runtime as a startup hook) and an impostor socket, all in a control folder
/// of the test's own (PATCHGEN_CONTROL_DIR, so other tests' and other users' processes are never touched).
/// The impostor is a socket this test process serves under the name of another live process: the client
/// must refuse it (the kernel's peer pid is not the one in its name) and list it as refused.
/// </summary>
[Collection(RealDotnetBuilds.Name)]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")] // Unix sockets and modes; Windows pipes are compiled, not tested (docs/control-channel.md)
public sealed class FleetCommandTests : IClassFixture<FleetCommandTests.Replicas>
{
    private readonly Replicas _replicas;

    public FleetCommandTests(Replicas replicas)
    {
        _replicas = replicas;
    }

    [Fact]
    public void PsListsEveryReplicaAndRefusesTheImpostor()
    {
        var ps = Run("ps", "--json");
        Assert.True(ps.ExitCode == 0, ps.StdOut + ps.StdErr);
        using var json = JsonDocument.Parse(ps.StdOut);
        Assert.Equal(1, json.RootElement.GetProperty("schema").GetInt32());
        var processes = json.RootElement.GetProperty("processes").EnumerateArray().ToDictionary(p => p.GetProperty("pid").GetInt32());
        foreach (var replica in _replicas.Processes)
        {
            var entry = processes[replica.Pid];
            Assert.Equal("ok", entry.GetProperty("status").GetString());
            Assert.Equal("ShopService", entry.GetProperty("entryAssembly").GetString());
        }
        var impostor = processes[_replicas.ImpostorPid];
        Assert.Equal("refused", impostor.GetProperty("status").GetString());
        Assert.Contains($"served by process {Environment.ProcessId}", impostor.GetProperty("reason").GetString());
        Assert.Equal(0, impostor.GetProperty("patches").GetArrayLength());

        var text = Run("ps");
        Assert.Equal(0, text.ExitCode);
        Assert.Contains($"{_replicas.ImpostorPid}  refused: refusing the control channel", text.StdOut);
        Assert.Contains("ShopService", text.StdOut);
    }

    [Fact]
    public void ApplyAllPatchesEveryReplicaAndReportsEachOne()
    {
        // A corrupt patch: every replica refuses it, one line each, and the refused channel is reported too.
        var corrupt = Path.Combine(_replicas.Work, "corrupt.dll");
        File.WriteAllBytes(corrupt, new byte[] { 0x4d, 0x5a, 1, 2, 3 });
        var refused = Run("apply", corrupt, "--all", "ShopService");
        Assert.Equal(4, refused.ExitCode);
        foreach (var replica in _replicas.Processes)
            Assert.Single(refused.ErrorLines, l => l.StartsWith($"patchgen: error PG0001: process {Text(replica.Pid)} (", StringComparison.Ordinal));
        Assert.Single(refused.ErrorLines, l => l.StartsWith($"patchgen: error PG0001: process {Text(_replicas.ImpostorPid)}: refused: ", StringComparison.Ordinal));

        var applied = Run("apply", _replicas.PatchPath, "--all", "ShopService");
        Assert.Equal(4, applied.ExitCode); // the impostor: it might have been a replica
        foreach (var replica in _replicas.Processes)
            Assert.Contains($"patchgen: process {Text(replica.Pid)} (", applied.StdOut);
        Assert.Equal(_replicas.Processes.Count, applied.StdOut.Split('\n').Count(l => l.Contains("'shop-discount-rounding' enabled in", StringComparison.Ordinal)));

        using (var json = JsonDocument.Parse(Run("ps", "--json").StdOut))
        {
            foreach (var process in json.RootElement.GetProperty("processes").EnumerateArray().Where(p => p.GetProperty("status").GetString() == "ok"))
                Assert.Contains(process.GetProperty("patches").EnumerateArray(), p => p.GetProperty("id").GetString() == "shop-discount-rounding" && p.GetProperty("state").GetString() == "enabled");
        }

        var none = Run("apply", _replicas.PatchPath, "--all", "NoSuchAssembly");
        Assert.Equal(4, none.ExitCode); // only the impostor is reported: it might have loaded it
        Assert.Single(none.ErrorLines);

        var neither = Run("apply", _replicas.PatchPath);
        Assert.Equal(2, neither.ExitCode);
        Assert.Contains("give either --pid or --all", neither.StdErr);

        foreach (var replica in _replicas.Processes)
        {
            var disable = Run("disable", "shop-discount-rounding", "--pid", Text(replica.Pid));
            Assert.True(disable.ExitCode == 0, disable.StdOut + disable.StdErr);
            Assert.False(replica.HasExited);
        }
    }

    private CliRunner.Outcome Run(params string[] args)
        => CliRunner.RunProcessWith(new Dictionary<string, string> { ["PATCHGEN_CONTROL_DIR"] = _replicas.ControlDirectory }, args);

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>v1 built, made patchable and running twice; the discount fix's patch; the impostor.</summary>
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public sealed class Replicas : IDisposable
    {
        private readonly ProjectPatchBuilder _builder;
        private readonly System.Diagnostics.Process _sleeper;
        private readonly Socket _impostor;

        public Replicas()
        {
            var app = Path.Combine(Repository.TestData, "apps", "ShopService");
            _builder = new ProjectPatchBuilder(app);
            Work = _builder.WorkDirectory;
            var v1 = _builder.BuildBase();
            AssemblyInstrumenter.Instrument(v1.AssemblyPath, v1.AssemblyPath);
            var v2 = _builder.BuildPatched(Path.Combine(app, "fixes", "discount-rounding.patch"));
            PatchPath = Path.Combine(Work, "shop-discount-rounding.dll");
            Assert.Equal(0, PatchBuilder.Build(new PatchBuildOptions(v1.AssemblyPath, v2.AssemblyPath, PatchPath) { PatchId = "shop-discount-rounding" }).ExitCode);

            ControlDirectory = Path.Combine(Work, "control");
            Directory.CreateDirectory(ControlDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            Processes = new[] { ServiceProcess.Start(v1.AssemblyPath, ControlDirectory), ServiceProcess.Start(v1.AssemblyPath, ControlDirectory) };

            // A live process with no channel, and a socket under its name served by this test process.
            _sleeper = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("sleep", "600") { UseShellExecute = false })!;
            ImpostorPid = _sleeper.Id;
            _impostor = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            var path = Path.Combine(ControlDirectory, $"patchgen-{ImpostorPid.ToString(CultureInfo.InvariantCulture)}.sock");
            _impostor.Bind(new UnixDomainSocketEndPoint(path));
            _impostor.Listen(8);
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        public string Work { get; }

        public string ControlDirectory { get; }

        public string PatchPath { get; }

        public int ImpostorPid { get; }

        internal IReadOnlyList<ServiceProcess> Processes { get; }

        public void Dispose()
        {
            _impostor.Dispose();
            try { _sleeper.Kill(); } catch (InvalidOperationException) { }
            _sleeper.Dispose();
            foreach (var process in Processes)
                process.Dispose();
            _builder.Dispose();
        }
    }
}
