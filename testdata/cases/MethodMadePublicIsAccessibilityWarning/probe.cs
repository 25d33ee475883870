// Quote adds the private Fee: 2% of the amount in v1, 3% in v2.
using System.Globalization;

public static class Probe
{
    public static string Run()
    {
        var pricing = new Cases.Pricing();
        return pricing.Quote(100m).ToString(CultureInfo.InvariantCulture) + " " + pricing.Quote(250m).ToString(CultureInfo.InvariantCulture);
    }
}
