namespace PatchGen.Macro.InProcess;

/// <summary>What one variant measured: CPU nanoseconds per operation in every round, and its ratio to the baseline.</summary>
internal sealed record VariantResult(string Name, IReadOnlyList<double> CpuNanosecondsPerOp, IReadOnlyList<double> CpuShareOfWall, RatioEstimate? RatioToBaseline)
{
    public double MedianCpuNanosecondsPerOp => Statistics.Median(CpuNanosecondsPerOp);
}
