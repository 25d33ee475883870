using System.Globalization;

namespace PatchGen.Diff;

/// <summary>
/// Whether this machine has a core to spare for the diff's helper threads (both builds read at once, sources parsed
/// ahead, the same-code check ahead). They shorten a diff only on a core nothing else wants: where every core is busy
/// they add their own cost (a workstation GC waits for each of them, and the check ahead repeats work the rules'
/// thread would have cached), and a cold diff measured 1.02–1.10x the wall time of reading in turn
/// (docs/benchmarks.md, "Cold start"). So the diff asks once, before it starts, as <c>make -l</c> asks the load
/// average before it starts a job; the report is the same either way.
/// </summary>
/// <remarks>
/// The question goes to the kernel's CPU pressure (PSI) first: the share of a short window (<see cref="Window"/>) in
/// which some runnable task of the container (cgroup v2 <c>cpu.pressure</c>) or of the machine
/// (<c>/proc/pressure/cpu</c>) waited for a core, from the stall time the file counts. Unlike the load average it is
/// the container's own, and it says what the cores do now: the kernel's ten-second average would still hold the
/// previous diff's own threads when diffs run back to back. Where there is no such file (an older kernel, another
/// OS), the one-minute load average must leave a core free beside this process's own thread; where there is
/// neither, the cores are taken to be free (the measured case of a quiet machine).
/// </remarks>
internal static class SpareCore
{
    // Above this share of the window with some task waiting for a core, a helper thread would mostly wait too.
    private const double MostPressure = 0.2;

    // Long enough that one other process's brief burst is not the whole window (over 10 ms, a machine at a load of 1.5 showed
    // a stall share of 0.7 in one window of ten), short beside a diff of seconds.
    private static readonly TimeSpan Window = TimeSpan.FromMilliseconds(25);

    private static readonly string[] PressureFiles = ["/sys/fs/cgroup/cpu.pressure", "/proc/pressure/cpu"];

    /// <summary>Whether to run the diff's helper threads: more than one core, and one of them idle enough.</summary>
    public static bool Available()
    {
        if (Environment.ProcessorCount < 2)
            return false;
        if (OperatingSystem.IsLinux())
        {
            foreach (string file in PressureFiles)
            {
                if (StallShare(file) is double waiting)
                    return waiting < MostPressure;
            }
            if (ReadSmallFile("/proc/loadavg") is { } loadAverage && ParseLoadAverage(loadAverage) is double load)
                return load + 1 <= Environment.ProcessorCount;
        }
        return true;
    }

    /// <summary>The share of <see cref="Window"/> in which some task waited for a core, by <paramref name="file"/>; null without it.</summary>
    private static double? StallShare(string file)
    {
        if (ReadSmallFile(file) is not { } before || ParseStallTotal(before) is not long stalledBefore)
            return null;
        long started = System.Diagnostics.Stopwatch.GetTimestamp();
        Thread.Sleep(Window);
        if (ReadSmallFile(file) is not { } after || ParseStallTotal(after) is not long stalledAfter)
            return null;
        double microseconds = System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMicroseconds;
        return microseconds <= 0 ? null : (stalledAfter - stalledBefore) / microseconds;
    }

    /// <summary>
    /// The <c>total</c> of a PSI file's <c>some</c> line (microseconds in which some task waited; "some avg10=62.91
    /// avg60=57.24 avg300=44.82 total=26056271945"), or null.
    /// </summary>
    internal static long? ParseStallTotal(string text)
    {
        foreach (string line in text.Split('\n'))
        {
            if (!line.StartsWith("some ", StringComparison.Ordinal))
                continue;
            foreach (string field in line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                if (field.StartsWith("total=", StringComparison.Ordinal)
                    && long.TryParse(field.AsSpan("total=".Length), NumberStyles.None, CultureInfo.InvariantCulture, out long total))
                    return total;
            }
        }
        return null;
    }

    /// <summary>The first figure of <c>/proc/loadavg</c> ("5.98 5.04 5.25 2/162 21696"), or null.</summary>
    internal static double? ParseLoadAverage(string text)
    {
        int end = text.IndexOf(' ');
        return end > 0 && double.TryParse(text.AsSpan(0, end), NumberStyles.Float, CultureInfo.InvariantCulture, out double load) ? load : null;
    }

    private static string? ReadSmallFile(string file)
    {
        try
        {
            return File.Exists(file) ? File.ReadAllText(file) : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A file the kernel offers but refuses (a PSI file of a cgroup without the controller): ask the next.
            return null;
        }
    }
}
