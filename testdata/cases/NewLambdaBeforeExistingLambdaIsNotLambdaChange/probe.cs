// Active over the private _members list with team "": v1 keeps the empty member, v2 filters it out first.
using System.Collections.Generic;
using System.Linq;
using System.Reflection;

public static class Probe
{
    public static string Run()
    {
        var roster = new Cases.Roster();
        var members = (List<string>)typeof(Cases.Roster).GetField("_members", BindingFlags.NonPublic | BindingFlags.Instance)!.GetValue(roster)!;
        members.AddRange(new[] { "ann", "", "bob" });
        return string.Join(",", roster.Active("").Select(m => "[" + m + "]"));
    }
}
