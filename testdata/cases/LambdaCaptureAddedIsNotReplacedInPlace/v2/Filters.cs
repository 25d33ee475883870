using System;

namespace Cases;

public class Filters
{
    public Func<string, bool> Make(string prefix, int min)
    {
        return s => s.StartsWith(prefix) && s.Length >= min;
    }
}
