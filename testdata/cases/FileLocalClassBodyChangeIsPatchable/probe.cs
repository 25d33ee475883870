// Total goes through the file-local PriceRules: twice the amount in v1, three times in v2.
public static class Probe
{
    public static string Run() => new Cases.Checkout().Total(7).ToString();
}
