using PatchGen.Instrumentation;
using PatchGen.SourcePatching;
using PatchGen.TestSupport;

namespace PatchGen.Cli.Tests;

/// <summary>
/// A fix that spans two libraries, as one patch: testdata/apps/LedgerApp (a console app over Ledger.Calc
/// and Ledger.Format) built with real <c>dotnet build</c>s as it is and with fixes/cents-rounding.patch, both
/// libraries made patchable, and the patch built from the two pairs with <c>patchgen build</c>. Applied
/// through the CLI to the app running as a child process under load, where every answer of the call chain
/// (Format, then Calc) is checked: either half alone gives a wrong amount, and no answer ever shows one.
/// </summary>
[Collection(RealDotnetBuilds.Name)]
public sealed class MultiAssemblyLiveTests : IClassFixture<MultiAssemblyLiveTests.Ledger>
{
    private readonly Ledger _ledger;

    public MultiAssemblyLiveTests(Ledger ledger)
    {
        _ledger = ledger;
    }

    [Fact]
    public void FixSpanningTwoLibrariesIsRefusedUntilBothAreLoadedThenSwitchesInOneTransition()
    {
        using var app = LedgerProcess.Start(_ledger.App, workers: 4);
        app.WaitFor(s => s.CalcV1 > 1000);

        // Ledger.Format is not loaded yet: the patch is refused whole, and nothing changed.
        var refused = CliRunner.Run("apply", _ledger.PatchPath, "--pid", app.PidText);
        Assert.Equal(4, refused.ExitCode);
        var error = Assert.Single(refused.ErrorLines);
        Assert.StartsWith("patchgen: error PG0005: ", error);
        Assert.Contains("'Ledger.Format', but this process has not loaded it", error);
        Assert.Contains(" 0 patches", CliRunner.Run("list", "--pid", app.PidText).StdOut);
        var before = app.WaitFor(s => s.CalcV1 > 2000);
        Assert.Equal(0, before.CalcV2);
        Assert.Equal(0, before.Errors);

        app.Go();
        app.WaitFor(s => s.V1 > 1000);
        var apply = CliRunner.Run("apply", _ledger.PatchPath, "--pid", app.PidText);
        Assert.True(apply.ExitCode == 0, apply.StdOut + apply.StdErr);
        Assert.Contains("(Ledger.Calc + Ledger.Format, replacing 2 method(s))", apply.StdOut);
        var enabled = app.Stats();
        app.WaitFor(s => s.V2 > enabled.V2 + 1000);

        var list = CliRunner.Run("list", "--pid", app.PidText);
        Assert.Contains("ledger-cents  enabled  Ledger.Calc + Ledger.Format", list.StdOut);
        Assert.Contains("M:Ledger.Calc.Interest.Yearly(System.Int64,System.Int32)", list.StdOut);
        Assert.Contains("M:Ledger.Format.Statement.InterestLine(System.Int64,System.Int32)", list.StdOut);

        var disable = CliRunner.Run("disable", "ledger-cents", "--pid", app.PidText);
        Assert.True(disable.ExitCode == 0, disable.StdOut + disable.StdErr);
        var disabled = app.Stats();
        var after = app.WaitFor(s => s.V1 > disabled.V1 + 1000);

        Assert.True(after.Mixed == 0, "an answer showed one library's half of the fix without the other's: " + after);
        Assert.True(after.Errors == 0, after.ToString());
        Assert.False(app.HasExited);
    }

    [Fact]
    public void CumulativePatchOfBothLibrariesReplacesTheFirstAtomically()
    {
        using var app = LedgerProcess.Start(_ledger.App, workers: 4);
        app.Go();
        app.WaitFor(s => s.V1 > 1000);
        var apply = CliRunner.Run("apply", _ledger.PatchPath, "--pid", app.PidText);
        Assert.True(apply.ExitCode == 0, apply.StdOut + apply.StdErr);
        var enabled = app.Stats();
        // Long after the transition completed: no v1 answer is still being counted.
        var fixedAnswers = app.WaitFor(s => s.V2 > enabled.V2 + 1000);

        // The cumulative patch of the same two bases replaces the first in one transition: every answer is the
        // fix's throughout (from the first patch's code or the second's), never v1's, never half of it.
        var replace = CliRunner.Run("apply", _ledger.CumulativePatchPath, "--pid", app.PidText);
        Assert.True(replace.ExitCode == 0, replace.StdOut + replace.StdErr);
        var replaced = app.Stats();
        var after = app.WaitFor(s => s.V2 > replaced.V2 + 1000);
        var list = CliRunner.Run("list", "--pid", app.PidText);
        Assert.Contains("ledger-cents-all  enabled  Ledger.Calc + Ledger.Format", list.StdOut);
        Assert.DoesNotContain("ledger-cents  enabled", list.StdOut);
        Assert.Equal(fixedAnswers.V1, after.V1);

        // Disabling the cumulative patch goes back to v1, not to the patch it replaced.
        var disable = CliRunner.Run("disable", "ledger-cents-all", "--pid", app.PidText);
        Assert.True(disable.ExitCode == 0, disable.StdOut + disable.StdErr);
        var disabled = app.Stats();
        var end = app.WaitFor(s => s.V1 > disabled.V1 + 1000);
        Assert.True(end.Mixed == 0, "an answer showed one library's half of the fix without the other's: " + end);
        Assert.True(end.Errors == 0, end.ToString());
    }

