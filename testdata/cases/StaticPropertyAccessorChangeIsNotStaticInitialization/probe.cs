// Limits.Doubled with its initial value 10: 20 in v1, 21 in v2.
public static class Probe
{
    public static string Run() => Cases.Limits.Doubled.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
