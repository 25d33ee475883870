// Customer.Name of a customer whose name was never set: "" in v1, "(none)" in v2.
public static class Probe
{
    public static string Run() => "[" + new Cases.Customer().Name + "]";
}
