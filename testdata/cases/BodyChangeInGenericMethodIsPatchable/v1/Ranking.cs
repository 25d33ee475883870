using System;
using System.Collections.Generic;

namespace Cases;

public static class Ranking
{
    public static T Best<T>(IReadOnlyList<T> scores) where T : IComparable<T>
    {
        var best = scores[0];
        foreach (var score in scores)
        {
            if (score.CompareTo(best) > 0)
                best = score;
        }
        return best;
    }
}
