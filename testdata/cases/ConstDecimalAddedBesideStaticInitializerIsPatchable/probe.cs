// Gross for a known and an unknown country: v1 throws KeyNotFoundException for the unknown one,
// v2 falls back to the new const DefaultRate (0.21).
using System;
using System.Globalization;

public static class Probe
{
    private static string Try(string country)
    {
        try { return Cases.Tax.Gross(country, 100m).ToString(CultureInfo.InvariantCulture); }
        catch (Exception e) { return e.GetType().Name; }
    }

    public static string Run() => Try("DE") + " " + Try("NL");
}
