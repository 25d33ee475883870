using System.Diagnostics;
using System.Text.RegularExpressions;

namespace PatchGen.Runtime.Telemetry;

/// <summary>
/// Where the runtime reports to its meter (<see cref="RuntimeMetrics"/>) and event source
/// (<see cref="RuntimeEventSource"/>). Two rules, as for <see cref="PatchRuntime.Log"/> (issue 14): callers
/// never hold an engine's lock (listeners of both run synchronously and are the application's code), and
/// nothing here throws: a listener that fails is the application's problem, never a patch operation's.
/// </summary>
internal static partial class RuntimeTelemetry
{
    public const string Enabling = "enable", Disabling = "disable";

    /// <summary>
    /// Creates the meter and the event source now, so that tools attached before the first operation
    /// (dotnet-counters, an OpenTelemetry exporter) see the gauges at once. Called when the process
    /// opens its channel or follows a patch directory.
    /// </summary>
    public static void EnsureCreated()
        => Safely(() =>
        {
            GC.KeepAlive(RuntimeMetrics.Meter);
            GC.KeepAlive(RuntimeEventSource.Log);
        });

    public static string Direction(bool enabling) => enabling ? Enabling : Disabling;

    public static void Enable(string patchId, string target, string source, IReadOnlyCollection<string> replaced)
        => Safely(() =>
        {
            RuntimeEventSource.Log.Enable(patchId, target, source);
            if (replaced.Count > 0)
                RuntimeEventSource.Log.Replace(patchId, string.Join(",", replaced));
        });

    public static void Disable(string patchId) => Safely(() => RuntimeEventSource.Log.Disable(patchId));

    public static void TransitionStarted(string patchId, bool enabling, long generation)
        => Safely(() =>
        {
            RuntimeMetrics.TransitionsStarted.Add(1, PatchTag(patchId), DirectionTag(enabling));
            RuntimeEventSource.Log.TransitionStarted(patchId, Direction(enabling), generation);
        });

    public static void TransitionReversed(string patchId, long generation)
        => Safely(() =>
        {
            RuntimeMetrics.TransitionsReversed.Add(1, PatchTag(patchId));
            RuntimeEventSource.Log.TransitionReversed(patchId, generation);
        });

    public static void TransitionCompleted(string patchId, bool enabling, long generation, TimeSpan duration, bool forced)
        => Safely(() =>
        {
            if (forced)
            {
                RuntimeMetrics.TransitionsForced.Add(1, PatchTag(patchId), DirectionTag(enabling));
                RuntimeEventSource.Log.Force(patchId, Direction(enabling));
            }
            RuntimeMetrics.TransitionsCompleted.Add(1, PatchTag(patchId), DirectionTag(enabling));
            // No patch ID on the histogram: its buckets per patch would grow without bound over a process's life.
            RuntimeMetrics.TransitionDuration.Record(duration.TotalSeconds, DirectionTag(enabling));
            RuntimeEventSource.Log.TransitionCompleted(patchId, Direction(enabling), generation, duration.TotalMilliseconds, forced);
        });

    public static void Refused(string operation, string subject, string diagnosticId, string message)
        => Safely(() =>
        {
            RuntimeMetrics.OperationsRefused.Add(1, new KeyValuePair<string, object?>(RuntimeMetrics.ErrorTypeTag, diagnosticId),
                new KeyValuePair<string, object?>("patchgen.operation", operation));
            RuntimeEventSource.Log.PatchRefused(operation, subject, diagnosticId, message);
        });

    public static void Unload(string patchId, bool collected) => Safely(() => RuntimeEventSource.Log.Unload(patchId, collected));

    public static void DirectoryPatchLoaded(string folder, string file, string patchId)
        => Safely(() => RuntimeEventSource.Log.DirectoryPatchLoaded(folder, file, patchId));

    /// <summary><paramref name="diagnostic"/> is the line the directory logs; its PG ID is the first one it names.</summary>
    public static void DirectoryPatchSkipped(string folder, string file, string diagnostic)
        => Safely(() =>
        {
            var id = DiagnosticIdPattern().Match(diagnostic);
            RuntimeEventSource.Log.DirectoryPatchSkipped(folder, file, id.Success ? id.Value : "", diagnostic);
        });

    private static KeyValuePair<string, object?> PatchTag(string patchId) => new(RuntimeMetrics.PatchIdTag, patchId);

    private static KeyValuePair<string, object?> DirectionTag(bool enabling) => new(RuntimeMetrics.DirectionTag, Direction(enabling));

    private static void Safely(Action report)
    {
        try
        {
            report();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A listener's failure: the operation it observed happened all the same, and must be reported as such.
            Trace.WriteLine("patchgen: a telemetry listener threw " + e.GetType().Name + ": " + e.Message);
        }
    }

    [GeneratedRegex(@"\bPG\d{4}\b")]
    private static partial Regex DiagnosticIdPattern();
}
