using System.Globalization;

namespace PatchGen.Macro;

/// <summary>
/// The median of paired per-round ratios (variant / plain #1 in the same round) with a percentile bootstrap 95%
/// interval. Rounds come in groups (one group per process: a launch of the in-process benchmark, or a block of
/// fresh server processes), and the bootstrap is two-level: groups are resampled with replacement, then rounds
/// within each chosen group. Two byte-identical copies in one process can differ by a few percent for the whole
/// life of that process (where their code landed, what their early profile saw); resampling rounds alone would
/// hide that behind a narrow interval, resampling processes lets it show.
/// </summary>
internal sealed record RatioEstimate(double Median, double Low, double High, int Groups, int Rounds)
{
    public const int Resamples = 4000;

    public static RatioEstimate FromGroups(IReadOnlyList<IReadOnlyList<double>> groups, Random random)
    {
        if (groups.Count == 0 || groups.Any(g => g.Count == 0))
            throw new ArgumentException("no ratios", nameof(groups));
        var medians = new double[Resamples];
        var pooled = new List<double>();
        for (int r = 0; r < Resamples; r++)
        {
            pooled.Clear();
            for (int g = 0; g < groups.Count; g++)
            {
                var group = groups[random.Next(groups.Count)];
                for (int i = 0; i < group.Count; i++)
                    pooled.Add(group[random.Next(group.Count)]);
            }
            medians[r] = Statistics.Median(pooled);
        }
        Array.Sort(medians);
        return new RatioEstimate(Statistics.Median(groups.SelectMany(g => g)), medians[(int)(Resamples * 0.025)], medians[(int)(Resamples * 0.975) - 1], groups.Count, groups.Sum(g => g.Count));
    }

    /// <summary>"1.234 [1.201, 1.266]".</summary>
    public override string ToString()
        => string.Create(CultureInfo.InvariantCulture, $"{Median:0.000} [{Low:0.000}, {High:0.000}]");
}
