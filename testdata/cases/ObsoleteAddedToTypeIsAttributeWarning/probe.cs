// Coupon.Apply's discount: 10% in v1, 15% in v2 (the [Obsolete] added in v2 is not observed: the live type keeps its attributes).
using System.Globalization;

public static class Probe
{
    public static string Run() => new Cases.Coupon().Apply(100m).ToString(CultureInfo.InvariantCulture);
}
