// Total of a cart whose 8 private prices (reflection) are 10 each: v2 counts them and discounts 5% over 5 items.
using System.Globalization;
using System.Reflection;

public static class Probe
{
    public static string Run()
    {
        var cart = new Cases.Cart();
        var prices = (decimal[])typeof(Cases.Cart).GetField("_prices", BindingFlags.Instance | BindingFlags.NonPublic)!.GetValue(cart)!;
        for (int i = 0; i < prices.Length; i++)
            prices[i] = 10m;
        return cart.Total().ToString(CultureInfo.InvariantCulture);
    }
}
