using System;
using System.Collections.Generic;

namespace Cases;

public class Events
{
    private readonly List<Action> _pending = new();

    public void Defer<T>(T item, Action<T> handler)
    {
        _pending.Add(() => { if (item is not null) handler(item); });
    }

    public void Flush()
    {
        foreach (var action in _pending)
            action();
        _pending.Clear();
    }
}
