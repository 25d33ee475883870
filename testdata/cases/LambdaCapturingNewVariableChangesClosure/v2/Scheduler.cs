using System;
using System.Collections.Generic;

namespace Cases;

public class Scheduler
{
    private readonly List<Action> _jobs = new();

    public void Every(string name, int seconds)
    {
        var started = DateTime.UtcNow;
        _jobs.Add(() => Console.WriteLine(name + " every " + seconds + "s since " + started));
    }
}
