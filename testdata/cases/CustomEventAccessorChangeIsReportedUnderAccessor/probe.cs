// Subscribes the same handler twice and raises once: v1's add accessor keeps duplicates (2 calls), v2's skips them (1).
using System;
using System.Globalization;

public static class Probe
{
    public static string Run()
    {
        var bus = new Cases.Bus();
        int calls = 0;
        EventHandler handler = (_, _) => calls++;
        bus.Changed += handler;
        bus.Changed += handler;
        bus.Raise();
        return calls.ToString(CultureInfo.InvariantCulture);
    }
}
