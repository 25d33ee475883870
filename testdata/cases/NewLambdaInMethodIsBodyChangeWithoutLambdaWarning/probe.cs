// Active over the private _members list: v1 keeps the list order, v2 orders by length.
using System.Collections.Generic;
using System.Reflection;

public static class Probe
{
    public static string Run()
    {
        var roster = new Cases.Roster();
        var members = (List<string>)typeof(Cases.Roster).GetField("_members", BindingFlags.NonPublic | BindingFlags.Instance)!.GetValue(roster)!;
        members.AddRange(new[] { "alexandra", "bob", "al", "alice" });
        return string.Join(",", roster.Active("al"));
    }
}
