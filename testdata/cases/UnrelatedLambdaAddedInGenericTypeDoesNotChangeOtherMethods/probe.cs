// Index<int>.Distinct over the private _items: first-seen order in v1, descending in v2.
using System.Collections.Generic;
using System.Reflection;

public static class Probe
{
    public static string Run()
    {
        var index = new Cases.Index<int>();
        var items = (List<int>)typeof(Cases.Index<int>).GetField("_items", BindingFlags.NonPublic | BindingFlags.Instance)!.GetValue(index)!;
        items.AddRange(new[] { 1, 3, 2, 3, 1 });
        return string.Join(",", index.Distinct());
    }
}
