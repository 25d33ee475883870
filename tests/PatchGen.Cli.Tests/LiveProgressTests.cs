using System.Diagnostics;
using System.Globalization;
using PatchGen.Emit;
using PatchGen.Instrumentation;
using PatchGen.Runtime;
using PatchGen.TestSupport;

namespace PatchGen.Cli.Tests;

/// <summary>
/// What <c>patchgen apply</c> shows while a transition cannot complete: a child process (a console app with the
/// runtime as its startup hook) has a thread sitting inside the old version of a patched function, and the command
/// names that thread and function, gives up after <c>--timeout</c> with PG4001 and exit 4, and <c>patchgen force</c>
/// then completes the transition (PG4002).
/// </summary>
/// <remarks>
/// A child, not this test process: the test host runs dozens of other tests at once, and on a loaded CI machine its
/// stack snapshots (every thread suspended, every stack walked) took tens of seconds, past the CLI's 30 s per answer.
/// </remarks>
[Collection(RealDotnetBuilds.Name)]
public class LiveProgressTests
{
    private const string V1 = """
        namespace Stuck;
        public static class Worker
        {
            public static readonly System.Threading.ManualResetEventSlim Entered = new(false);
            public static readonly System.Threading.ManualResetEventSlim Gate = new(false);
            public static string Work() { Entered.Set(); Gate.Wait(); return "v1"; }
        }
        """;

    private static readonly string V2 = V1.Replace("return \"v1\";", "return \"v2\";", StringComparison.Ordinal);

    /// <summary>Starts a thread named 'stuck-worker' inside <c>Work</c>, says "ready", and on a line from the test opens the gate.</summary>
    private const string App = """
        public static class Program
        {
            public static int Main()
            {
                string result = "none";
                var worker = new System.Threading.Thread(() => result = Stuck.Worker.Work()) { Name = "stuck-worker", IsBackground = true };
                worker.Start();
                Stuck.Worker.Entered.Wait();
                System.Console.WriteLine("ready");
                System.Console.In.ReadLine();
                Stuck.Worker.Gate.Set();
                worker.Join();
                System.Console.WriteLine("worker " + result);
                System.Console.WriteLine("now " + Stuck.Worker.Work());
                return 0;
            }
        }
        """;

    [Fact]
    public void ApplyNamesTheThreadsStillInOldCodeTimesOutAndForceCompletes()
    {
        var work = InlineAssembly.TempDirectory("live-progress");
        var plain = InlineAssembly.Compile(Path.Combine(work, "v1"), "Stuck.Live", V1);
        var fixedBuild = InlineAssembly.Compile(Path.Combine(work, "v2"), "Stuck.Live", V2);
        var appFolder = Path.Combine(work, "app");
        var patchable = Path.Combine(appFolder, "Stuck.Live.dll");
        AssemblyInstrumenter.Instrument(plain, patchable, new InstrumentOptions { CopyRuntime = false });
        var patch = Path.Combine(work, "stuck-fix.dll");
        Assert.Equal(0, PatchBuilder.Build(new PatchBuildOptions(patchable, fixedBuild, patch) { PatchId = "stuck-fix" }).ExitCode);
        var app = ConsoleApp.Compile(appFolder, "StuckApp", App, patchable);

        using var process = ConsoleApp.StartWithHook(app, typeof(PatchRuntime).Assembly.Location, controlDirectory: null);
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            Assert.True(ReadLine(process) == "ready", "the app did not start: " + Ended(process, stderr));
            var pid = process.Id.ToString(CultureInfo.InvariantCulture);

            // The transition never completes while the worker waits at the gate: the command waits its timeout out.
            var apply = CliRunner.Run("apply", patch, "--pid", pid, "--timeout", "15");
            Assert.True(apply.ExitCode == 4, $"exit {apply.ExitCode}\n{apply.StdOut}\n{apply.StdErr}");
            // The worker entered Work before the patch existed: the runtime knows it from the snapshot, by OS thread ID.
            Assert.Matches(@"waiting for 1 thread still running old code: (OS thread \d+|thread \d+) 'stuck-worker' in M:Stuck\.Worker\.Work", apply.StdOut);
            Assert.Contains("patchgen: warning PG4001", apply.StdErr);
            Assert.DoesNotContain("warning warning", apply.StdErr);
            Assert.Contains("Transition: enabling 'stuck-fix'", CliRunner.Run("list", "--pid", pid).StdOut);

            var force = CliRunner.Run("force", "--pid", pid);
            Assert.True(force.ExitCode == 0, force.StdOut + force.StdErr);
            Assert.Contains("patchgen: warning PG4002", force.StdErr);
            Assert.DoesNotContain("warning warning", force.StdErr);
            Assert.Contains("No transition in progress.", CliRunner.Run("list", "--pid", pid).StdOut);

            process.StandardInput.WriteLine("go");
            // It was already running v1's body; forcing does not rewrite a running frame. A new call runs v2.
            Assert.Equal("worker v1", ReadLine(process));
            Assert.Equal("now v2", ReadLine(process));
            Assert.True(process.WaitForExit(30_000), "the app did not exit");
            Assert.True(process.ExitCode == 0, Ended(process, stderr));
        }
        finally
        {
            if (!process.HasExited)
                process.Kill(entireProcessTree: true);
        }
    }

    /// <summary>A line of the app's output, or null if none comes within 60 s (bounded: the app may hang or die).</summary>
    private static string? ReadLine(Process process)
    {
        var line = process.StandardOutput.ReadLineAsync();
        return line.Wait(TimeSpan.FromSeconds(60)) ? line.Result : null;
    }

    private static string Ended(Process process, Task<string> stderr)
        => process.HasExited ? $"exit {process.ExitCode}: {(stderr.Wait(TimeSpan.FromSeconds(5)) ? stderr.Result : "")}" : "still running";
}
