// Orders.Sum over the private _amounts: v1 sums everything, v2 only positive amounts.
using System.Collections.Generic;
using System.Globalization;
using System.Reflection;

public static class Probe
{
    public static string Run()
    {
        var orders = new Cases.Orders();
        var amounts = (List<decimal>)typeof(Cases.Orders).GetField("_amounts", BindingFlags.NonPublic | BindingFlags.Instance)!.GetValue(orders)!;
        amounts.AddRange(new[] { 10m, -4m, 2.5m });
        return orders.Sum().ToString(CultureInfo.InvariantCulture);
    }
}
