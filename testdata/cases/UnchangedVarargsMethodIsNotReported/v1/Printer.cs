using System;

namespace Cases;

public class Printer
{
    public static int Write(string format, __arglist)
    {
        var args = new ArgIterator(__arglist);
        return args.GetRemainingCount();
    }

    public string Line(string text)
    {
        return text + "\n";
    }
}
