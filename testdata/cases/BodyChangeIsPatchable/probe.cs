// Total(price) multiplies by the private _count (0 in a new cart); v2 adds 1.
public static class Probe
{
    public static string Run() => new Cases.Cart().Total(7).ToString();
}
