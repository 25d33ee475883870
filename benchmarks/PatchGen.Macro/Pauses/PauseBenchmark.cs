using System.Diagnostics;
using System.Globalization;
using PatchGen.Macro.InProcess;

namespace PatchGen.Macro.Pauses;

/// <summary>
/// The <c>pauses</c> command (issue 11: "no stop-the-world pause of managed threads longer than a GC pause"): a
/// child process runs the instrumented ShopService under busy threads and enables, disables and unloads its patch
/// many times (<see cref="PausesChild"/>), while this process records the child's runtime suspensions over
/// EventPipe (<see cref="SuspensionRecorder"/>); the pauses are paired (<see cref="SuspensionPairing"/>) and
/// reported by reason and by when (<see cref="PauseReport"/>). One child per stack-snapshot way (<c>--ways</c>:
/// <c>default</c>, or <c>server</c> = <c>PATCHGEN_STACK_SNAPSHOT=server</c>, which runtimes without file sessions
/// ignore).
/// </summary>
internal static class PauseBenchmark
{
    public const int DefaultThreads = 8;
    public const int DefaultCycles = 40;

    public static int Run(HarnessOptions options, string workDirectory, TextWriter output)
    {
        var shop = Path.Combine(workDirectory, ShopServiceWorkload.Name);
        ShopServiceWorkload.Prepare(workDirectory, options.Fix, output);
        var reports = new List<PauseReport>();
        foreach (var way in options.Ways.Count == 0 ? ["default"] : options.Ways)
        {
            string loadBefore = MachineDescription.LoadAverage();
            var report = RunChild(options, shop, way, Path.Combine(workDirectory, $"pauses-{way}.tsv"), output);
            output.WriteLine($"  [{way}] load average {loadBefore} → {MachineDescription.LoadAverage()}");
            reports.Add(report);
        }
        output.WriteLine();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Pauses of the child's managed threads, GCSuspendEEBegin → GCRestartEEEnd, recorded out of process over EventPipe. {options.Threads ?? DefaultThreads} busy threads on the instrumented ShopService; {options.Rounds ?? (options.Quick ? 5 : DefaultCycles)} cycles of enable + WaitForTransition, disable + WaitForTransition, unload, each followed by {PausesChild.Gap.TotalMilliseconds:0} ms without operations."));
        output.WriteLine();
        foreach (var report in reports)
            report.Write(output);
        output.WriteLine("Command: " + options.CommandLine(withSeed: false));
        return 0;
    }

    /// <summary>Runs one child; the raw events and marks go to <paramref name="eventsFile"/> (tab-separated, kept with <c>--work</c>).</summary>
    private static PauseReport RunChild(HarnessOptions options, string shop, string way, string eventsFile, TextWriter output)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { typeof(PauseBenchmark).Assembly.Location, "pauses-child", shop, "--fix", options.Fix })
            start.ArgumentList.Add(arg);
        if (options.Quick) start.ArgumentList.Add("--quick");
        if (options.Rounds is int rounds) { start.ArgumentList.Add("--rounds"); start.ArgumentList.Add(rounds.ToString(CultureInfo.InvariantCulture)); }
        if (options.Threads is int threads) { start.ArgumentList.Add("--threads"); start.ArgumentList.Add(threads.ToString(CultureInfo.InvariantCulture)); }
        // As the docs ask of a patchable service (docs/consistency-model.md, "Limits").
        start.Environment["DOTNET_RichDebugInfo"] = "1";
        start.Environment.Remove("PATCHGEN_STACK_SNAPSHOT");
        if (way != "default")
            start.Environment["PATCHGEN_STACK_SNAPSHOT"] = way;

        using var child = Process.Start(start) ?? throw new InvalidOperationException("cannot start the pauses child");
        try
        {
            Expect(child, "ready", way, output);
            using var recorder = new SuspensionRecorder(child.Id);
            child.StandardInput.WriteLine("go");
            Expect(child, "done", way, output);
            var (events, marks, lost) = recorder.Stop(TimeSpan.FromSeconds(60));
            child.StandardInput.WriteLine("exit");
            if (!child.WaitForExit(TimeSpan.FromSeconds(30)))
                throw new TimeoutException("the pauses child did not exit");
            if (child.ExitCode != 0)
                throw new InvalidOperationException($"the pauses child exited with {child.ExitCode}");
            File.WriteAllLines(eventsFile,
                events.Select(e => string.Create(CultureInfo.InvariantCulture, $"{e.TimeMs:0.000}\t{e.Kind}\t{e.Reason}\t{e.Generation}\t{e.ThreadId}"))
                    .Concat(marks.Select(m => string.Create(CultureInfo.InvariantCulture, $"{m.TimeMs:0.000}\t{(m.Began ? "Began" : "Ended")}\t{m.Operation}\t{m.Cycle}\t0"))));
            return new PauseReport(way, SuspensionPairing.Pair(events), marks, lost);
        }
        finally
        {
            if (!child.HasExited)
                child.Kill(entireProcessTree: true);
        }
    }

    /// <summary>Copies the child's lines to the output until <paramref name="line"/>; its standard error goes to ours.</summary>
    private static void Expect(Process child, string line, string way, TextWriter output)
    {
        while (child.StandardOutput.ReadLine() is { } read)
        {
            if (read == line)
                return;
            output.WriteLine($"  [{way}] {read}");
        }
        throw new InvalidOperationException($"the pauses child ended before printing '{line}' (exit code {(child.HasExited ? child.ExitCode : -1)})");
    }
}
