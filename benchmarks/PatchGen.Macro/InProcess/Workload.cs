namespace PatchGen.Macro.InProcess;

/// <summary>
/// A workload and its variants. The first variant is the baseline (plain copy #1); every other variant is
/// reported as a ratio to it, measured in the same rounds.
/// </summary>
internal sealed record Workload(string Name, string Description, IReadOnlyList<Variant> Variants)
{
    public Variant Baseline => Variants[0];
}
