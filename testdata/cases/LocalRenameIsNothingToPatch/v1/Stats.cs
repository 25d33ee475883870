using System.Collections.Generic;

namespace Cases;

public static class Stats
{
    public static double Mean(IReadOnlyList<double> xs)
    {
        double s = 0;
        foreach (var x in xs)
            s += x;
        return xs.Count == 0 ? 0 : s / xs.Count;
    }
}
