using System.Diagnostics;

namespace PatchGen.Macro.Cold;

/// <summary>One cold process: wall time from start to exit, and its CPU time (user + system, all its threads).</summary>
internal sealed record ColdRun(double WallSeconds, double CpuSeconds, string StandardOutput)
{
    public static ColdRun Start(ColdVariant variant)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in variant.Arguments)
            start.ArgumentList.Add(argument);
        // A cold start of the process as a user's shell runs it: no inherited runtime settings of the harness.
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("DOTNET_", StringComparison.Ordinal) && k != "DOTNET_ROOT").ToList())
            start.Environment.Remove(key);
        foreach (var (key, value) in variant.Environment)
            start.Environment[key] = value;

        long cpuBefore = CpuClock.ChildrenNanoseconds();
        long wall = Stopwatch.GetTimestamp();
        using var process = Process.Start(start) ?? throw new InvalidOperationException("cannot start dotnet");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{variant.Name} did not finish in 5 minutes");
        }
        process.WaitForExit();
        double wallSeconds = Stopwatch.GetElapsedTime(wall).TotalSeconds;
        double cpuSeconds = (CpuClock.ChildrenNanoseconds() - cpuBefore) / 1e9;
        if (process.ExitCode != variant.ExpectedExitCode)
            throw new InvalidOperationException($"{variant.Name} exited with {process.ExitCode}, not {variant.ExpectedExitCode}:\n{stderr.Result}");
        return new ColdRun(wallSeconds, cpuSeconds, stdout.Result);
    }
}
