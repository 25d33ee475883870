// GetOrAdd whose loader re-entrantly adds the same key: v1 overwrites the entry with the indexer,
// v2 uses Dictionary.Add and throws ArgumentException (for reference and value type instantiations).
using System;

public static class Probe
{
    private static string Try(Func<string> f)
    {
        try { return f(); }
        catch (Exception e) { return e.GetType().Name; }
    }

    public static string Run()
    {
        var strings = new Cases.Cache<string, string>();
        var ints = new Cases.Cache<int, int>();
        return string.Join(" ",
            strings.GetOrAdd("a", k => k + "!"),
            strings.GetOrAdd("a", k => "other"),
            Try(() => strings.GetOrAdd("k", k => strings.GetOrAdd(k, _ => "inner") + "-outer")),
            Try(() => strings.GetOrAdd("k", _ => "later")),
            Try(() => ints.GetOrAdd(1, k => ints.GetOrAdd(k, _ => 10) + 1).ToString(System.Globalization.CultureInfo.InvariantCulture)),
            Try(() => ints.GetOrAdd(1, _ => 99).ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }
}
