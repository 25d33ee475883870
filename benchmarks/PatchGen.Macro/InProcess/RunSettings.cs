namespace PatchGen.Macro.InProcess;

/// <summary>How long to warm and how much to measure.</summary>
internal sealed record RunSettings(double WarmupSecondsPerVariant, int Rounds, double BatchMilliseconds)
{
    /// <summary>
    /// Per process: each variant runs 3 s of CPU interleaved with the others before measuring, far past tier-1
    /// promotion (30 calls, then 100 ms with no new tier-0 code, then the background compile), with time left
    /// for the background compiles of a large library to finish on 2 cores (the report counts any compilation
    /// during the measurement). About 20 ms per batch keeps the thread-clock resolution and per-batch costs
    /// negligible; 60 rounds per process, and several processes, since processes differ more than rounds do.
    /// </summary>
    public static RunSettings Full { get; } = new(3.0, 60, 20);

    public static RunSettings Quick { get; } = new(0.5, 20, 5);
}
