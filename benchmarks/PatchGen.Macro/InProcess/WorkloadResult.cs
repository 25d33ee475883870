namespace PatchGen.Macro.InProcess;

/// <summary>
/// One workload's measurement. <see cref="MethodsJittedWhileMeasuring"/> counts JIT compilations (any thread)
/// between the first and the last measured batch: a large number means tiering had not settled.
/// </summary>
internal sealed record WorkloadResult(
    Workload Workload,
    int OpsPerBatch,
    IReadOnlyList<VariantResult> Variants,
    long MethodsJittedWhileMeasuring,
    int Gen2CollectionsWhileMeasuring,
    TimeSpan Elapsed)
{
    public VariantResult? Find(string name) => Variants.FirstOrDefault(v => v.Name == name);
}
