// CountBy with duplicate items (string and int instantiations): v2 counts distinct items per group.
using System.Globalization;
using System.Linq;

public static class Probe
{
    public static string Run()
    {
        var byLetter = Cases.Grouping.CountBy(new[] { "apple", "apple", "avocado", "banana" }, s => s[0]);
        var byParity = Cases.Grouping.CountBy(new[] { 1, 1, 2, 3, 4, 4 }, i => i % 2 == 0);
        return string.Join(",", byLetter.OrderBy(p => p.Key).Select(p => p.Key + "=" + p.Value.ToString(CultureInfo.InvariantCulture)))
            + " | " + string.Join(",", byParity.OrderBy(p => p.Key).Select(p => p.Key + "=" + p.Value.ToString(CultureInfo.InvariantCulture)));
    }
}
