// Cost of a light and a heavy parcel: v2 adds a surcharge of 10 above 30 kg.
using System.Globalization;

public static class Probe
{
    public static string Run()
    {
        var shipping = new Cases.Shipping();
        return shipping.Cost(2m).ToString(CultureInfo.InvariantCulture) + " " + shipping.Cost(40m).ToString(CultureInfo.InvariantCulture);
    }
}
