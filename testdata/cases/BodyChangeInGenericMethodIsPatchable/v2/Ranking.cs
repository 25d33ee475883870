using System;
using System.Collections.Generic;

namespace Cases;

public static class Ranking
{
    public static T Best<T>(IReadOnlyList<T> scores) where T : IComparable<T>
    {
        if (scores.Count == 0)
            throw new ArgumentException("no scores", nameof(scores));
        var best = scores[0];
        foreach (var score in scores)
        {
            if (score.CompareTo(best) > 0)
                best = score;
        }
        return best;
    }
}
