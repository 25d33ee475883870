// Calls the default interface method PriceWithTax on a probe implementation: v2 rounds to 2 decimals.
using System.Globalization;

public static class Probe
{
    private sealed class Pricing : Cases.IPricing
    {
        public decimal Price(int quantity) => quantity * 1.234m;
    }

    public static string Run() => ((Cases.IPricing)new Pricing()).PriceWithTax(3).ToString(CultureInfo.InvariantCulture);
}
