using System.Globalization;

namespace PatchGen.Macro;

/// <summary>
/// The median of paired per-round ratios (variant / plain #1 in the same round) with a percentile bootstrap 95%
/// interval: rounds are resampled with replacement and the median recomputed, so the interval says how much the
/// median itself could move, not how noisy single rounds are.
/// </summary>
internal sealed record RatioEstimate(double Median, double Low, double High, int Rounds)
{
    public const int Resamples = 4000;

    public static RatioEstimate FromRatios(IReadOnlyList<double> ratios, Random random)
    {
        if (ratios.Count == 0)
            throw new ArgumentException("no ratios", nameof(ratios));
        var medians = new double[Resamples];
        var sample = new double[ratios.Count];
        for (int r = 0; r < Resamples; r++)
        {
            for (int i = 0; i < sample.Length; i++)
                sample[i] = ratios[random.Next(ratios.Count)];
            medians[r] = Statistics.Median(sample);
        }
        Array.Sort(medians);
        return new RatioEstimate(Statistics.Median(ratios), medians[(int)(Resamples * 0.025)], medians[(int)(Resamples * 0.975) - 1], ratios.Count);
    }

    /// <summary>"1.234 [1.201, 1.266]".</summary>
    public override string ToString()
        => string.Create(CultureInfo.InvariantCulture, $"{Median:0.000} [{Low:0.000}, {High:0.000}]");
}
