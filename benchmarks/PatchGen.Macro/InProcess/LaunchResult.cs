namespace PatchGen.Macro.InProcess;

/// <summary>What one measuring process (<c>libs-launch</c>) found, written as JSON for the parent to combine.</summary>
internal sealed record LaunchResult(int Seed, string LoadAverageAtStart, string LoadAverageAtEnd, IReadOnlyList<WorkloadMeasurement> Workloads);
