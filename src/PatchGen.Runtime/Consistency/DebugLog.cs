namespace PatchGen.Runtime.Consistency;

/// <summary>
/// A development aid: with <c>PATCHGEN_DEBUG_CERTIFIER=1</c>, publications, certifications and every
/// certification round's verdicts go to <c>/tmp/certifier.log</c> (or to the file the variable names, when it is an absolute path), with microsecond times and the process ID (child processes inherit the variable), so that a
/// mixed chain reported by a stress test can be set against what the runtime decided at that moment.
/// </summary>
internal static class DebugLog
{
    private static readonly string? Path = Environment.GetEnvironmentVariable("PATCHGEN_DEBUG_CERTIFIER") switch
    {
        "1" => "/tmp/certifier.log",
        { } value when System.IO.Path.IsPathFullyQualified(value) => value,
        _ => null,
    };

    public static readonly bool Enabled = Path is not null;
    private static readonly object Lock = new();

    private static readonly System.Text.StringBuilder Timeline = new();
    private static long s_timelineStart;

    /// <summary>
    /// Notes a step of the transition under way (publication, round, the snapshot's steps, verdicts) with its time in
    /// ms since the publication, for <see cref="WriteTimeline"/>: where a transition's milliseconds go, without a file
    /// write between two steps. Transitions of several engines at once (tests) mix their steps.
    /// </summary>
    public static void Mark(string step)
    {
        if (!Enabled)
            return;
        long now = System.Diagnostics.Stopwatch.GetTimestamp();
        lock (Timeline)
        {
            if (Timeline.Length == 0)
                s_timelineStart = now;
            Timeline.Append(step).Append(' ').Append(System.Diagnostics.Stopwatch.GetElapsedTime(s_timelineStart, now).TotalMilliseconds.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture)).Append("; ");
        }
    }

    /// <summary>Writes the steps noted since the last timeline as one line, and starts the next.</summary>
    public static void WriteTimeline(string title)
    {
        if (!Enabled)
            return;
        string steps;
        lock (Timeline)
        {
            steps = Timeline.ToString();
            Timeline.Clear();
        }
        if (steps.Length > 0)
            Write($"timeline of {title} (ms): {steps}");
    }

    public static void Write(string line)
    {
        if (!Enabled)
            return;
        lock (Lock)
            File.AppendAllText(Path!, $"{DateTime.UtcNow:HH:mm:ss.ffffff} [{Environment.ProcessId}] {line}\n");
    }
}
