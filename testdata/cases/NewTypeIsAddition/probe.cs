// Label of an order: "#42" in v1, "ORD-000042" (new OrderLabel type) in v2.
public static class Probe
{
    public static string Run() => new Cases.Orders().Label(42);
}
