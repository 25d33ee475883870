namespace PatchGen.Macro;

/// <summary>Order statistics used by every report.</summary>
internal static class Statistics
{
    public static double Median(IEnumerable<double> values) => Quantile(values, 0.5);

    /// <summary>Linear interpolation between the closest ranks; NaN for no values.</summary>
    public static double Quantile(IEnumerable<double> values, double q)
    {
        var sorted = values.ToArray();
        if (sorted.Length == 0)
            return double.NaN;
        Array.Sort(sorted);
        double position = q * (sorted.Length - 1);
        int below = (int)Math.Floor(position);
        int above = Math.Min(below + 1, sorted.Length - 1);
        return sorted[below] + ((position - below) * (sorted[above] - sorted[below]));
    }
}
