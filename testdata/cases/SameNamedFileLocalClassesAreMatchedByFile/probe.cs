// Each class goes through its own file's Rules: only Refunds' adds 2 instead of 1 in v2.
public static class Probe
{
    public static string Run() => new Cases.Orders().Fee(10) + " " + new Cases.Refunds().Fee(10);
}
