using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using PatchGen.Diagnostics;
using PatchGen.Diff;
using PatchGen.Emit;
using PatchGen.Instrumentation;
using PatchGen.SourcePatching;

namespace PatchGen.Cli;

/// <summary>
/// <c>patchgen demo</c>: what a new user runs first. It takes the ShopService sample as it runs in
/// "production" (v1), builds it with real <c>dotnet build</c>, and for each real bug-fix diff in
/// <c>testdata/apps/ShopService/fixes</c> builds the fixed service, shows what the fix changes in the
/// service's answers, classifies the change (patchable or not, and why) and, when it is patchable,
/// writes the patch assembly. Applying it to the separately running service comes with apply --pid.
/// </summary>
internal static class DemoCommand
{
    private const string SampleRelativePath = "testdata/apps/ShopService/ShopService.csproj";

    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var fix = new Option<string?>("--fix") { Description = "Run only this fix (a file name in testdata/apps/ShopService/fixes, without .patch)." };
        var keep = new Option<bool>("--keep") { Description = "Keep the temporary build folders and print where they are." };
        var command = new Command("demo", "The end-to-end demonstration: build the ShopService sample, build each real bug fix, show its effect and whether it can be live-patched.")
        {
            fix,
            keep,
        };
        command.SetAction(parse => Run(parse.GetValue(fix), parse.GetValue(keep), stdout, stderr));
        return command;
    }

    private static int Run(string? onlyFix, bool keep, TextWriter stdout, TextWriter stderr)
    {
        var project = FindSample();
        if (project is null)
        {
            PatchGenCommandLine.WriteError(stderr, PatchDiagnostic.Create(DiagnosticCatalog.InputUnreadable, null, null,
                SampleRelativePath, "not found above the current folder: run the demo from a clone of the PatchGen repository"));
            return ExitCodes.InputError;
        }
        var fixesDir = Path.Combine(Path.GetDirectoryName(project)!, "fixes");
        var fixes = Directory.GetFiles(fixesDir, "*.patch").OrderBy(f => f, StringComparer.Ordinal).ToList();
        if (onlyFix != null)
        {
            fixes = fixes.Where(f => Path.GetFileNameWithoutExtension(f) == onlyFix).ToList();
            if (fixes.Count == 0)
            {
                PatchGenCommandLine.WriteError(stderr, PatchDiagnostic.Create(DiagnosticCatalog.InputUnreadable, null, null,
                    Path.Combine(fixesDir, onlyFix + ".patch"), "no such fix"));
                return ExitCodes.InputError;
            }
        }

        var total = Stopwatch.StartNew();
        stdout.WriteLine("PatchGen demo: a service in production, a bug, a fix, and the question every on-call engineer asks:");
        stdout.WriteLine("can this fix go into the running process without a restart?");
        stdout.WriteLine();

        using var builder = new ProjectPatchBuilder(project, new ProjectPatchBuilderOptions { KeepWorkDirectory = keep });
        stdout.WriteLine($"[1] Building ShopService v1, the build running in production (dotnet build -c Release)...");
        var v1 = builder.BuildBase();
        stdout.WriteLine($"    built in {Seconds(v1.Duration)}: {v1.AssemblyPath}");
        // Production runs the patchable build: instrument v1 in place (its deps.json gains the runtime),
        // run the service from it, and diff every fix against it: the diff sees through the patch sites.
        var plainAnswers = RunService(v1.AssemblyPath);
        var sites = AssemblyInstrumenter.Instrument(v1.AssemblyPath, v1.AssemblyPath);
        stdout.WriteLine($"    made patchable (patchgen instrument) in {Seconds(sites.Duration)}: {sites.Summary(Path.GetFileName(v1.AssemblyPath))}");
        var v1Answers = RunService(v1.AssemblyPath);
        stdout.WriteLine(v1Answers.SequenceEqual(plainAnswers)
            ? $"    the instrumented v1 answers its {v1Answers.Count} sample requests exactly as the plain build does."
            : "    WARNING: the instrumented v1 answers differently from the plain build.");
        stdout.WriteLine();

        var summary = new List<(string Fix, string Verdict, string Detail)>();
        int step = 2;
        foreach (var patchPath in fixes)
        {
            var name = Path.GetFileNameWithoutExtension(patchPath);
            stdout.WriteLine($"[{step++}] Fix '{name}' ({Path.GetRelativePath(Environment.CurrentDirectory, patchPath)})");
            ProjectBuild v2;
            try
            {
                v2 = builder.BuildPatched(patchPath);
            }
            catch (PatchGenException e)
            {
                stdout.WriteLine("    the fix could not be built: " + e.Diagnostic.Message);
                summary.Add((name, "error", e.Diagnostic.Id));
                continue;
            }
            stdout.WriteLine($"    applied and built in {Seconds(v2.Duration)}");

            var v2Answers = RunService(v2.AssemblyPath);
            var changed = v1Answers.Zip(v2Answers).Where(p => p.First != p.Second).ToList();
            if (changed.Count == 0)
                stdout.WriteLine("    the sample requests get the same answers");
            foreach (var (before, after) in changed)
            {
                stdout.WriteLine("    before: " + before);
                stdout.WriteLine("    after:  " + after);
            }

            var buildTime = Stopwatch.StartNew();
            var patchFile = Path.Combine(builder.WorkDirectory, "patches", name + ".dll");
            var built = PatchBuilder.Build(new PatchBuildOptions(v1.AssemblyPath, v2.AssemblyPath, patchFile) { PatchId = "shop-" + name });
            stdout.WriteLine($"    patchgen build in {Seconds(buildTime.Elapsed)}:");
            foreach (var change in built.Diff.Changes)
                stdout.WriteLine($"      {change.KindName,-12} {change.Member}");
            foreach (var diagnostic in built.Diagnostics.Where(d => d.Id is not ("PG0003" or "PG0004")))
                stdout.WriteLine("      " + diagnostic);
            var verdict = built.ExitCode switch
            {
                0 => "patchable",
                1 => "NOT patchable",
                _ => "nothing to patch",
            };
            stdout.WriteLine($"    verdict: {verdict}");
            if (built.OutputPath is not null)
            {
                var size = new FileInfo(built.OutputPath).Length;
                stdout.WriteLine($"    patch written: {Path.GetRelativePath(builder.WorkDirectory, built.OutputPath)} ({size:N0} bytes), bound to v1's MVID {built.Diff.Base.Mvid},");
                stdout.WriteLine($"    replacing {string.Join(", ", built.Replaced.Select(r => r.DocumentationId + " (site " + r.Site + ")"))}");
            }
            stdout.WriteLine();
            var ids = built.Diagnostics.Where(d => d.Id is not ("PG0003" or "PG0004")).Select(d => d.Id).Distinct();
            summary.Add((name, verdict, string.Join(" ", ids)));
        }

        stdout.WriteLine("Summary");
        int width = Math.Max(4, summary.Count == 0 ? 0 : summary.Max(s => s.Fix.Length));
        foreach (var (fixName, verdict, detail) in summary)
            stdout.WriteLine($"  {fixName.PadRight(width)}  {verdict,-16}  {detail}");
        stdout.WriteLine();
        stdout.WriteLine("Every build above is real (dotnet build, Release), v1 runs instrumented, and each patchable fix was emitted as a");
        stdout.WriteLine("patch assembly bound to v1's exact build. Applying a patch to a separate running process (patchgen apply --pid)");
        stdout.WriteLine("is the next step of the product; in-process application is exercised by the test suite (PatchGen.Emit.Tests).");
        if (keep)
            stdout.WriteLine("Build folders kept in " + builder.WorkDirectory);
        stdout.WriteLine($"Done in {Seconds(total.Elapsed)}.");
        return summary.Any(s => s.Verdict == "error") ? ExitCodes.InputError : ExitCodes.Success;
    }

    /// <summary>Runs the service's built-in sample session (no arguments) and returns its answers, one per request.</summary>
    private static List<string> RunService(string assemblyPath)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(assemblyPath);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("cannot start dotnet");
        var output = process.StandardOutput.ReadToEndAsync();
        _ = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(1)))
        {
            process.Kill(entireProcessTree: true);
            throw new PatchGenException(PatchDiagnostic.Create(DiagnosticCatalog.InputUnreadable, null, null, assemblyPath, "the sample service did not finish within a minute"));
        }
        return output.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
    }

    /// <summary>The sample, found by walking up from the current folder and from the tool's own folder.</summary>
    private static string? FindSample()
    {
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir != null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, SampleRelativePath);
                if (File.Exists(candidate))
                    return candidate;
            }
        }
        return null;
    }

    private static string Seconds(TimeSpan time) => time.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + " s";
}
