// Invokes the OnTick delegate twice and reads the private _ticks (reflection): v2 adds 2 per tick instead of 1.
using System.Globalization;
using System.Reflection;

public static class Probe
{
    public static string Run()
    {
        var ticker = new Cases.Ticker();
        var ticks = typeof(Cases.Ticker).GetField("_ticks", BindingFlags.Instance | BindingFlags.NonPublic)!;
        var tick = ticker.OnTick();
        tick();
        tick();
        int afterTicks = (int)ticks.GetValue(ticker)!;
        ticker.OnReset()();
        return afterTicks.ToString(CultureInfo.InvariantCulture) + " " + ((int)ticks.GetValue(ticker)!).ToString(CultureInfo.InvariantCulture);
    }
}
