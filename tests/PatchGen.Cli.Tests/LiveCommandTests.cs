using System.Text.Json;
using PatchGen.Cli.Demo;
using PatchGen.Emit;
using PatchGen.Instrumentation;
using PatchGen.SourcePatching;
using PatchGen.TestSupport;

namespace PatchGen.Cli.Tests;

/// <summary>
/// <c>patchgen apply|list|disable|force --pid</c> against a real child process: the ShopService sample,
/// built with <c>dotnet build</c>, made patchable, started with the runtime as a startup hook, and kept
/// under load by clients that check every answer. Patched and reverted through the command line with
/// zero failed or inconsistent requests; bad patches (corrupt, for another build, unsigned or tampered
/// while the process trusts a key) are refused with the process untouched.
/// </summary>
[Collection(RealDotnetBuilds.Name)]
public sealed class LiveCommandTests : IClassFixture<LiveCommandTests.RunningService>
{
    private readonly RunningService _service;

    public LiveCommandTests(RunningService service)
    {
        _service = service;
    }

    [Fact]
    public void ApplyListAndDisableUnderLoadFailNoRequest()
    {
        using (var load = new LoadGenerator(_service.Process.Port, 4, _service.Expected))
        {
            WaitFor(() => load.V1Answers > 100);
            var apply = CliRunner.Run("apply", _service.PatchPath, "--pid", Pid);
            Assert.True(apply.ExitCode == 0, apply.StdOut + apply.StdErr);
            Assert.Contains("'shop-discount-rounding' enabled in", apply.StdOut);
            long v2AtEnable = load.V2Answers;
            WaitFor(() => load.V2Answers > v2AtEnable + 100);

            var list = CliRunner.Run("list", "--pid", Pid);
            Assert.Equal(0, list.ExitCode);
            Assert.Contains("shop-discount-rounding  Enabled", list.StdOut, StringComparison.OrdinalIgnoreCase);
            Assert.Contains("M:ShopService.Pricing.DiscountEngine.Percent(System.Decimal,System.Decimal)", list.StdOut);
            Assert.Contains("signed ", list.StdOut); // the process trusts the key the patch was signed with
            using (var json = JsonDocument.Parse(CliRunner.Run("list", "--pid", Pid, "--json").StdOut))
            {
                Assert.Equal(1, json.RootElement.GetProperty("schema").GetInt32());
                Assert.Contains(json.RootElement.GetProperty("patches").EnumerateArray(), p => p.GetProperty("id").GetString() == "shop-discount-rounding");
            }

            var disable = CliRunner.Run("disable", "shop-discount-rounding", "--pid", Pid);
            Assert.True(disable.ExitCode == 0, disable.StdOut + disable.StdErr);
            long v1AtDisable = load.V1Answers;
            WaitFor(() => load.V1Answers > v1AtDisable + 100);

            Assert.Empty(load.Failures);
        }
        Assert.False(_service.Process.HasExited);
    }

    [Fact]
    public void BadPatchesAreRefusedAndTheProcessKeepsServingV1()
    {
        var corrupt = Path.Combine(_service.Work, "corrupt.dll");
        File.WriteAllBytes(corrupt, new byte[] { 0x4d, 0x5a, 1, 2, 3, 4, 5 });
        var refused = CliRunner.Run("apply", corrupt, "--pid", Pid);
        Assert.Equal(4, refused.ExitCode);
        // The process trusts a key, so bytes that are not even an assembly fail the signature check first.
        Assert.StartsWith("patchgen: error PG0006: corrupt.dll: ", Assert.Single(refused.ErrorLines));

        var otherBuild = CliRunner.Run("apply", _service.PatchForOtherBuild, "--pid", Pid);
        Assert.Equal(4, otherBuild.ExitCode);
        Assert.StartsWith("patchgen: error PG0005: ", Assert.Single(otherBuild.ErrorLines));

        var unsigned = CliRunner.Run("apply", _service.UnsignedPatch, "--pid", Pid);
        Assert.Equal(4, unsigned.ExitCode);
        Assert.StartsWith("patchgen: error PG0006: ", Assert.Single(unsigned.ErrorLines));

        var tampered = Path.Combine(_service.Work, "tampered.dll");
        var bytes = File.ReadAllBytes(_service.PatchPath);
        bytes[bytes.Length / 2] ^= 0x01;
        File.WriteAllBytes(tampered, bytes);
        var refusedTampered = CliRunner.Run("apply", tampered, "--pid", Pid);
        Assert.Equal(4, refusedTampered.ExitCode);
        Assert.StartsWith("patchgen: error PG0006: ", Assert.Single(refusedTampered.ErrorLines));

        var unknown = CliRunner.Run("disable", "no-such-patch", "--pid", Pid);
        Assert.Equal(4, unknown.ExitCode);

        var missing = CliRunner.Run("apply", Path.Combine(_service.Work, "missing.dll"), "--pid", Pid);
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("missing.dll: file not found", Assert.Single(missing.ErrorLines));

        // A live process that never opened a channel (not this test process: another test may have opened its own).
        using (var plain = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("sleep", "60") { UseShellExecute = false })!)
        {
            var noChannel = CliRunner.Run("list", "--pid", plain.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
            plain.Kill();
            Assert.Equal(2, noChannel.ExitCode);
            Assert.StartsWith("patchgen: error PG0001: --pid ", Assert.Single(noChannel.ErrorLines));
        }

        using var load = new LoadGenerator(_service.Process.Port, 2, _service.Expected);
        WaitFor(() => load.V1Answers > 50);
        Assert.Equal(0, load.V2Answers);
        Assert.Empty(load.Failures);
        Assert.False(_service.Process.HasExited);
        Assert.Contains("Process " + Pid + ": 0 patches", CliRunner.Run("list", "--pid", Pid).StdOut);
    }

