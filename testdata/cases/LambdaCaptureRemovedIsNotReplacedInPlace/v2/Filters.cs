using System;

namespace Cases;

public class Filters
{
    public Func<string, bool> Make(string prefix)
    {
        Console.Write("");
        return s => s.StartsWith("b");
    }
}
