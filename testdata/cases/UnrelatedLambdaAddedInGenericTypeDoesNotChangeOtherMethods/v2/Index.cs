using System;
using System.Collections.Generic;
using System.Linq;

namespace Cases;

public class Index<T> where T : IComparable<T>
{
    private readonly List<T> _items = new();

    public T[] Sorted()
    {
        return _items.OrderBy(x => x).ToArray();
    }

    public int Positive(T zero)
    {
        return _items.Count(x => x.CompareTo(zero) > 0);
    }

    public T[] Distinct()
    {
        return _items.Distinct().OrderByDescending(x => x).ToArray();
    }
}
