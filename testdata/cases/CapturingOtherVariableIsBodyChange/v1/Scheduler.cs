using System;
using System.Collections.Generic;

namespace Cases;

public class Scheduler
{
    private readonly List<Func<int>> _jobs = new();

    public void Every(int seconds, int times)
    {
        int total = seconds * times;
        int budget = seconds + times;
        _jobs.Add(() => total + 1);
        Console.WriteLine(budget);
    }
}
