using System;

namespace Cases;

public class Filters
{
    public static int Made;

    public Func<string, bool> Make(string prefix)
    {
        Made = Made + 1;
        return s => s.StartsWith(prefix);
    }

    private static int Apply(Func<int, int> f, int x) => f(x);
}
