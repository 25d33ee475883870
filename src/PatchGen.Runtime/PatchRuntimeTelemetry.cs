namespace PatchGen.Runtime;

/// <summary>
/// The well-known names under which the runtime reports what it does (docs/telemetry.md), so that
/// <c>dotnet-counters</c>, <c>dotnet-trace</c> and OpenTelemetry see a patchable process with no PatchGen
/// code in the application: <c>dotnet-counters monitor --counters PatchGen.Runtime</c>,
/// <c>dotnet-trace collect --providers PatchGen-Runtime</c>, <c>AddMeter("PatchGen.Runtime")</c>.
/// </summary>
public static class PatchRuntimeTelemetry
{
    /// <summary>The <see cref="System.Diagnostics.Metrics.Meter"/>: patches by state, transitions, their duration, pending threads.</summary>
    public const string MeterName = "PatchGen.Runtime";

    /// <summary>The <see cref="System.Diagnostics.Tracing.EventSource"/>: one event per operation, transition, refusal and patch-directory decision.</summary>
    public const string EventSourceName = "PatchGen-Runtime";
}
