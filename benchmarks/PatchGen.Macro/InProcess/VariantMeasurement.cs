namespace PatchGen.Macro.InProcess;

/// <summary>One variant's CPU nanoseconds per operation in every measured round, in round order.</summary>
internal sealed record VariantMeasurement(string Name, IReadOnlyList<double> CpuNanosecondsPerOp);
