// Gross is Net * (1 + rate), rounded to cents (midpoint away from zero) in v2 only.
using System.Globalization;

public static class Probe
{
    public static string Run()
    {
        var invoice = new Cases.Invoice { Net = 10.005m };
        return invoice.Gross(0.1m).ToString(CultureInfo.InvariantCulture) + " " + invoice.Gross(0m).ToString(CultureInfo.InvariantCulture);
    }
}
