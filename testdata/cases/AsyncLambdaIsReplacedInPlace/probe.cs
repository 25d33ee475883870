// Awaits the async lambda returned by a fresh Job(); v2 multiplies by 3 instead of 2.
public static class Probe
{
    public static string Run()
    {
        var job = new Cases.Worker().Job();
        return job(1).GetAwaiter().GetResult() + "," + job(7).GetAwaiter().GetResult();
    }
}