    [Fact]
    public void PatchInThePatchDirectoryIsAppliedAtStartOnceBothLibrariesAreLoaded()
    {
        var folder = Path.Combine(_ledger.Work, "patch-dir-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(folder);
        File.Copy(_ledger.PatchPath, Path.Combine(folder, "10-ledger-cents.dll"));
        using var app = LedgerProcess.Start(_ledger.App, workers: 4, new Dictionary<string, string> { ["PATCHGEN_PATCH_DIR"] = folder });

        // Ledger.Format is not loaded yet: the patch waits for it, whole; Ledger.Calc alone keeps v1.
        var before = app.WaitFor(s => s.CalcV1 > 2000);
        Assert.Equal(0, before.CalcV2);

        // Loading Ledger.Format completes the patch's bases: it is enabled, both halves in one transition.
        app.Go();
        app.WaitFor(s => s.V2 > 1000);
        var list = CliRunner.Run("list", "--pid", app.PidText);
        Assert.Contains("ledger-cents  enabled  Ledger.Calc + Ledger.Format", list.StdOut);
        var stats = app.WaitFor(s => s.V2 > 2000);
        Assert.True(stats.Mixed == 0, "an answer showed one library's half of the fix without the other's: " + stats);
        Assert.True(stats.Errors == 0, stats.ToString());
    }

    [Fact]
    public void BuildAndInspectNameBothLibraries()
    {
        var inspect = CliRunner.Run("inspect", _ledger.PatchPath);
        Assert.Equal(0, inspect.ExitCode);
        Assert.Contains($"  patches:    Ledger.Calc, base MVID {_ledger.CalcMvid}\n              Ledger.Format, base MVID {_ledger.FormatMvid}\n", inspect.StdOut);
        Assert.Contains("M:Ledger.Format.Statement.InterestLine(System.Int64,System.Int32) (site 0 of Ledger.Format)", inspect.StdOut);
        Assert.Contains("for 2 assemblies, replacing 2 methods", _ledger.BuildOutput);
    }

    /// <summary>
    /// <c>--changed-only</c> (what PatchGen.Build passes for a baseline folder): the pair of the app, which the fix
    /// did not change, is no base; without it, that pair would be one (and, not patchable, fail the build).
    /// </summary>
    [Fact]
    public void ChangedOnlyLeavesAnUnchangedPairOut()
    {
        var output = Path.Combine(_ledger.Work, "changed-only.dll");
        string[] pairs =
        [
            "--base", Path.Combine(_ledger.V1, "Ledger.App.dll"), "--new", Path.Combine(_ledger.V2, "Ledger.App.dll"),
            "--base", Path.Combine(_ledger.V1, "Ledger.Calc.dll"), "--new", Path.Combine(_ledger.V2, "Ledger.Calc.dll"),
            "--base", Path.Combine(_ledger.V1, "Ledger.Format.dll"), "--new", Path.Combine(_ledger.V2, "Ledger.Format.dll"),
        ];

        var build = CliRunner.Run(["build", .. pairs, "-o", output, "--changed-only"]);
        var all = CliRunner.Run(["build", .. pairs, "-o", output + ".all.dll"]);

        Assert.True(build.ExitCode == 0, build.StdOut + build.StdErr);
        Assert.Contains("patch 'changed-only' for 2 assemblies", build.StdOut);
        Assert.DoesNotContain("Ledger.App", build.StdOut);
        Assert.NotEqual(0, all.ExitCode);
        Assert.Contains("Ledger.App.dll", all.StdOut + all.StdErr);
    }

    /// <summary>
    /// The kpatch-build flow from the app's project, the solution (.sln) or the two libraries named: the diff
    /// reaches both libraries, whose rebuilt and instrumented bases are byte for byte production's, so the patch
    /// binds to the same MVIDs.
    /// </summary>
    [Theory]
    [InlineData("Ledger.App/Ledger.App.csproj")]
    [InlineData("LedgerApp.sln")]
    [InlineData("Ledger.Calc/Ledger.Calc.csproj;Ledger.Format/Ledger.Format.csproj")]
    public void ProjectFlowBindsBothLibraries(string projects)
    {
        var fromProject = Path.Combine(_ledger.Work, "from-project-" + Guid.NewGuid().ToString("N")[..8] + ".dll");
        var arguments = new List<string> { "build" };
        foreach (var project in projects.Split(';'))
            arguments.AddRange(new[] { "--project", Path.Combine(Ledger.AppDirectory, project) });
        arguments.AddRange(new[] { "--source-root", Ledger.AppDirectory, "--diff", Ledger.FixPath, "-o", fromProject });

        var build = CliRunner.Run(arguments.ToArray());

        Assert.True(build.ExitCode == 0, build.StdOut + build.StdErr);
        Assert.Contains($"  Ledger.Calc (base MVID {_ledger.CalcMvid}): 1 method\n", build.StdOut);
        Assert.Contains($"  Ledger.Format (base MVID {_ledger.FormatMvid}): 1 method\n", build.StdOut);
    }

    /// <summary>Production (v1, both libraries instrumented) and the fixed build, and the patch built from them.</summary>
    public sealed class Ledger : IDisposable
    {
        private readonly ProjectPatchBuilder _builder;

        public Ledger()
        {
            _builder = new ProjectPatchBuilder(ProjectPath, new ProjectPatchBuilderOptions { SourceRoot = AppDirectory });
            Work = _builder.WorkDirectory;
            var v1 = Path.GetDirectoryName(_builder.BuildBase().AssemblyPath)!;
            var v2 = Path.GetDirectoryName(_builder.BuildPatched(FixPath).AssemblyPath)!;
            App = Path.Combine(v1, "Ledger.App.dll");
            V1 = v1;
            V2 = v2;
            foreach (var library in new[] { "Ledger.Calc.dll", "Ledger.Format.dll" })
                AssemblyInstrumenter.Instrument(Path.Combine(v1, library), Path.Combine(v1, library));
            CalcMvid = Mvid(Path.Combine(v1, "Ledger.Calc.dll"));
            FormatMvid = Mvid(Path.Combine(v1, "Ledger.Format.dll"));
            PatchPath = Path.Combine(Work, "ledger-cents.dll");
            var build = CliRunner.Run("build",
                "--base", Path.Combine(v1, "Ledger.Calc.dll"), "--new", Path.Combine(v2, "Ledger.Calc.dll"),
                "--base", Path.Combine(v1, "Ledger.Format.dll"), "--new", Path.Combine(v2, "Ledger.Format.dll"),
                "-o", PatchPath, "--id", "ledger-cents");
            Assert.True(build.ExitCode == 0, build.StdOut + build.StdErr);
            BuildOutput = build.StdOut;
            CumulativePatchPath = Path.Combine(Work, "ledger-cents-all.dll");
            var cumulative = CliRunner.Run("build",
                "--base", Path.Combine(v1, "Ledger.Calc.dll"), "--new", Path.Combine(v2, "Ledger.Calc.dll"),
                "--base", Path.Combine(v1, "Ledger.Format.dll"), "--new", Path.Combine(v2, "Ledger.Format.dll"),
                "-o", CumulativePatchPath, "--id", "ledger-cents-all", "--cumulative");
            Assert.True(cumulative.ExitCode == 0, cumulative.StdOut + cumulative.StdErr);
        }

        public static string AppDirectory => Path.Combine(Repository.TestData, "apps", "LedgerApp");

        public static string ProjectPath => Path.Combine(AppDirectory, "Ledger.App", "Ledger.App.csproj");

        public static string FixPath => Path.Combine(AppDirectory, "fixes", "cents-rounding.patch");

        public string Work { get; }

        /// <summary>The output folders of the two builds (v1's libraries made patchable).</summary>
        public string V1 { get; }

        public string V2 { get; }

        /// <summary>The production app, its libraries patchable, the runtime beside them.</summary>
        public string App { get; }

        public Guid CalcMvid { get; }

        public Guid FormatMvid { get; }

        public string PatchPath { get; }

        /// <summary>The same fix as a cumulative patch (<c>--cumulative</c>, ID ledger-cents-all): enabling it replaces every patch before it.</summary>
        public string CumulativePatchPath { get; }

        public string BuildOutput { get; }

        private static Guid Mvid(string path)
        {
            using var module = Mono.Cecil.ModuleDefinition.ReadModule(path);
            return module.Mvid;
        }

        public void Dispose() => _builder.Dispose();
    }
}
