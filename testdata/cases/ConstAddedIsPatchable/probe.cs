// Shipping cost for totals around the free-shipping threshold; v2 raises it from 40 to 50 (a new const).
using System.Globalization;

public static class Probe
{
    public static string Run()
    {
        var s = new Cases.Shipping();
        return string.Join(" ", s.Cost(30m).ToString(CultureInfo.InvariantCulture), s.Cost(45m).ToString(CultureInfo.InvariantCulture), s.Cost(60m).ToString(CultureInfo.InvariantCulture));
    }
}
