using System;

namespace Cases;

public class Filters
{
    public static int Made;

    public Func<string, bool> Make(string prefix)
    {
        Made = Apply(n => n + 1, Made);
        return s => s.EndsWith(prefix);
    }

    private static int Apply(Func<int, int> f, int x) => f(x);
}
