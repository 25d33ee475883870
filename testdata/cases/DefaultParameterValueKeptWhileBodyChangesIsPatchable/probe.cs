// PageCount with default arguments and with pageSize 0: v1 divides by zero, v2 falls back to 20.
using System;
using System.Globalization;

public static class Probe
{
    private static string Try(Func<int> f)
    {
        try { return f().ToString(CultureInfo.InvariantCulture); }
        catch (Exception e) { return e.GetType().Name; }
    }

    public static string Run()
        => string.Join(" ", Try(() => Cases.Paging.PageCount(45)), Try(() => Cases.Paging.PageCount(45, 10, false)), Try(() => Cases.Paging.PageCount(45, 0)));
}
