// Explicit conversion of 2.7 degrees to int: v1 truncates (2), v2 rounds (3); the implicit one to double is unchanged.
using System.Globalization;

public static class Probe
{
    public static string Run()
    {
        var c = new Cases.Celsius(2.7);
        double d = c;
        return ((int)c).ToString(CultureInfo.InvariantCulture) + " " + ((int)new Cases.Celsius(-1.6)).ToString(CultureInfo.InvariantCulture) + " " + d.ToString(CultureInfo.InvariantCulture);
    }
}
