using System;
using System.Collections.Generic;

namespace Cases;

public class Poller
{
    private readonly List<Action> _actions = new();

    public void Watch(string path, int interval)
    {
        _actions.Add(() => Console.WriteLine("start " + path));
        _actions.Add(() => Console.WriteLine("poll " + path + " every " + interval));
    }
}
