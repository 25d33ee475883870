// Defers handlers for a string, a null string and an int, then flushes: v2's lambda skips the null item.
using System.Collections.Generic;
using System.Globalization;

public static class Probe
{
    public static string Run()
    {
        var events = new Cases.Events();
        var log = new List<string>();
        events.Defer<string?>("a", s => log.Add("s:" + (s ?? "null")));
        events.Defer<string?>(null, s => log.Add("s:" + (s ?? "null")));
        events.Defer(7, i => log.Add("i:" + i.ToString(CultureInfo.InvariantCulture)));
        events.Defer<int?>(null, i => log.Add("n:" + (i?.ToString(CultureInfo.InvariantCulture) ?? "null")));
        events.Flush();
        return string.Join(",", log);
    }
}
