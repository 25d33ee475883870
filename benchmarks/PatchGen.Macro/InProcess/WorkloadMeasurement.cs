namespace PatchGen.Macro.InProcess;

/// <summary>
/// One workload measured in one process. <see cref="MethodsJittedWhileMeasuring"/> counts JIT compilations (any
/// thread) between the first and the last measured batch: more than a handful means tiering had not settled.
/// <see cref="CpuShareOfWall"/> is the median CPU/wall time of the batches: below 1 the measuring thread waited
/// for a core (the machine was busy), which thread CPU time leaves out but caches and memory bandwidth do not.
/// </summary>
internal sealed record WorkloadMeasurement(
    string Name,
    string Description,
    int OpsPerBatch,
    long MethodsJittedWhileMeasuring,
    int Gen2CollectionsWhileMeasuring,
    double CpuShareOfWall,
    IReadOnlyList<VariantMeasurement> Variants)
{
    public VariantMeasurement Baseline => Variants[0];

    /// <summary>Per-round ratios of a variant to the baseline of the same round; null if the variant is absent.</summary>
    public IReadOnlyList<double>? RatiosToBaseline(string variant)
        => Variants.FirstOrDefault(v => v.Name == variant) is { } v
            ? v.CpuNanosecondsPerOp.Select((x, i) => x / Baseline.CpuNanosecondsPerOp[i]).ToList()
            : null;
}
