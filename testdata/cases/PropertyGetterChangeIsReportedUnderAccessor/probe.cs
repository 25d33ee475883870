// Cart.Total over the private _lines list: the plain sum in v1, rounded to 2 decimals in v2.
using System.Collections.Generic;
using System.Globalization;
using System.Reflection;

public static class Probe
{
    public static string Run()
    {
        var cart = new Cases.Cart();
        var lines = (List<decimal>)typeof(Cases.Cart).GetField("_lines", BindingFlags.NonPublic | BindingFlags.Instance)!.GetValue(cart)!;
        lines.AddRange(new[] { 1.005m, 2.001m });
        return cart.Total.ToString(CultureInfo.InvariantCulture);
    }
}