    // The demo's interleaved throughput runs one build's load at a time (InterleavedThroughput): a paused load sends
    // nothing once its requests in flight are answered, and a resumed one goes on where it stopped.
    [Fact]
    public void APausedLoadSendsNothingUntilResumed()
    {
        using var load = new LoadGenerator(_service.Process.Port, 2, _service.Expected);
        WaitFor(() => load.Total > 20);
        load.Pause();
        Thread.Sleep(200);
        long paused = load.Total;
        Thread.Sleep(500);
        Assert.Equal(paused, load.Total);
        load.Resume();
        WaitFor(() => load.Total > paused + 20);
        Assert.Empty(load.Failures);
    }

    private string Pid => _service.Process.Pid.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static void WaitFor(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out");
            Thread.Sleep(50);
        }
    }

    /// <summary>v1 built, made patchable and running as a child process; the discount fix's patch; a patch for another build.</summary>
    public sealed class RunningService : IDisposable
    {
        private static readonly string[] Requests = { "QUOTE MUG-001:1 coupon=SAVE10", "QUOTE BOOK-001:2,COFFEE-1:1", "QUOTE MUG-001:20,MUG-001:20" };
        private readonly ProjectPatchBuilder _builder;

        public RunningService()
        {
            var app = Path.Combine(Repository.TestData, "apps", "ShopService");
            _builder = new ProjectPatchBuilder(app);
            Work = _builder.WorkDirectory;
            var v1 = _builder.BuildBase();
            AssemblyInstrumenter.Instrument(v1.AssemblyPath, v1.AssemblyPath);
            var v2 = _builder.BuildPatched(Path.Combine(app, "fixes", "discount-rounding.patch"));
            // The service trusts one key (PATCHGEN_TRUSTED_KEYS): only patches it signed are applied.
            var key = Path.Combine(Work, "ops.snk");
            using (var rsa = new System.Security.Cryptography.RSACryptoServiceProvider(1024))
                File.WriteAllBytes(key, rsa.ExportCspBlob(includePrivateParameters: true));
            PatchPath = Path.Combine(Work, "shop-discount-rounding.dll");
            Assert.Equal(0, PatchBuilder.Build(new PatchBuildOptions(v1.AssemblyPath, v2.AssemblyPath, PatchPath) { PatchId = "shop-discount-rounding", KeyFile = key }).ExitCode);
            UnsignedPatch = Path.Combine(Work, "unsigned.dll");
            Assert.Equal(0, PatchBuilder.Build(new PatchBuildOptions(v1.AssemblyPath, v2.AssemblyPath, UnsignedPatch) { PatchId = "shop-unsigned" }).ExitCode);

            // Another production build of the same service: the plain v1, instrumented separately
            // after a harmless edit would do; simplest is the fixed build made patchable, patched with v1's code.
            var otherBase = Path.Combine(Work, "other", Path.GetFileName(v2.AssemblyPath));
            AssemblyInstrumenter.Instrument(v2.AssemblyPath, otherBase, new InstrumentOptions { CopyRuntime = false });
            PatchForOtherBuild = Path.Combine(Work, "other-build.dll");
            Assert.Equal(0, PatchBuilder.Build(new PatchBuildOptions(otherBase, v1.AssemblyPath, PatchForOtherBuild) { PatchId = "for-other-build", KeyFile = key }).ExitCode);

            Expected = Requests.Select(r => (r, Answer(v1.AssemblyPath, r), Answer(v2.AssemblyPath, r))).ToList();
            Process = ServiceProcess.Start(v1.AssemblyPath, controlDirectory: null, new Dictionary<string, string> { ["PATCHGEN_TRUSTED_KEYS"] = key });
        }

        public string Work { get; }

        public string PatchPath { get; }

        public string PatchForOtherBuild { get; }

        public string UnsignedPatch { get; }

        public IReadOnlyList<(string Request, string V1, string V2)> Expected { get; }

        internal ServiceProcess Process { get; }

        private static string Answer(string assembly, string request)
        {
            var start = new System.Diagnostics.ProcessStartInfo("dotnet") { RedirectStandardOutput = true, UseShellExecute = false };
            start.ArgumentList.Add(assembly);
            start.ArgumentList.Add("request");
            start.ArgumentList.Add(request);
            using var process = System.Diagnostics.Process.Start(start)!;
            var line = process.StandardOutput.ReadLine()!;
            process.WaitForExit();
            return line[(line.IndexOf(" => ", StringComparison.Ordinal) + 4)..];
        }

        public void Dispose()
        {
            Process.Dispose();
            _builder.Dispose();
        }
    }
}
