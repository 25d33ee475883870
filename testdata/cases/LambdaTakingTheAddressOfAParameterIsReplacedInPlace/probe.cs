// Calls the lambda returned by a fresh OffsetOf() with and without its optional arguments; v2 starts pages at 1 (offset 0).
public static class Probe
{
    public static string Run()
    {
        var offsetOf = new Cases.Paging().OffsetOf();
        return offsetOf(1, 10) + "," + offsetOf(3, null) + "," + offsetOf(null, 5);
    }
}
