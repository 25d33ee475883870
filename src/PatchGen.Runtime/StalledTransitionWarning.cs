using System.Globalization;
using PatchGen.Diagnostics;

namespace PatchGen.Runtime;

/// <summary>The text of PG4001: a transition still pending, and the threads that hold it open.</summary>
internal static class StalledTransitionWarning
{
    public static string Format(TransitionInfo transition)
    {
        var threads = transition.PendingThreads.Count == 0
            ? "no thread is known to hold it"
            : string.Join("; ", transition.PendingThreads.Select(t =>
                (t.ManagedThreadId != 0 ? $"thread {t.ManagedThreadId.ToString(CultureInfo.InvariantCulture)}" : $"OS thread {t.OsThreadId.ToString(CultureInfo.InvariantCulture)}")
                + (t.Name is null ? "" : " '" + t.Name + "'")
                + (t.Functions.Count == 0 ? " (not yet examined)" : " is in " + string.Join(", ", t.Functions))));
        var entryPoints = LifetimeFunctions.EntryPoints();
        var forever = transition.PendingThreads.SelectMany(t => t.Functions).Where(entryPoints.Contains).Distinct().ToList();
        if (forever.Count > 0)
            threads += "; " + string.Join("; ", forever.Select(LifetimeFunctions.Explain));
        return DiagnosticCatalog.TransitionStalled.Format(transition.PatchId, FormatElapsed(transition.Elapsed), threads);
    }

    private static string FormatElapsed(TimeSpan elapsed)
        => elapsed.TotalSeconds >= 1
            ? elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + " s"
            : ((int)elapsed.TotalMilliseconds).ToString(CultureInfo.InvariantCulture) + " ms";
}
