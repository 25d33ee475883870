// v1 counts calls in _calls and reports them; v2 removed the field and reports the total alone.
public static class Probe
{
    public static string Run()
    {
        var counter = new Cases.Counter();
        counter.Add(2);
        counter.Add(3);
        return counter.Report();
    }
}
