using System;
using System.Collections.Generic;
using System.Linq;

namespace Cases;

public static class Grouping
{
    public static Dictionary<TKey, int> CountBy<T, TKey>(IEnumerable<T> items, Func<T, TKey> key)
        where TKey : notnull
    {
        return items.GroupBy(key).ToDictionary(g => g.Key, g => g.Count());
    }
}
