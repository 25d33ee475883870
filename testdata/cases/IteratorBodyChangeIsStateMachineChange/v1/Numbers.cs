using System.Collections.Generic;

namespace Cases;

public static class Numbers
{
    public static IEnumerable<int> Evens(int max)
    {
        for (int i = 0; i <= max; i += 2)
            yield return i;
    }
}
