using System;

namespace Cases;

public static class Trace
{
    public static int Count(string category, __arglist)
    {
        var args = new ArgIterator(__arglist);
        return args.GetRemainingCount();
    }
}
