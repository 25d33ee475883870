// Total of a cart of 12 and of 3: v2 applies a new Coupon type (5 off, not below 0).
using System.Globalization;

public static class Probe
{
    public static string Run()
    {
        var big = new Cases.Cart();
        big.Add(10m);
        big.Add(2m);
        var small = new Cases.Cart();
        small.Add(3m);
        return big.Total().ToString(CultureInfo.InvariantCulture) + " " + small.Total().ToString(CultureInfo.InvariantCulture);
    }
}
