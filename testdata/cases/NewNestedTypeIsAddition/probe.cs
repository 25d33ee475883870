// Parse with thousands separators: v1 (int.Parse default style) rejects "1,234", v2 accepts it.
using System;

public static class Probe
{
    public static string Run()
    {
        var parser = new Cases.Parser();
        return Try(() => parser.Parse("42")) + " " + Try(() => parser.Parse("1,234"));
    }

    private static string Try(Func<int> parse)
    {
        try
        {
            return parse().ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (Exception e)
        {
            return e.GetType().Name;
        }
    }
}
