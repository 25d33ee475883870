using System;
using System.Collections.Generic;

namespace Cases;

public class Bus
{
    private readonly List<EventHandler> _handlers = new();

    public event EventHandler Changed
    {
        add { _handlers.Add(value); }
        remove { _handlers.Remove(value); }
    }

    public void Raise()
    {
        foreach (var handler in _handlers)
            handler(this, EventArgs.Empty);
    }
}
