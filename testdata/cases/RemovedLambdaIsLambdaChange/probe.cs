// Cheapest over the private _list: v1 ignores non-positive prices, v2 does not.
using System.Collections.Generic;
using System.Globalization;
using System.Reflection;

public static class Probe
{
    public static string Run()
    {
        var prices = new Cases.Prices();
        var list = (List<decimal>)typeof(Cases.Prices).GetField("_list", BindingFlags.NonPublic | BindingFlags.Instance)!.GetValue(prices)!;
        list.AddRange(new[] { 7m, -2m, 3m });
        return prices.Cheapest().ToString(CultureInfo.InvariantCulture);
    }
}
