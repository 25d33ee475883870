// Checkout.Total: v1 adds the legacy surcharge (4.99 up to 100), v2 returns the subtotal.
using System.Globalization;

public static class Probe
{
    public static string Run()
    {
        var checkout = new Cases.Checkout();
        return checkout.Total(50m).ToString(CultureInfo.InvariantCulture) + " " + checkout.Total(150m).ToString(CultureInfo.InvariantCulture);
    }
}
