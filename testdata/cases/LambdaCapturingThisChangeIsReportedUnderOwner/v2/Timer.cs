using System;

namespace Cases;

public class Ticker
{
    private int _ticks;

    public Action OnTick()
    {
        return () => _ticks += 2;
    }

    public Action OnReset()
    {
        return () => _ticks = 0;
    }
}
