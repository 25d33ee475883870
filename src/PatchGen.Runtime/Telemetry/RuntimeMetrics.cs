using System.Diagnostics.Metrics;

namespace PatchGen.Runtime.Telemetry;

/// <summary>
/// The <c>PatchGen.Runtime</c> meter and its instruments (docs/telemetry.md), named in the style of the
/// OpenTelemetry semantic conventions: dotted lower-case names, durations in seconds, UCUM units.
/// Only <see cref="RuntimeTelemetry"/> records on them, never under an engine's lock: a
/// <see cref="MeterListener"/>'s callbacks run synchronously inside <c>Add</c> and <c>Record</c>, and they
/// are the application's code.
/// </summary>
internal static class RuntimeMetrics
{
    public const string PatchIdTag = "patchgen.patch.id";
    public const string StateTag = "patchgen.patch.state";
    public const string DirectionTag = "patchgen.transition.direction";
    public const string ErrorTypeTag = "error.type";

    public static readonly Meter Meter = new(PatchRuntimeTelemetry.MeterName, typeof(RuntimeMetrics).Assembly.GetName().Version?.ToString());

    public static readonly Counter<long> TransitionsStarted = Meter.CreateCounter<long>(
        "patchgen.transitions.started", "{transition}", "Transitions started (an enable, a disable, an atomic replace), by patch and direction.");

    public static readonly Counter<long> TransitionsCompleted = Meter.CreateCounter<long>(
        "patchgen.transitions.completed", "{transition}", "Transitions completed, certified or forced, by patch and direction.");

    public static readonly Counter<long> TransitionsForced = Meter.CreateCounter<long>(
        "patchgen.transitions.forced", "{transition}", "Transitions completed by force (PG4002), by patch and direction.");

    public static readonly Counter<long> TransitionsReversed = Meter.CreateCounter<long>(
        "patchgen.transitions.reversed", "{transition}", "Enables reversed by a disable before they completed, by patch.");

    public static readonly Counter<long> OperationsRefused = Meter.CreateCounter<long>(
        "patchgen.operations.refused", "{operation}", "Operations the runtime refused, by diagnostic ID (error.type) and operation.");

    public static readonly Histogram<double> TransitionDuration = Meter.CreateHistogram<double>(
        "patchgen.transition.duration", "s", "From a transition's start until every thread runs its generation (or it was forced).");

    /// <summary>Observed only on collection, from the process's engine (<see cref="PatchRuntime.Engine"/>).</summary>
    public static readonly ObservableGauge<int> Patches = Meter.CreateObservableGauge(
        "patchgen.patches", ObservePatches, "{patch}", "Patches loaded in the process, by state.");

    public static readonly ObservableGauge<int> PendingThreads = Meter.CreateObservableGauge(
        "patchgen.transition.pending_threads", ObservePendingThreads, "{thread}",
        "Threads the current transition still waits for (0 when none is in progress).");

    private static readonly PatchState[] States = Enum.GetValues<PatchState>();

    private static IEnumerable<Measurement<int>> ObservePatches()
    {
        var counts = PatchRuntime.Engine.CountByState();
        var measurements = new Measurement<int>[States.Length];
        for (int i = 0; i < States.Length; i++)
        {
            counts.TryGetValue(States[i], out int count);
            measurements[i] = new Measurement<int>(count, new KeyValuePair<string, object?>(StateTag, PatchEngine.Describe(States[i])));
        }
        return measurements;
    }

    private static int ObservePendingThreads() => PatchRuntime.Engine.CurrentTransition?.Stragglers.Count ?? 0;
}
