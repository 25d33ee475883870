using System.Collections.Generic;

namespace Cases;

public static class Ranking
{
    public static T Best<T>(IReadOnlyList<T> scores)
    {
        var best = scores[0];
        foreach (var score in scores)
        {
            if (Comparer<T>.Default.Compare(score, best) > 0)
                best = score;
        }
        return best;
    }
}
