using System.Diagnostics;
using PatchGen.Cli.Failures;
using PatchGen.Diagnostics;

namespace PatchGen.Cli.Demo;

/// <summary>
/// <c>patchgen demo --app web</c>: the ASP.NET Core sample (<see cref="WebSample"/>) in production on
/// Kestrel, made patchable and started with PatchGen's runtime as a startup hook; each fix built from
/// its diff into a patch while v1 serves; then, under HTTP load whose every answer is checked against
/// v1's and the fix's, each patch applied live through the control channel (the path of
/// <c>patchgen apply --pid</c>), its answers seen to switch, and disabled again. A fix of two projects is one
/// patch of both assemblies; a fix the tool refuses is shown with its diagnostic and skipped.
/// </summary>
internal static class WebDemo
{
    /// <summary>Load before each apply, so the process is warm and both answers are being checked.</summary>
    private static readonly TimeSpan Warmup = TimeSpan.FromSeconds(1);

    // After each transition the demo watches the load for a second, and longer (up to LongestWatch) until it has seen
    // FewestWatchedAnswers answers of the code the transition installed: a starved host (a CI machine running test
    // processes side by side) can answer nothing in one second, and "0 answers with the fix" would show nothing.

    /// <summary>How long the answers are watched after each apply and each disable, at least.</summary>
    private static readonly TimeSpan Watch = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan LongestWatch = TimeSpan.FromSeconds(15);
    private const long FewestWatchedAnswers = 20;

    public static int Run(IReadOnlyList<string> fixNames, bool keep, int clients, TextWriter stdout, TextWriter stderr)
    {
        var root = WebSample.Find()
            ?? throw CommandErrors.Input(WebSample.RelativeRoot, "not found above the current folder: run the demo from a clone of the PatchGen repository");
        using var sample = new WebSample(root, keep);
        var names = fixNames.Count > 0 ? fixNames : sample.FixNames;
        foreach (var name in names)
        {
            if (!File.Exists(sample.FixPath(name)))
                throw CommandErrors.Input(sample.FixPath(name), "no such fix");
        }

        var total = Stopwatch.StartNew();
        stdout.WriteLine("PatchGen demo, web: an ASP.NET Core app in production on Kestrel, bugs in a route handler, a class library and a background job, and their fixes going into the running process without a restart.");
        stdout.WriteLine();

        stdout.WriteLine("[1] Building WebShop v1: WebShop.Web and the libraries it references, WebShop.Domain and WebShop.Infrastructure (dotnet build -c Release)...");
        var (v1, instrumented) = sample.BuildBase();
        stdout.WriteLine($"    built in {DemoCommand.Seconds(v1.Duration)}, made patchable (patchgen instrument on each of the app's assemblies):");
        foreach (var (assembly, sites) in instrumented)
            stdout.WriteLine("      " + sites.Summary(assembly));

        stdout.WriteLine();
        stdout.WriteLine("[2] Starting it: dotnet WebShop.Web.dll --urls http://127.0.0.1:0, with DOTNET_STARTUP_HOOKS=PatchGen.Runtime.dll and DOTNET_RichDebugInfo=1 (no code change)...");
        using var service = ServiceProcess.Start(v1.AssemblyPath, controlDirectory: null, arguments: ServiceProcess.WebArguments);
        stdout.WriteLine($"    process {service.Pid} serves {service.BaseAddress} on Kestrel; its control channel is open");
        var v1Answers = WebSample.AnswersOf(service);

        stdout.WriteLine();
        stdout.WriteLine($"[3] The fixes ({WebSample.RelativeRoot}/fixes), each built from its diff with its patch, while v1 serves...");
        var patchable = new List<(WebFix Fix, IReadOnlyList<(string Request, string V1, string V2)> Expected)>();
        var skipped = new List<WebFix>();
        foreach (var name in names)
        {
            var fix = sample.BuildFix(name);
            stdout.WriteLine($"    '{name}' changes {string.Join(" and ", fix.Projects.Select(p => Path.GetFileNameWithoutExtension(p)))}:");
            if (!Describe(fix, stdout))
            {
                skipped.Add(fix);
                continue;
            }
            var pairs = WebSample.Expected(v1Answers, fix);
            foreach (var (request, before, after) in pairs.Where(p => p.Item2 != p.Item3))
            {
                stdout.WriteLine($"        {request}");
                stdout.WriteLine($"          v1:  {before}");
                stdout.WriteLine($"          fix: {after}");
            }
            patchable.Add((fix, pairs));
        }

        stdout.WriteLine();
        stdout.WriteLine($"[4] Live, under HTTP load: {clients} HttpClient clients on keep-alive connections, every answer checked against v1's and the fix's...");
        long requests = 0;
        var failures = new List<string>();
        var timings = new List<string>();
        foreach (var (fix, expected) in patchable)
        {
            using var load = new LoadGenerator(service.BaseAddress, clients, expected);
            Thread.Sleep(Warmup);
            stdout.WriteLine($"    patchgen apply {Path.GetFileName(fix.PatchPath)} --pid {service.Pid}");
            var apply = LiveSteps.Apply(service.Pid, fix.PatchPath!, stdout, stderr);
            var (seen, afterApply, applyWatched) = Watched(load, (before, after) => after.V2 - before.V2);
            stdout.WriteLine($"      {Outcome(apply, "enabled")}; next {DemoCommand.Seconds(applyWatched)}: {afterApply.V2 - seen.V2:N0} answers with the fix, {afterApply.V1 - seen.V1:N0} with v1's");
            stdout.WriteLine($"    patchgen disable {fix.PatchId} --pid {service.Pid}");
            var disable = apply is null ? null : LiveSteps.Disable(service.Pid, fix.PatchId, stdout, stderr);
            var (atDisable, afterDisable, disableWatched) = Watched(load, (before, after) => after.V1 - before.V1);
            stdout.WriteLine($"      {Outcome(disable, "disabled")}; next {DemoCommand.Seconds(disableWatched)}: {afterDisable.V1 - atDisable.V1:N0} answers with v1's, {afterDisable.V2 - atDisable.V2:N0} with the fix");
            load.Dispose();
            requests += load.Total;
            failures.AddRange(load.Failures.Select(f => $"{fix.Name}: {f}"));
            timings.Add($"{fix.Name} apply {Millis(apply)}, disable {Millis(disable)}");
            if (apply is null || disable is null)
                return Summary(service, requests, failures, timings, skipped, total, keep ? sample.WorkDirectory : null, stdout, completed: false);
        }
        return Summary(service, requests, failures, timings, skipped, total, keep ? sample.WorkDirectory : null, stdout, completed: true);
    }

