// Pump.Tick on a pump that never started: one tick adds 1 in v1, 2 in v2.
public static class Probe
{
    public static string Run()
    {
        var pump = new Cases.Pump();
        pump.Tick();
        return pump.Ticks.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}
