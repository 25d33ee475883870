using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using PatchGen.Cli.Demo;
using PatchGen.Cli.Failures;
using PatchGen.Diagnostics;
using PatchGen.Emit;
using PatchGen.Instrumentation;
using PatchGen.SourcePatching;

namespace PatchGen.Cli;

/// <summary>
/// <c>patchgen demo</c>: what a new user runs first, end to end on real parts. It builds the
/// ShopService sample (v1) with <c>dotnet build</c> and makes it patchable, starts it as its own
/// process with PatchGen's runtime as a startup hook, builds the fix from a real bug-fix diff and the
/// patch from the two builds, puts the service under load, applies the patch live through the control
/// channel (the same path as <c>patchgen apply --pid</c>), shows the answers change with the process
/// never restarting and no request failing, then disables the patch and shows v1's answers again.
/// </summary>
internal static class DemoCommand
{
    private const string SampleRelativePath = "testdata/apps/ShopService/ShopService.csproj";

    /// <summary>Requests the load sends: quotes (no state changes), whose answers the pricing fixes change.</summary>
    private static readonly string[] LoadRequests =
    {
        "QUOTE MUG-001:1 coupon=SAVE10",
        "QUOTE BOOK-001:2,COFFEE-1:1",
        "QUOTE CABLE-01:10",
        "QUOTE MUG-001:20,MUG-001:20",
        "QUOTE MUG-001:3,BOOK-001:1 coupon=SAVE10",
    };

    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var app = new Option<string>("--app") { Description = "The sample: 'shop' (ShopService, a line protocol; the default) or 'web' (WebShop, an ASP.NET Core app on Kestrel under HTTP load).", DefaultValueFactory = _ => "shop" };
        app.AcceptOnlyFromAmong("shop", "web");
        var fix = new Option<string[]>("--fix") { Description = "The fix to apply live (a file name in the sample's fixes folder, without .patch). Shop: one, discount-rounding by default. Web: any number, each fix by default." };
        var keep = new Option<bool>("--keep") { Description = "Keep the temporary build folders and print where they are." };
        var clients = new Option<int>("--clients") { Description = "Concurrent clients of the load (default 4).", DefaultValueFactory = _ => 4 };
        var command = new Command("demo", "The end-to-end demonstration: build the sample service, run it under load, build a patch from a real bug-fix diff, apply it live, then disable it.")
        {
            app,
            fix,
            keep,
            clients,
        };
        command.SetAction(parse =>
        {
            var fixes = parse.GetValue(fix) ?? Array.Empty<string>();
            int clientCount = Math.Max(1, parse.GetValue(clients));
            if (parse.GetValue(app) == "web")
                return WebDemo.Run(fixes, parse.GetValue(keep), clientCount, stdout, stderr);
            if (fixes.Length > 1)
                throw CommandErrors.Usage("patchgen demo", "the shop demo applies one fix");
            return Run(fixes.Length == 1 ? fixes[0] : "discount-rounding", parse.GetValue(keep), clientCount, stdout, stderr);
        });
        return command;
    }

    private static int Run(string fixName, bool keep, int clients, TextWriter stdout, TextWriter stderr)
    {
        var project = SampleLocator.Find(SampleRelativePath)
            ?? throw CommandErrors.Input(SampleRelativePath, "not found above the current folder: run the demo from a clone of the PatchGen repository");
        var fixPath = Path.Combine(Path.GetDirectoryName(project)!, "fixes", fixName + ".patch");
        if (!File.Exists(fixPath))
            throw CommandErrors.Input(fixPath, "no such fix");

        var total = Stopwatch.StartNew();
        stdout.WriteLine("PatchGen demo: a service in production, a bug, a fix, and the fix going into the running process without a restart.");
        stdout.WriteLine();

        using var builder = new ProjectPatchBuilder(project, new ProjectPatchBuilderOptions { KeepWorkDirectory = keep });
        stdout.WriteLine("[1] Building ShopService v1, the build running in production (dotnet build -c Release)...");
        var v1 = builder.BuildBase();
        // The plain build, kept aside before instrumenting, for the throughput comparison of step [4].
        var plainPath = CopyPlainBuild(v1.AssemblyPath, Path.Combine(builder.WorkDirectory, "plain"));
        var sites = AssemblyInstrumenter.Instrument(v1.AssemblyPath, v1.AssemblyPath);
        stdout.WriteLine($"    built in {Seconds(v1.Duration)}, made patchable (patchgen instrument) in {Seconds(sites.Duration)}: {sites.Summary(Path.GetFileName(v1.AssemblyPath))}");
        var v1Answers = RunService(v1.AssemblyPath, LoadRequests);

        stdout.WriteLine();
        stdout.WriteLine("[2] Starting it: dotnet ShopService.dll serve, with DOTNET_STARTUP_HOOKS=PatchGen.Runtime.dll and DOTNET_RichDebugInfo=1 (no code change)...");
        using var service = ServiceProcess.Start(v1.AssemblyPath, controlDirectory: null);
        stdout.WriteLine($"    process {service.Pid} serves 127.0.0.1:{service.Port}; its control channel is open");

        stdout.WriteLine();
        stdout.WriteLine($"[3] Fix '{fixName}': building it from its diff and building the patch, while v1 serves...");
        var v2 = builder.BuildPatched(fixPath);
        var patchFile = Path.Combine(builder.WorkDirectory, "patches", fixName + ".dll");
        var built = PatchBuilder.Build(new PatchBuildOptions(v1.AssemblyPath, v2.AssemblyPath, patchFile) { PatchId = "shop-" + fixName });
        stdout.WriteLine($"    fix built in {Seconds(v2.Duration)}, patch in {Seconds(built.Duration)}:");
        foreach (var change in built.Diff.Changes)
            stdout.WriteLine($"      {change.KindName,-12} {change.Member}");
        foreach (var diagnostic in built.Diagnostics.Where(d => !IsAboutTheDemoBuild(d)))
            stdout.WriteLine("      " + diagnostic);
        if (built.OutputPath is null)
        {
            stdout.WriteLine(built.ExitCode == 1 ? "    verdict: NOT patchable under the simple model" : "    verdict: nothing to patch");
            stdout.WriteLine($"    process {service.Pid} keeps running v1, untouched. Done in {Seconds(total.Elapsed)}.");
            return ExitCodes.Success;
        }
        stdout.WriteLine($"    verdict: patchable; {Path.GetFileName(patchFile)} ({new FileInfo(patchFile).Length:N0} bytes) replaces {string.Join(", ", built.Replaced.Select(r => r.DocumentationId))}");
        var v2Answers = RunService(v2.AssemblyPath, LoadRequests);
        var expected = LoadRequests.Select((r, i) => (r, v1Answers[i], v2Answers[i])).ToList();
        // The load sends the requests whose answers the fix changes, so that every answer tells which
        // code ran; a fix that changes none of them (it is about orders or stock) still gets the whole load.
        if (expected.Any(e => e.Item2 != e.Item3))
            expected = expected.Where(e => e.Item2 != e.Item3).ToList();
        else
            stdout.WriteLine("    (the quotes the load sends get the same answers from the fix: this fix is not visible in them)");
        foreach (var (request, before, after) in expected.Where(e => e.Item2 != e.Item3))
        {
            stdout.WriteLine($"      {request}");
            stdout.WriteLine($"        v1:  {before}");
            stdout.WriteLine($"        fix: {after}");
        }

        stdout.WriteLine();
        stdout.WriteLine($"[4] What being patchable costs: the same load ({clients} clients sending quotes as fast as the service answers) on the plain v1 build and on process {service.Pid}, one at a time, in {InterleavedThroughput.Rounds} rounds of alternating half-second windows...");
        using var plain = ServiceProcess.Start(plainPath, controlDirectory: null, patchable: false);
        using var plainLoad = new LoadGenerator(plain.Port, clients, expected);
        using var load = new LoadGenerator(service.Port, clients, expected);
        var unpatched = InterleavedThroughput.Measure(plainLoad, load, Warmup);
        double plainRate = unpatched.BaselineRate, patchableRate = unpatched.OtherRate;
        var beforeApply = load.Snapshot();
        stdout.WriteLine($"    plain build (no instrumentation, no runtime): {plainRate:N0} requests/s");
        stdout.WriteLine($"    patchable build, process {service.Pid}: {patchableRate:N0} requests/s ({Percent(unpatched.MedianRatio)}, the median of the rounds), {load.Total:N0} answered so far, {beforeApply.V2:N0} of them with the fix's answers");

        stdout.WriteLine();
        stdout.WriteLine($"[5] patchgen apply {Path.GetFileName(patchFile)} --pid {service.Pid}");
        if (LiveSteps.Apply(service.Pid, patchFile, stdout, stderr) is not { } apply)
            return ExitCodes.RuntimeFailure;
        stdout.WriteLine($"    enabled in {apply.TotalMilliseconds:0} ms under load; every thread now runs the fix");
        var atEnable = load.Snapshot();
        Thread.Sleep(1500);
        var afterApply = load.Snapshot();
        stdout.WriteLine($"    next 1.5 s: {afterApply.V2 - atEnable.V2:N0} answers with the fix, {afterApply.V1 - atEnable.V1:N0} with v1's");
        var patched = InterleavedThroughput.Measure(plainLoad, load, PatchedWarmup);
        double patchedRate = patched.OtherRate;
        // The plain build's load is the yardstick: what it answered, and any failure (which would make the comparison
        // worthless), goes into the summary too.
        long plainAnswered = plainLoad.Total;
        var plainFailures = plainLoad.Failures.ToList();
        bool plainExited = plain.HasExited;
        plainLoad.Dispose();
        plain.Dispose();
        stdout.WriteLine($"    patched, against the plain build in {InterleavedThroughput.Rounds} more rounds: {patchedRate:N0} requests/s ({Percent(patched.MedianRatio)}; plain {patched.BaselineRate:N0}/s)");

        stdout.WriteLine();
        stdout.WriteLine($"[6] patchgen disable shop-{fixName} --pid {service.Pid}");
        if (LiveSteps.Disable(service.Pid, "shop-" + fixName, stdout, stderr) is not { } disable)
            return ExitCodes.RuntimeFailure;
        stdout.WriteLine($"    disabled in {disable.TotalMilliseconds:0} ms under load");
        var atDisable = load.Snapshot();
        Thread.Sleep(1000);
        var afterDisable = load.Snapshot();
        stdout.WriteLine($"    next 1 s: {afterDisable.V1 - atDisable.V1:N0} answers with v1's, {afterDisable.V2 - atDisable.V2:N0} with the fix");
        load.Dispose();

        stdout.WriteLine();
        stdout.WriteLine("Summary");
        stdout.WriteLine($"  process {service.Pid}: {(service.HasExited ? "EXITED" : "still running, never restarted")}");
        stdout.WriteLine($"  requests: {load.Total:N0} answered, {load.Failures.Count} failed or inconsistent");
        foreach (var failure in load.Failures.Take(5))
            stdout.WriteLine("    " + failure);
        stdout.WriteLine($"  the plain build's load (the yardstick): {plainAnswered:N0} answered, {plainFailures.Count} failed{(plainExited ? "; the plain process EXITED" : "")}");
        foreach (var failure in plainFailures.Take(5))
            stdout.WriteLine("    plain: " + failure);
        stdout.WriteLine($"  throughput, {clients} clients: plain {plainRate:N0}/s, patchable {patchableRate:N0}/s ({Percent(unpatched.MedianRatio)}), patched {patchedRate:N0}/s ({Percent(patched.MedianRatio)}); medians of {InterleavedThroughput.Rounds} interleaved rounds of half a second each, on one machine: docs/benchmarks.md has the long A/B runs");
        stdout.WriteLine($"  apply {apply.TotalMilliseconds:0} ms, disable {disable.TotalMilliseconds:0} ms; the whole demo {Seconds(total.Elapsed)}");
        if (keep)
            stdout.WriteLine("Build folders kept in " + builder.WorkDirectory);
        return load.Failures.Count == 0 && !service.HasExited ? ExitCodes.Success : ExitCodes.RuntimeFailure;
    }

    /// <summary>
    /// Diagnostics about how the demo's own builds were made (patch sites, symbols) rather than about the
    /// fix: the demo shows what the fix changes and whether it can be patched, and leaves these out.
    /// </summary>
    private static bool IsAboutTheDemoBuild(PatchDiagnostic diagnostic)
        => diagnostic.Id == DiagnosticCatalog.BaseNotPatchable.Id || diagnostic.Id == DiagnosticCatalog.NoSymbols.Id;

    private static readonly TimeSpan Warmup = TimeSpan.FromSeconds(3); // tiered compilation settles, for each build alone

    // The patch's code has run for the 1.5 s after the enable already.
    private static readonly TimeSpan PatchedWarmup = TimeSpan.FromSeconds(1);

    private static string Percent(double ratio)
        => double.IsNaN(ratio) ? "no plain figure: the plain build answered nothing" : ((ratio - 1) * 100).ToString("+0.0;-0.0", CultureInfo.InvariantCulture) + " % vs plain";

    /// <summary>Copies the build output folder of <paramref name="assemblyPath"/> to <paramref name="folder"/>; returns the copy of the assembly.</summary>
    private static string CopyPlainBuild(string assemblyPath, string folder)
    {
        var source = Path.GetDirectoryName(assemblyPath)!;
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(folder, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target, overwrite: true);
        }
        return Path.Combine(folder, Path.GetFileName(assemblyPath));
    }

    /// <summary>Runs the service once in <c>request</c> mode (a fresh process) and returns its answers, one per request.</summary>
    private static List<string> RunService(string assemblyPath, IEnumerable<string> requests)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(assemblyPath);
        start.ArgumentList.Add("request");
        foreach (var request in requests)
            start.ArgumentList.Add(request);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("cannot start dotnet");
        var output = process.StandardOutput.ReadToEndAsync();
        _ = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(1)))
        {
            process.Kill(entireProcessTree: true);
            throw new PatchGenException(PatchDiagnostic.Of(DiagnosticCatalog.InputUnreadable, assemblyPath, "the sample service did not finish within a minute"));
        }
        // Each line is "<request> => <answer>"; the line protocol answers with just the answer.
        return output.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.IndexOf(" => ", StringComparison.Ordinal) is int at and >= 0 ? line[(at + 4)..] : line)
            .ToList();
    }

    internal static string Seconds(TimeSpan time) => time.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + " s";
}
