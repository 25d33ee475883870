using System;

namespace Cases;

public class Logger
{
    public static int Write(string format, __arglist)
    {
        var args = new ArgIterator(__arglist);
        return args.GetRemainingCount();
    }

    public int Info(string message)
    {
        return Write("info", __arglist(message, DateTime.UtcNow.Ticks));
    }
}
