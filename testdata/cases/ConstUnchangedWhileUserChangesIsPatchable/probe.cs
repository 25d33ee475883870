// TryAdd at the limit and, via reflection, with the private _count at int.MaxValue: v2's _count + 1
// overflows, so it accepts where v1 refuses.
using System.Globalization;
using System.Reflection;

public static class Probe
{
    public static string Run()
    {
        var basket = new Cases.Basket();
        int accepted = 0;
        for (int i = 0; i < 60; i++)
            if (basket.TryAdd())
                accepted++;

        var full = new Cases.Basket();
        var count = typeof(Cases.Basket).GetField("_count", BindingFlags.Instance | BindingFlags.NonPublic)!;
        count.SetValue(full, int.MaxValue);
        bool atMax = full.TryAdd();
        return accepted.ToString(CultureInfo.InvariantCulture) + " " + atMax + " " + ((int)count.GetValue(full)!).ToString(CultureInfo.InvariantCulture);
    }
}
