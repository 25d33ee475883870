using System.Globalization;

namespace PatchGen.Macro.Stack;

/// <summary>
/// The <c>stack</c> command: how deep the plain and the instrumented copy of each method of
/// PatchGen.Macro.Recursion can recurse on a 1 MiB thread, at its first calls and after tier-up. Each figure
/// comes from child processes (<see cref="StackChild"/>): a probe of the stack bytes per frame, and (not with
/// <c>--quick</c>) the largest depth that does not overflow, found by bisection between depths that do and do not.
/// </summary>
internal static class StackDepthMeasurement
{
    private static readonly string[] Phases = ["first", "tiered"];

    public static int Run(HarnessOptions options, string workDirectory, TextWriter output)
    {
        var directory = Path.Combine(workDirectory, "stack");
        var instrumented = InProcess.LibraryCopies.Prepare(HarnessPaths.RecursionDll, directory);
        var builds = new[] { ("plain", InProcess.LibraryCopies.PlainPath(directory, Path.GetFileName(HarnessPaths.RecursionDll))), ("instrumented", instrumented) };
        bool bisect = !options.Quick;

        output.WriteLine();
        output.WriteLine($"Recursion on a thread with a {StackChild.StackSize / 1024} KiB stack, one child process per measurement. Goal: instrumented ≥ 90% of plain.");
        output.WriteLine();
        output.WriteLine("| method | calls | plain bytes/frame | instrumented bytes/frame | plain max depth | instrumented max depth | instrumented / plain |");
        output.WriteLine("|---|---|---:|---:|---:|---:|---:|");
        foreach (var method in RecursionTarget.Methods)
        {
            foreach (var phase in Phases)
            {
                var perFrame = builds.Select(b => Probe(b.Item2, method, phase)).ToArray();
                string depthCells, ratio;
                if (bisect)
                {
                    var depths = builds.Select((b, i) => MaxDepth(b.Item2, method, phase, perFrame[i])).ToArray();
                    depthCells = $"{depths[0]:N0} | {depths[1]:N0}";
                    ratio = ((double)depths[1] / depths[0]).ToString("P0", CultureInfo.InvariantCulture);
                }
                else
                {
                    depthCells = "– | –";
                    ratio = (perFrame[0] / perFrame[1]).ToString("P0", CultureInfo.InvariantCulture) + " (from bytes/frame)";
                }
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {method} | {(phase == "first" ? "first calls (tier 0)" : "after tier-up")} | {perFrame[0]:0.0} | {perFrame[1]:0.0} | {depthCells} | {ratio} |"));
            }
        }
        output.WriteLine();
        output.WriteLine("Countdown: `depth == 0 ? atBottom() : Countdown(depth - 1, atBottom) + 1`; ParseNested: a recursive-descent parse of `[[[...*...]]]`, one frame per level, a few locals and a loop.");
        output.WriteLine(bisect
            ? "Max depth: the largest depth that returns, found by bisection to within 0.5% (a depth that overflows kills its child process)."
            : "--quick: bytes per frame only; the max depth bisection is skipped.");
        foreach (var (dll, hung) in Hangs)
            output.WriteLine($"Hung instead of aborting (counted as overflowing), {(dll == instrumented ? "instrumented" : "plain")}: {string.Join("; ", hung)}.");
        foreach (var (dll, died) in Segfaults)
            output.WriteLine($"SIGSEGV instead of the overflow abort (counted as overflowing), {(dll == instrumented ? "instrumented" : "plain")}: {string.Join("; ", died)}.");
        output.WriteLine();
        output.WriteLine("Command: " + options.CommandLine(withSeed: false));
        return 0;
    }

    private static double Probe(string dll, string method, string phase)
    {
        var result = Child("probe", dll, method, phase);
        var line = result.StandardOutput.Split('\n').FirstOrDefault(l => l.StartsWith("bytes-per-frame=", StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"stack probe {method} {phase} failed ({result.ExitCode}): {Clip(result.StandardError)}");
        return double.Parse(line["bytes-per-frame=".Length..], CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Bisection between a depth that returns and one that overflows. The probe's estimate (the whole stack divided
    /// by the bytes per frame) is an upper bound, since the thread's first frames and the guard take some of it,
    /// and usually within a few percent, so the bracket starts narrow; it widens if that is wrong.
    /// </summary>
    private static int MaxDepth(string dll, string method, string phase, double bytesPerFrame)
    {
        int estimate = (int)(StackChild.StackSize / bytesPerFrame);
        int ok = (int)(estimate * 0.85), overflow = estimate + 1;
        while (!Returns(dll, method, phase, ok))
            ok /= 2;
        while (Returns(dll, method, phase, overflow))
            overflow *= 2;
        while (overflow - ok > Math.Max(1, ok / 200))
        {
            int mid = ok + ((overflow - ok) / 2);
            if (Returns(dll, method, phase, mid))
                ok = mid;
            else
                overflow = mid;
        }
        return ok;
    }

    /// <summary>Children that neither returned nor aborted in time, by build file: counted as not returning.</summary>
    private static readonly Dictionary<string, List<string>> Hangs = new();

    /// <summary>Children killed by SIGSEGV rather than the runtime's overflow abort, by build file: counted as not returning.</summary>
    private static readonly Dictionary<string, List<string>> Segfaults = new();

    private static void Note(Dictionary<string, List<string>> notes, string dll, string what)
    {
        if (!notes.TryGetValue(dll, out var list))
            notes[dll] = list = new List<string>();
        list.Add(what);
    }

    private static bool Returns(string dll, string method, string phase, int depth)
    {
        ProcessRunner.Result result;
        try
        {
            result = Child("depth", dll, method, phase, depth.ToString(CultureInfo.InvariantCulture));
        }
        catch (TimeoutException)
        {
            // A thread that overflows inside the runtime's own native code (the JIT, or an event being written)
            // can leave the runtime's overflow handling waiting for a lock that thread holds: the process hangs
            // instead of aborting. Seen only within a few frames of the limit, in either build; it did not return.
            Note(Hangs, dll, $"{method} {phase} {depth:N0}");
            return false;
        }
        if (result.ExitCode == 0 && result.StandardOutput.Contains("ok", StringComparison.Ordinal))
            return true;
        if (result.StandardError.Contains("Stack overflow", StringComparison.OrdinalIgnoreCase))
            return false;
        if (result.ExitCode == 139)
        {
            // SIGSEGV with nothing printed: the overflow hit native code (the JIT, the runtime's helpers) where the
            // runtime cannot turn it into its "Stack overflow" abort. Seen in both builds within a few frames of the limit.
            Note(Segfaults, dll, $"{method} {phase} {depth:N0}");
            return false;
        }
        throw new InvalidOperationException($"stack child {method} {phase} depth {depth} failed without a stack overflow ({result.ExitCode}): {Clip(result.StandardError)}");
    }

    private static ProcessRunner.Result Child(params string[] args)
        => ProcessRunner.Run("dotnet", [typeof(StackChild).Assembly.Location, "stack-child", .. args],
            // No crash dump or report for the expected overflows.
            environment: new Dictionary<string, string> { ["DOTNET_DbgEnableMiniDump"] = "0", ["DOTNET_EnableCrashReport"] = "0" },
            timeout: TimeSpan.FromSeconds(20));

    private static string Clip(string s) => s.Length <= 500 ? s : s[..500] + "...";
}
