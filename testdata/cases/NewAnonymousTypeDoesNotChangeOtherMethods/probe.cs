// The entries Purchase adds to the private _entries list: the user and the amount as two entries in
// v1, one anonymous { Buyer, Amount } object in v2 (rendered by its ToString, invariant culture).
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Reflection;

public static class Probe
{
    public static string Run()
    {
        var previous = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        try
        {
            var audit = new Cases.Audit();
            audit.Purchase("alice", 9.5m);
            var entries = (List<object>)typeof(Cases.Audit).GetField("_entries", BindingFlags.NonPublic | BindingFlags.Instance)!.GetValue(audit)!;
            return entries.Count + ": " + string.Join(" | ", entries.Select(e => System.Convert.ToString(e, CultureInfo.InvariantCulture)));
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }
    }
}
