using System;
using System.Collections.Generic;

namespace Cases;

public class Scheduler
{
    private readonly List<Action> _jobs = new();

    public void Every(string name, int seconds)
    {
        _jobs.Add(() => Console.WriteLine(name + " every " + seconds + "s"));
    }
}
