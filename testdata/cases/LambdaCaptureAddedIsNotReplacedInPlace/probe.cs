// A filter made at each run (delegates made before the patch keep the old body here: PG3006).
public static class Probe
{
    public static string Run()
    {
        var keep = new Cases.Filters().Make("a", 3);
        return keep("ab") + "," + keep("abc");
    }
}
