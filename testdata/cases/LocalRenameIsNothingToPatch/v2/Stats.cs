using System.Collections.Generic;

namespace Cases;

public static class Stats
{
    public static double Mean(IReadOnlyList<double> xs)
    {
        double sum = 0;
        foreach (var value in xs)
            sum += value;
        return xs.Count == 0 ? 0 : sum / xs.Count;
    }
}
