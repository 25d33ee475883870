namespace PatchGen.Macro.InProcess;

/// <summary>How long to warm and how much to measure.</summary>
internal sealed record RunSettings(double WarmupSecondsPerVariant, int Rounds, double BatchMilliseconds)
{
    /// <summary>
    /// Each variant runs at least 4 s of CPU interleaved with the others before measuring: far past tier-1
    /// promotion (30 calls, then 100 ms with no new tier-0 code, then the background compile), with time left
    /// for the background compiles of a large library to finish on 2 cores. About 25 ms per batch keeps the
    /// thread-clock resolution and per-batch costs negligible while giving many rounds.
    /// </summary>
    public static RunSettings Full { get; } = new(4.0, 150, 25);

    public static RunSettings Quick { get; } = new(0.5, 20, 5);
}