    /// <summary>Prints what the fix changes and its verdict; returns whether a patch was written.</summary>
    private static bool Describe(WebFix fix, TextWriter stdout)
    {
        if (fix.Refusal is { } refusal)
        {
            // The line 'patchgen build --project' prints for it.
            var line = new StringWriter();
            FailureReport.WriteError(line, refusal);
            stdout.WriteLine("      " + line.ToString().TrimEnd());
            stdout.WriteLine("      verdict: refused; a patch covers one assembly today (multi-assembly patches will carry such a fix in one transition)");
            return false;
        }
        var built = fix.Patch!;
        foreach (var change in built.Diff.Changes)
            stdout.WriteLine($"      {change.KindName,-12} {change.Member}");
        foreach (var diagnostic in built.Diagnostics.Where(d => d.Id != DiagnosticCatalog.NoSymbols.Id))
            stdout.WriteLine("      " + diagnostic);
        if (built.OutputPath is null)
        {
            stdout.WriteLine(built.ExitCode == 1 ? "      verdict: NOT patchable under the simple model" : "      verdict: nothing to patch");
            return false;
        }
        stdout.WriteLine($"      verdict: patchable; {Path.GetFileName(built.OutputPath)} ({new FileInfo(built.OutputPath).Length:N0} bytes) replaces {string.Join(", ", built.Replaced.Select(r => r.DocumentationId))}");
        return true;
    }

    /// <summary>The load's answers over at least <see cref="Watch"/>, longer until <paramref name="installed"/> counts enough of them.</summary>
    private static ((long V1, long V2) Before, (long V1, long V2) After, TimeSpan Watched) Watched(
        LoadGenerator load, Func<(long V1, long V2), (long V1, long V2), long> installed)
    {
        var before = load.Snapshot();
        var clock = Stopwatch.StartNew();
        Thread.Sleep(Watch);
        while (installed(before, load.Snapshot()) < FewestWatchedAnswers && clock.Elapsed < LongestWatch)
            Thread.Sleep(50);
        return (before, load.Snapshot(), clock.Elapsed);
    }

    private static string Outcome(TimeSpan? transition, string verb)
        => transition is { } done ? $"{verb} in {done.TotalMilliseconds:0} ms under load" : "the transition did not complete within 30 s";

    private static string Millis(TimeSpan? time) => time is { } t ? $"{t.TotalMilliseconds:0} ms" : "not completed";

    private static int Summary(ServiceProcess service, long requests, List<string> failures, List<string> timings, List<WebFix> skipped,
        Stopwatch total, string? keptIn, TextWriter stdout, bool completed)
    {
        stdout.WriteLine();
        stdout.WriteLine("Summary");
        stdout.WriteLine($"  process {service.Pid}: {(service.HasExited ? "EXITED" : "still running, never restarted")}");
        stdout.WriteLine($"  fixes applied live and disabled: {timings.Count}{(timings.Count > 0 ? " (" + string.Join("; ", timings) + ")" : "")}");
        foreach (var fix in skipped)
            stdout.WriteLine($"  skipped: {fix.Name} ({fix.Refusal?.Id ?? "not patchable"})");
        stdout.WriteLine($"  requests: {requests:N0} answered over HTTP, {failures.Count} failed or inconsistent");
        foreach (var failure in failures.Take(5))
            stdout.WriteLine("    " + failure);
        stdout.WriteLine($"  the whole demo {DemoCommand.Seconds(total.Elapsed)}");
        if (keptIn is not null)
            stdout.WriteLine("Build folders kept in " + keptIn);
        return completed && failures.Count == 0 && !service.HasExited ? ExitCodes.Success : ExitCodes.RuntimeFailure;
    }
}
