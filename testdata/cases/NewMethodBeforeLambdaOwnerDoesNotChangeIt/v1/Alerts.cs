using System;
using System.Collections.Generic;
using System.Linq;

namespace Cases;

public class Alerts
{
    private readonly List<int> _levels = new();

    public int Raise(int level)
    {
        _levels.Add(level);
        return _levels.Count(l => l >= level);
    }

    public Func<int, bool> Filter(int threshold)
    {
        return l => l > threshold && _levels.Contains(l);
    }

    public int[] Doubled()
    {
        return _levels.Select(l => l * 2).ToArray();
    }
}
